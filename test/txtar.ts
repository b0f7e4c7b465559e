/**
 * A tiny txtar reader/writer (the format of Go's golang.org/x/tools/txtar, used by mgmt's
 * TestAstFunc1 goldens; style.md lesson 4).
 *
 * An archive is a free-form comment followed by files. Each file starts with a marker line
 * `-- name --`; its body is every following line up to the next marker. Bodies keep their
 * trailing newline; a body that does not end in one gets it added on write (as in Go's txtar).
 */

export interface TxtarFile {
  readonly name: string;
  readonly data: string;
}

export interface Txtar {
  /** Everything before the first marker (usually `# …` lines saying what the case pins down). */
  readonly comment: string;
  readonly files: readonly TxtarFile[];
}

const MARKER = /^-- (.+) --$/;

/** Parse an archive. Marker lines are recognised only at the start of a line, with `\n` line ends. */
export function parseTxtar(text: string): Txtar {
  const lines = text.split("\n");
  // A final "" after the last "\n" is not a line.
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  let comment = "";
  const files: TxtarFile[] = [];
  let cur: { name: string; lines: string[] } | undefined;
  const flush = (): void => {
    if (cur) files.push({ name: cur.name, data: cur.lines.map((l) => l + "\n").join("") });
  };
  for (const line of lines) {
    const m = MARKER.exec(line);
    if (m) {
      flush();
      cur = { name: m[1]!.trim(), lines: [] };
    } else if (cur) {
      cur.lines.push(line);
    } else {
      comment += line + "\n";
    }
  }
  flush();
  return { comment, files };
}

/** Serialise an archive; inverse of parseTxtar for archives whose bodies end in a newline. */
export function formatTxtar(a: Txtar): string {
  let out = a.comment;
  if (out !== "" && !out.endsWith("\n")) out += "\n";
  for (const f of a.files) {
    out += `-- ${f.name} --\n`;
    out += f.data;
    if (f.data !== "" && !f.data.endsWith("\n")) out += "\n";
  }
  return out;
}

/** The body of the named file, or undefined. */
export function txtarFile(a: Txtar, name: string): string | undefined {
  return a.files.find((f) => f.name === name)?.data;
}
