/**
 * A resource graph in Graphviz dot (`steward run --graphviz FILE`), after mgmt's
 * (engine-reference.md §9 "Graphviz"): a `digraph` with `newrank=true`, one node per vertex
 * labelled `kind[name]`, vertices in sorted order. Node ids are the `kind[name]` strings
 * themselves (mgmt uses object addresses, which differ between runs and make diffs useless).
 * Notify edges are bold and labelled `notify`; send/recv edges are dashed and labelled with
 * their fields; hidden vertices are drawn dotted.
 *
 * Render with `dot -Tsvg FILE` or `@hpcc-js/wasm-graphviz` (ecosystem.md §6 "graphviz").
 *
 * @example toDot(graph, { name: "web1" })
 * // digraph "web1" {
 * //   label="web1";
 * //   newrank=true;
 * //   node [shape=box];
 * //   "file[/tmp/a]";
 * //   "file[/tmp/a]" -> "exec[b]";
 * // }
 */
import { vertexName, type ResourceGraph } from "../../lang/resource-graph.js";

/** A dot ID string: double-quoted, with `"` and `\` escaped and newlines kept as `\n`. */
export function dotId(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
}

export interface DotOptions {
  /** the graph's name and label (default `steward`) */
  readonly name?: string;
}

export function toDot(g: ResourceGraph, opts: DotOptions = {}): string {
  const name = opts.name ?? "steward";
  const out = [`digraph ${dotId(name)} {`, `\tlabel=${dotId(name)};`, "\tnewrank=true;", "\tnode [shape=box];"];
  const names = g.vertices.map((v) => ({ id: vertexName(v), hidden: v.hidden === true }));
  names.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let last = "";
  for (const v of names) {
    // a hidden vertex may share its name with a visible one: draw the name once
    if (v.id === last) continue;
    last = v.id;
    out.push(`\t${dotId(v.id)}${v.hidden ? " [style=dotted]" : ""};`);
  }
  for (const e of g.edges) {
    const labels: string[] = [];
    const attrs: string[] = [];
    if (e.send !== undefined) {
      labels.push(`${e.send} -> ${e.recv ?? ""}`);
      attrs.push("style=dashed");
    }
    if (e.notify) {
      labels.push("notify");
      if (e.send === undefined) attrs.push("style=bold");
    }
    if (labels.length > 0) attrs.unshift(`label=${dotId(labels.join(", "))}`);
    out.push(`\t${dotId(e.from)} -> ${dotId(e.to)}${attrs.length > 0 ? ` [${attrs.join(", ")}]` : ""};`);
  }
  out.push("}");
  return out.join("\n") + "\n";
}
