/**
 * Formats HCL exactly as `terraform fmt` does, without Terraform: hclwrite's formatter (hclwrite.ts)
 * after the two rewrites `terraform fmt` adds (internal/command/fmt.go: `"${x}"` alone is written
 * `x`; a variable's legacy type in full), on a layout made regular (normaliseLayout). Strings,
 * heredocs and comments are copied byte for byte: the scanning below finds where they and brackets end.
 */
import { hclwriteFormat } from "./hclwrite";

const IDENT = /[\p{ID_Start}_][\p{ID_Continue}-]*/uy;
const HEREDOC = /<<-?([\p{ID_Start}_][\p{ID_Continue}-]*)\r?\n/uy;
/** A variable's type as Terraform 0.11 wrote it ("string", list), in full, like fmt.go's formatTypeExpr. */
const LEGACY_TYPES = new Map(Object.entries({ '"string"': "string", '"list"': "list(string)", '"map"': "map(string)" }));
for (const kind of ["list", "map", "set"]) LEGACY_TYPES.set(kind, `${kind}(any)`);

/** The index after the heredoc opening at i (after its closing marker), or -1 if none opens there. */
function heredocEnd(text: string, i: number): number {
  HEREDOC.lastIndex = i;
  const open = HEREDOC.exec(text);
  const close = open && new RegExp(`^[ \\t]*${open[1]}\\r?$`, "mu").exec(text.slice(HEREDOC.lastIndex));
  return !open ? -1 : close ? HEREDOC.lastIndex + close.index + close[0].length : text.length;
}

/** The index after a comment starting at i (its newline excluded), or -1 if none starts there. */
function commentEnd(text: string, i: number): number {
  const block = text.startsWith("/*", i);
  if (!block && text[i] !== "#" && !text.startsWith("//", i)) return -1;
  const end = text.indexOf(block ? "*/" : "\n", i);
  return end < 0 ? text.length : end + (block ? 2 : 0);
}

/** The index after the string, heredoc or comment starting at i, or -1. */
const skipped = (text: string, i: number) =>
  text[i] === '"' ? stringEnd(text, i) : text[i] === "<" ? heredocEnd(text, i) : commentEnd(text, i);

/** The index after the quoted template opening at i, its `${…}` and `%{…}` sequences included. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (c === "\\") j++;
    else if (c === '"' || c === "\n") return c === '"' ? j + 1 : j;
    else if ((c === "$" || c === "%") && text[j + 1] === c && text[j + 2] === "{") j += 2;
    else if ((c === "$" || c === "%") && text[j + 1] === "{") j = expressionEnd(text, j + 2);
  }
  return text.length;
}

/** The index of the first unmatched closing bracket from i on (or, with `line`, of a newline outside brackets). */
function expressionEnd(text: string, i: number, line = false): number {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const [c, skip] = [text[j], skipped(text, j)];
    if (skip >= 0) j = skip - 1;
    else if ("{[(".includes(c)) depth++;
    else if ("}])".includes(c) && depth-- === 0) return j;
    else if (c === "\n" && line && depth === 0) return j;
  }
  return text.length;
}

