/**
 * A resource graph in Graphviz dot (`steward run --graphviz FILE`), after mgmt's
 * (engine-reference.md §9 "Graphviz"): a `digraph` with `newrank=true`, one node per vertex
 * labelled `kind[name]`, vertices in sorted order. Node ids are the `kind[name]` strings
 * themselves (mgmt uses object addresses, which differ between runs and make diffs useless).
 * Notify edges are bold and labelled `notify`; send/recv edges are dashed and labelled with
 * their fields; automatic edges are grey; hidden vertices are dotted; a grouped vertex lists its
 * members in its label.
 *
 * Render with `dot -Tsvg FILE` or `@hpcc-js/wasm-graphviz` (ecosystem.md §6 "graphviz").
 *
 * @example toDot(fromResourceGraph(graph), { name: "web1" })
 * // digraph "web1" {
 * //   label="web1";
 * //   newrank=true;
 * //   node [shape=box];
 * //   "exec[b]";
 * //   "file[/tmp/a]";
 * //   "file[/tmp/a]" -> "exec[b]";
 * // }
 */
import { vertexName, type ResourceGraph } from "../../lang/resource-graph.js";
import type { RunningGraph } from "../engine/engine.js";

/** What the emitter draws; adapters below build it from a program's graph or the engine's. */
export interface DotGraph {
  readonly vertices: readonly { readonly id: string; readonly hidden?: boolean; readonly members?: readonly string[] }[];
  readonly edges: readonly {
    readonly from: string;
    readonly to: string;
    readonly notify: boolean;
    readonly auto?: boolean;
    readonly sendrecv?: readonly { readonly send: string; readonly recv: string }[];
  }[];
}

/** A dot ID string: double-quoted, with `"` and `\` escaped and newlines kept as `\n`. */
export function dotId(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
}

/** The graph a program produced (before autoedges and grouping). */
export function fromResourceGraph(g: ResourceGraph): DotGraph {
  return {
    vertices: g.vertices.map((v) => ({ id: vertexName(v), hidden: v.hidden === true })),
    edges: g.edges.map((e) => ({ from: e.from, to: e.to, notify: e.notify, ...(e.send !== undefined ? { sendrecv: [{ send: e.send, recv: e.recv ?? "" }] } : {}) })),
  };
}

/** The graph the engine runs: autoedges, groups and reversals included. */
export function fromRunningGraph(g: RunningGraph): DotGraph {
  return {
    vertices: g.vertices.map((v) => ({ id: v.id, hidden: v.hidden, ...(v.members.length > 1 ? { members: v.members.map(vertexName) } : {}) })),
    edges: g.edges.map((e) => ({ from: e.from, to: e.to, notify: e.notify, auto: e.auto, sendrecv: e.sendrecv })),
  };
}

export interface DotOptions {
  /** the graph's name and label (default `steward`) */
  readonly name?: string;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function toDot(g: DotGraph, opts: DotOptions = {}): string {
  const name = opts.name ?? "steward";
  const out = [`digraph ${dotId(name)} {`, `\tlabel=${dotId(name)};`, "\tnewrank=true;", "\tnode [shape=box];"];
  const vs = [...g.vertices].sort((a, b) => cmp(a.id, b.id));
  let last = "";
  for (const v of vs) {
    // a hidden vertex may share its name with a visible one: draw the name once
    if (v.id === last) continue;
    last = v.id;
    const attrs: string[] = [];
    if (v.members) attrs.push(`label=${dotId([v.id, ...v.members.filter((m) => m !== v.id).map((m) => `+ ${m}`)].join("\n"))}`);
    if (v.hidden) attrs.push("style=dotted");
    out.push(`\t${dotId(v.id)}${attrs.length > 0 ? ` [${attrs.join(", ")}]` : ""};`);
  }
  const es = [...g.edges].sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to));
  for (const e of es) {
    const labels = (e.sendrecv ?? []).map((p) => `${p.send} -> ${p.recv}`);
    const attrs: string[] = [];
    if (labels.length > 0) attrs.push("style=dashed");
    if (e.notify) {
      labels.push("notify");
      if (attrs.length === 0) attrs.push("style=bold");
    }
    if (e.auto) attrs.push("color=gray");
    if (labels.length > 0) attrs.unshift(`label=${dotId(labels.join(", "))}`);
    out.push(`\t${dotId(e.from)} -> ${dotId(e.to)}${attrs.length > 0 ? ` [${attrs.join(", ")}]` : ""};`);
  }
  out.push("}");
  return out.join("\n") + "\n";
}