/** `"${x}"` as `x` (in parentheses when it spans lines), like fmt.go's formatValueExpr; anything else unchanged. */
function unwrapInterpolation(value: string): string {
  const open = /^"\$\{~?/.exec(value);
  const end = open ? stringEnd(value, 0) : -1;
  const close = open ? expressionEnd(value, open[0].length) : -1;
  if (!open || close !== end - 2 || !/^\s*(?:(?:#|\/\/).*)?$/.test(value.slice(end))) return value;
  const inside = value.slice(open[0].length, value[close - 1] === "~" ? close - 1 : close).trim();
  const wrap = inside.includes("\n") && !(inside.startsWith("(") && inside.endsWith(")"));
  return (wrap ? `(${inside})` : inside) + value.slice(end);
}

/** Applies the value rewrites to every attribute of every body (not to the items of object values). */
function rewriteAttributes(text: string): string {
  let [out, i] = ["", 0];
  const body = (blocks: readonly string[]): void => {
    while (i < text.length) {
      IDENT.lastIndex = i;
      const [skip, name, equal] = [commentEnd(text, i), IDENT.exec(text)?.[0], /\s*=(?![=>])\s*/y];
      equal.lastIndex = i + (name?.length ?? 0);
      if (skip >= 0 || name === undefined) {
        const end = skip >= 0 ? skip : i + 1;
        out += text.slice(i, end);
        i = end;
        if (skip < 0 && text[end - 1] === "}") return;
      } else if (equal.test(text)) {
        const end = expressionEnd(text, equal.lastIndex, true);
        const value = text.slice(equal.lastIndex, end).trimEnd();
        const rewritten = blocks.join() === "variable" && name === "type" ? (LEGACY_TYPES.get(value) ?? value) : unwrapInterpolation(value);
        out += text.slice(i, equal.lastIndex) + rewritten + text.slice(equal.lastIndex + value.length, end);
        i = end;
      } else {
        // A block: its type, labels and opening brace, then its body.
        let j = i + name.length;
        while (j < text.length && text[j] !== "{") j = text[j] === '"' ? stringEnd(text, j) : j + 1;
        out += text.slice(i, j + 1);
        i = j + 1;
        body([...blocks, name]);
      }
    }
  };
  body([]);
  return out;
}

/** The lines of the text (a heredoc part of the line that opens it), each with its opened minus closed brackets. */
function splitLines(text: string): { readonly text: string; readonly delta: number }[] {
  const lines: ReturnType<typeof splitLines> = [];
  for (let start = 0, j = 0, delta = 0; j <= text.length; j++) {
    const skip = skipped(text, j);
    if (skip >= 0) j = skip - 1;
    else if ("{[(".includes(text[j] ?? "x")) delta++;
    else if ("}])".includes(text[j] ?? "x")) delta--;
    else if (text[j] === "\n" || j === text.length) {
      lines.push({ text: text.slice(start, j), delta });
      [start, delta] = [j + 1, 0];
    }
  }
  return lines;
}

/**
 * Empty brackets closed on a later line are written `{}`/`[]`; no blank line after a line that opens
 * a block or before one that closes it; one blank line for a run of them, and between top-level blocks.
 */
function normaliseLayout(text: string): string {
  const [lines, out] = [splitLines(text), [] as ReturnType<typeof splitLines>];
  let [depth, blankSeen] = [0, false];
  for (let i = 0; i < lines.length; i++) {
    let [line, next] = [lines[i], i + 1];
    blankSeen ||= line.text.trim() === "";
    if (line.text.trim() === "") continue;
    while (lines[next]?.text.trim() === "") next++;
    const closer = ({ "{": "}", "[": "]" } as Record<string, string>)[line.text.trimEnd().slice(-1)];
    if (closer && line.delta > 0 && lines[next]?.text.trimStart().startsWith(closer)) {
      line = { text: line.text.trimEnd() + lines[next].text.trimStart(), delta: line.delta + lines[next].delta };
      i = next;
    }
    const previous = out[out.length - 1];
    const topLevel = depth === 0 && previous !== undefined && commentEnd(previous.text, previous.text.search(/\S/)) < 0;
    if (topLevel || (blankSeen && (previous?.delta ?? 1) <= 0 && !/^\s*[}\])]/.test(line.text))) out.push({ text: "", delta: 0 });
    out.push(line);
    [depth, blankSeen] = [depth + line.delta, false];
  }
  return out.map((line) => line.text).join("\n") + (text.endsWith("\n") ? "\n" : "");
}

/** The HCL text formatted as `terraform fmt` writes it (plus the regular layout of normaliseLayout). */
export function formatHcl(text: string): string {
  return hclwriteFormat(normaliseLayout(rewriteAttributes(text)));
}
