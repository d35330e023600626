/**
 * Formats HCL (Terraform's native syntax) exactly as `terraform fmt` does, without Terraform: a
 * port of HCL's lexer (hclsyntax/scan_tokens.rl, as far as formatting needs it), of hclwrite's
 * formatter (hclwrite/format.go: indentation by bracket nesting, spacing between tokens, `=`
 * alignment of consecutive single-line attributes) and of the two rewrites `terraform fmt` adds
 * (internal/command/fmt.go: an attribute whose whole value is one interpolation, `"${x}"`, is
 * written `x`; a variable's legacy type keyword is written in full).
 *
 * Only whitespace between tokens changes, and those two rewrites, which Terraform evaluates to the
 * same value: string literals, heredocs and comments are copied byte for byte. On top of that,
 * layout that `terraform fmt` leaves as it finds it is normalised (see normaliseLayout): empty
 * brackets on one line, no blank line at the start or end of a block, one blank line between
 * top-level blocks.
 *
 * The input must be valid HCL; what the lexer does not know is copied as an "invalid" token.
 */

type TokenType =
  | "Newline"
  | "Comment"
  | "Ident"
  | "Number"
  | "OQuote"
  | "CQuote"
  | "QuotedLit"
  | "QuotedNewline"
  | "TemplateInterp"
  | "TemplateControl"
  | "TemplateSeqEnd"
  | "OHeredoc"
  | "StringLit"
  | "CHeredoc"
  | "OBrace"
  | "CBrace"
  | "OBrack"
  | "CBrack"
  | "OParen"
  | "CParen"
  | "Dot"
  | "Comma"
  | "Equal"
  | "Colon"
  | "Question"
  | "Bang"
  | "Minus"
  | "Plus"
  | "Star"
  | "Slash"
  | "Percent"
  | "EqualOp"
  | "NotEqual"
  | "Lt"
  | "Gt"
  | "LtEq"
  | "GtEq"
  | "And"
  | "Or"
  | "DoubleColon"
  | "Ellipsis"
  | "FatArrow"
  | "Other"
  | "Nil";

interface Token {
  type: TokenType;
  text: string;
  /** Spaces written before the token. */
  spaces: number;
}

const NIL: Token = { type: "Nil", text: "", spaces: 0 };

const OPERATORS: readonly [string, TokenType][] = [
  ["...", "Ellipsis"],
  ["==", "EqualOp"],
  ["!=", "NotEqual"],
  [">=", "GtEq"],
  ["<=", "LtEq"],
  ["&&", "And"],
  ["||", "Or"],
  ["::", "DoubleColon"],
  ["=>", "FatArrow"],
];

const SINGLE: Readonly<Record<string, TokenType>> = {
  "[": "OBrack",
  "]": "CBrack",
  "(": "OParen",
  ")": "CParen",
  ".": "Dot",
  ",": "Comma",
  "*": "Star",
  "/": "Slash",
  "%": "Percent",
  "+": "Plus",
  "-": "Minus",
  "=": "Equal",
  "<": "Lt",
  ">": "Gt",
  "!": "Bang",
  "?": "Question",
  ":": "Colon",
};

const IDENT = /[\p{ID_Start}_][\p{ID_Continue}-]*/uy;
const NUMBER = /[0-9](?:[0-9.]|[eE][+-]?[0-9])*/y;
const HEREDOC_START = /<<(-?)([\p{ID_Start}_][\p{ID_Continue}-]*)\r?\n/uy;

/** Splits HCL text into tokens, as HCL's scanner does; the spaces between tokens are counted, not kept. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let spaces = 0;
  let braces = 0;
  /** Brace levels at which a `}` closes a template sequence rather than an object. */
  const templateBraces: number[] = [];
  /** What the scanner is in: the expression language, a quoted template, or a heredoc (with its marker). */
  const modes: ({ kind: "main" } | { kind: "string" } | { kind: "heredoc"; marker: string; startOfLine: boolean })[] = [{ kind: "main" }];
  const push = (type: TokenType, end: number): void => {
    tokens.push({ type, text: text.slice(i, end), spaces });
    spaces = 0;
    i = end;
  };
  const openTemplate = (type: TokenType): void => {
    push(type, i + (text[i + 2] === "~" ? 3 : 2));
    braces++;
    templateBraces.push(braces);
    const top = modes[modes.length - 1];
    if (top.kind === "heredoc") top.startOfLine = false;
    modes.push({ kind: "main" });
  };
  /** End of a template literal run: before `${`/`%{` (not their escapes `$${`/`%%{`), before `stops`, or at `limit`. */
  const literalEnd = (from: number, stops: string, escapes: boolean): number => {
    let j = from;
    while (j < text.length && !stops.includes(text[j])) {
      if ((text[j] === "$" || text[j] === "%") && text[j + 1] === "{") break;
      if ((text[j] === "$" || text[j] === "%") && text[j + 1] === text[j] && text[j + 2] === "{") {
        j += 3;
        continue;
      }
      j += escapes && text[j] === "\\" && j + 1 < text.length && text[j + 1] !== "\n" ? 2 : 1;
    }
    return j;
  };

  while (i < text.length) {
    const mode = modes[modes.length - 1];
    const c = text[i];
    if (mode.kind === "string") {
      if ((c === "$" || c === "%") && text[i + 1] === "{") openTemplate(c === "$" ? "TemplateInterp" : "TemplateControl");
      else if (c === '"') {
        push("CQuote", i + 1);
        modes.pop();
      } else if (c === "\n" || c === "\r") {
        let j = i;
        while (text[j] === "\n" || text[j] === "\r") j++;
        push("QuotedNewline", j);
      } else push("QuotedLit", Math.max(literalEnd(i, '"\r\n', true), i + 1));
      continue;
    }
    if (mode.kind === "heredoc") {
      if ((c === "$" || c === "%") && text[i + 1] === "{") {
        openTemplate(c === "$" ? "TemplateInterp" : "TemplateControl");
        continue;
      }
      const end = literalEnd(i, "\n", false);
      if (text[end] !== "\n") {
        if (end > i) push("StringLit", end);
        else push("Other", i + 1);
        mode.startOfLine = false;
        continue;
      }
      if (mode.startOfLine && text.slice(i, end).trim() === mode.marker) {
        push("CHeredoc", text[end - 1] === "\r" ? end - 1 : end);
        push("Newline", end + 1);
        modes.pop();
        continue;
      }
      push("StringLit", end + 1);
      mode.startOfLine = true;
      continue;
    }
    // The expression language.
    if (c === " " || c === "\t") {
      spaces++;
      i++;
      continue;
    }
    if (c === "\n" || (c === "\r" && text[i + 1] === "\n")) {
      push("Newline", c === "\n" ? i + 1 : i + 2);
      continue;
    }
    if (c === "#" || (c === "/" && text[i + 1] === "/")) {
      const end = text.indexOf("\n", i);
      push("Comment", end === -1 ? text.length : end + 1);
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      push("Comment", end === -1 ? text.length : end + 2);
      continue;
    }
    if (c === '"') {
      push("OQuote", i + 1);
      modes.push({ kind: "string" });
      continue;
    }
    HEREDOC_START.lastIndex = i;
    const heredoc = HEREDOC_START.exec(text);
    if (heredoc) {
      push("OHeredoc", i + heredoc[0].length);
      modes.push({ kind: "heredoc", marker: heredoc[2], startOfLine: true });
      continue;
    }
    if (c === "{") {
      push("OBrace", i + 1);
      braces++;
      continue;
    }
    if (c === "}" || (c === "~" && text[i + 1] === "}")) {
      const closesTemplate = templateBraces.length > 0 && templateBraces[templateBraces.length - 1] === braces;
      push(c === "~" || closesTemplate ? "TemplateSeqEnd" : "CBrace", i + (c === "~" ? 2 : 1));
      braces--;
      if (closesTemplate) {
        templateBraces.pop();
        if (modes.length > 1) modes.pop();
      }
      continue;
    }
    if (/[0-9]/.test(c)) {
      NUMBER.lastIndex = i;
      const number = NUMBER.exec(text)![0].replace(/\.+$/, "");
      push("Number", i + number.length);
      continue;
    }
    IDENT.lastIndex = i;
    const ident = IDENT.exec(text);
    if (ident) {
      push("Ident", i + ident[0].length);
      continue;
    }
    const operator = OPERATORS.find(([symbol]) => text.startsWith(symbol, i));
    if (operator) {
      push(operator[1], i + operator[0].length);
      continue;
    }
    push(SINGLE[c] ?? "Other", i + 1);
  }
  // Spaces at the very end of the text stay where they were.
  if (spaces > 0) tokens.push({ type: "Nil", text: "", spaces });
  return tokens;
}

function bracketChange(token: Token): number {
  switch (token.type) {
    case "OBrace":
    case "OBrack":
    case "OParen":
    case "TemplateControl":
    case "TemplateInterp":
      return 1;
    case "CBrace":
    case "CBrack":
    case "CParen":
    case "TemplateSeqEnd":
      return -1;
    default:
      return 0;
  }
}

function endsLine(token: Token): boolean {
  return token.type === "Newline" || (token.type === "Comment" && token.text.endsWith("\n"));
}

// ---------------------------------------------------------------------------------------------
// terraform fmt's rewrites of attribute values (internal/command/fmt.go)

/** The tokens of an attribute's value: from after `=` to the end of its line (or the `}` of a one-line block). */
function valueEnd(tokens: readonly Token[], start: number): number {
  let depth = 0;
  let heredoc = false;
  for (let i = start; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.type === "OHeredoc") heredoc = true;
    else if (token.type === "CHeredoc") heredoc = false;
    else if (heredoc) continue;
    else if (depth === 0 && (endsLine(token) || token.type === "CBrace")) return i;
    else depth += bracketChange(token);
  }
  return tokens.length;
}

/** `"${x}"` as `x` (in parentheses when it spans lines), like formatValueExpr; anything else unchanged. */
function unwrapInterpolation(value: Token[]): Token[] {
  if (value.length < 5) return value;
  const [open, interp] = value;
  const [seqEnd, close] = value.slice(-2);
  if (open.type !== "OQuote" || interp.type !== "TemplateInterp" || seqEnd.type !== "TemplateSeqEnd" || close.type !== "CQuote")
    return value;
  // As in formatValueExpr, "${~ x ~}" counts too: with no literal beside it, its strip markers strip nothing.
  const inside = value.slice(2, -2);
  let quotes = 0;
  for (const token of inside) {
    if (token.type === "OQuote") quotes++;
    else if (token.type === "CQuote") quotes--;
    else if (quotes > 0) continue;
    else if (token.type === "TemplateInterp" || token.type === "TemplateSeqEnd" || token.type === "QuotedLit") return value;
  }
  let start = 0;
  let end = inside.length;
  while (start < end && inside[start].type === "Newline") start++;
  while (end > start && inside[end - 1].type === "Newline") end--;
  const trimmed = inside.slice(start, end);
  const multiLine = trimmed.some((token) => token.type === "Newline");
  const parenthesised = trimmed[0]?.type === "OParen" && trimmed[trimmed.length - 1]?.type === "CParen";
  if (multiLine && !parenthesised) {
    return [{ type: "OParen", text: "(", spaces: 0 }, ...trimmed, { type: "CParen", text: ")", spaces: 0 }];
  }
  return trimmed;
}

/** A variable's type written as Terraform 0.11 did ("string", list), in full, like formatTypeExpr. */
function normaliseType(value: Token[]): Token[] {
  const ident = (text: string): Token => ({ type: "Ident", text, spaces: 0 });
  const call = (name: string, element: string): Token[] => [
    ident(name),
    { type: "OParen", text: "(", spaces: 0 },
    ident(element),
    { type: "CParen", text: ")", spaces: 0 },
  ];
  if (value.length === 1 && value[0].type === "Ident" && ["list", "map", "set"].includes(value[0].text)) return call(value[0].text, "any");
  if (value.length === 3 && value[0].type === "OQuote" && value[1].type === "QuotedLit" && value[2].type === "CQuote") {
    if (value[1].text === "string") return [ident("string")];
    if (value[1].text === "list" || value[1].text === "map") return call(value[1].text, "string");
  }
  return value;
}

/** Applies the value rewrites to every attribute of every body (not to the items of object values). */
function rewriteAttributes(tokens: Token[]): Token[] {
  const out: Token[] = [];
  let i = 0;
  /** Copies one body, up to and including its closing brace; blocks are the enclosing block types. */
  const body = (blocks: readonly string[]): void => {
    while (i < tokens.length) {
      const token = tokens[i];
      if (token.type === "CBrace") {
        out.push(tokens[i++]);
        return;
      }
      if (token.type !== "Ident") {
        out.push(tokens[i++]);
        continue;
      }
      // An attribute (name = value) or a block (type "label" ... {).
      const name = token.text;
      out.push(tokens[i++]);
      if (tokens[i]?.type === "Equal") {
        out.push(tokens[i++]);
        const end = valueEnd(tokens, i);
        const value = tokens.slice(i, end);
        const rewritten =
          blocks.length === 1 && blocks[0] === "variable" && name === "type" ? normaliseType(value) : unwrapInterpolation(value);
        if (rewritten !== value && rewritten.length > 0) rewritten[0] = { ...rewritten[0], spaces: value[0].spaces };
        out.push(...rewritten);
        i = end;
        continue;
      }
      while (i < tokens.length && tokens[i].type !== "OBrace" && !endsLine(tokens[i])) out.push(tokens[i++]);
      if (tokens[i]?.type === "OBrace") {
        out.push(tokens[i++]);
        body([...blocks, name]);
      }
    }
  };
  body([]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Layout terraform fmt keeps as it finds it, made regular

/**
 * Empty brackets closed on the next line are written `{}`/`[]`; blank lines are dropped after a
 * line that opens a block and before a line that closes one, runs of blank lines become one, and
 * top-level blocks are separated by one blank line.
 */
function normaliseLayout(tokens: Token[]): Token[] {
  const collapsed: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.type === "OBrace" || token.type === "OBrack") {
      let j = i + 1;
      while (tokens[j]?.type === "Newline") j++;
      const closer = token.type === "OBrace" ? "CBrace" : "CBrack";
      if (j > i + 1 && tokens[j]?.type === closer) {
        collapsed.push(token, { ...tokens[j], spaces: 0 });
        i = j;
        continue;
      }
    }
    collapsed.push(token);
  }
  const out: Token[][] = [];
  let depth = 0;
  let blankSeen = false;
  for (const line of splitLines(collapsed)) {
    if (line.length === 1 && line[0].type === "Newline") {
      blankSeen = true;
      continue;
    }
    const previous = out[out.length - 1];
    let blank = blankSeen && previous !== undefined && lineDelta(previous) <= 0 && bracketChange(line[0]) >= 0;
    // Top-level blocks (not a comment and the block it introduces) are separated by a blank line.
    if (depth === 0 && previous !== undefined && previous[0].type !== "Comment") blank = true;
    if (blank) out.push([{ type: "Newline", text: "\n", spaces: 0 }]);
    out.push(line);
    depth += lineDelta(line);
    blankSeen = false;
  }
  return out.flat();
}

function lineDelta(line: readonly Token[]): number {
  let delta = 0;
  for (const token of line) {
    delta += bracketChange(token);
    if (token.type === "OHeredoc") break;
  }
  return delta;
}

function splitLines(tokens: readonly Token[]): Token[][] {
  const lines: Token[][] = [];
  let line: Token[] = [];
  for (const token of tokens) {
    line.push(token);
    if (endsLine(token)) {
      lines.push(line);
      line = [];
    }
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// hclwrite's formatter (hclwrite/format.go)

interface FormatLine {
  lead: Token[];
  assign?: Token[];
  comment?: Token[];
}

function linesForFormat(tokens: readonly Token[]): FormatLine[] {
  const lines: FormatLine[] = splitLines(tokens.filter((token) => token.type !== "Nil")).map((lead) => ({ lead }));
  for (const line of lines) {
    if (line.lead.length > 1 && line.lead[line.lead.length - 1].type === "Comment") {
      line.comment = line.lead.slice(-1);
      line.lead = line.lead.slice(0, -1);
    }
    const equal = line.lead.findIndex((token, index) => index > 0 && token.type === "Equal");
    if (equal > 0) {
      const rest = line.lead.slice(equal);
      if (rest.reduce((sum, token) => sum + bracketChange(token), 0) === 0) {
        line.assign = rest;
        line.lead = line.lead.slice(0, equal);
      }
    }
  }
  return lines;
}

function formatIndent(lines: readonly FormatLine[]): void {
  const indents: number[] = [];
  for (const line of lines) {
    if (line.lead.length === 0) continue;
    if (line.lead[0].type === "Newline") {
      line.lead[0].spaces = 0;
      continue;
    }
    let net = lineDelta(line.lead);
    for (const token of line.assign ?? []) net += bracketChange(token);
    if (net > 0) {
      line.lead[0].spaces = 2 * indents.length;
      indents.push(net);
      continue;
    }
    let closed = -net;
    while (closed > 0 && indents.length > 0) {
      const top = indents[indents.length - 1];
      if (closed > top) {
        closed -= top;
        indents.pop();
      } else if (closed < top) {
        indents[indents.length - 1] -= closed;
        closed = 0;
      } else {
        indents.pop();
        closed = 0;
      }
    }
    line.lead[0].spaces = 2 * indents.length;
  }
}

function spaceAfter(subject: Token, before: Token, after: Token): boolean {
  const s = subject.type;
  const a = after.type;
  if (a === "Newline" || a === "Nil") return false;
  if (s === "Ident" && a === "OParen") return false;
  if ((s === "Ident" && a === "DoubleColon") || (s === "DoubleColon" && a === "Ident")) return false;
  if (s === "Dot" || a === "Dot") return false;
  if (a === "Comma" || a === "Ellipsis") return false;
  if (s === "Comma") return true;
  if (
    s === "QuotedLit" ||
    s === "StringLit" ||
    s === "OQuote" ||
    s === "OHeredoc" ||
    a === "QuotedLit" ||
    a === "StringLit" ||
    a === "CQuote" ||
    a === "CHeredoc"
  ) {
    return false;
  }
  if (s === "Ident" && subject.text === "in" && before.type === "Ident") return true;
  if (a === "OBrack" && (s === "Ident" || s === "Number" || bracketChange(subject) < 0)) return false;
  if (s === "Bang") return false;
  if (s === "Minus") {
    return ![
      "Nil",
      "OParen",
      "OBrace",
      "OBrack",
      "Equal",
      "Colon",
      "Comma",
      "Question",
      "Plus",
      "Star",
      "Slash",
      "Percent",
      "Minus",
      "EqualOp",
      "NotEqual",
      "Gt",
      "GtEq",
      "Lt",
      "LtEq",
      "And",
      "Or",
      "Bang",
    ].includes(before.type);
  }
  if (s === "OBrace" || a === "CBrace") return !(s === "OBrace" && a === "CBrace");
  if ((s === "TemplateInterp" || s === "TemplateControl") && a === "OBrace") return true;
  if (s === "CBrace" && a === "TemplateSeqEnd") return true;
  if (s === "TemplateSeqEnd" && (a === "TemplateInterp" || a === "TemplateControl")) return false;
  if (bracketChange(subject) > 0) return false;
  if (bracketChange(after) < 0) return false;
  return true;
}

function formatSpaces(lines: readonly FormatLine[]): void {
  const cell = (tokens: Token[]): void => {
    for (let i = 0; i < tokens.length - 1; i++) {
      tokens[i + 1].spaces = spaceAfter(tokens[i], i > 0 ? tokens[i - 1] : NIL, tokens[i + 1]) ? 1 : 0;
    }
  };
  for (const line of lines) {
    cell(line.lead);
    if (line.assign) {
      line.assign[0].spaces = 1;
      cell(line.assign);
    }
  }
}

/** Width of tokens as hclwrite counts it: spaces, then characters (grapheme clusters). */
function columns(tokens: readonly Token[] | undefined): number {
  let width = 0;
  for (const token of tokens ?? []) {
    width += token.spaces;
    if (/^[\x00-\x7f]*$/.test(token.text)) width += token.text.length;
    else {
      graphemes ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
      width += [...graphemes.segment(token.text)].length;
    }
  }
  return width;
}
let graphemes: Intl.Segmenter | undefined;

function formatCells(lines: readonly FormatLine[]): void {
  const align = (has: (line: FormatLine) => boolean, width: (line: FormatLine) => number, first: (line: FormatLine) => Token): void => {
    let start = -1;
    let max = 0;
    const close = (end: number): void => {
      for (const line of lines.slice(start, end)) first(line).spaces = max - width(line) + 1;
      start = -1;
      max = 0;
    };
    lines.forEach((line, index) => {
      if (!has(line)) {
        if (start !== -1) close(index);
        return;
      }
      if (start === -1) start = index;
      max = Math.max(max, width(line));
    });
    if (start !== -1) close(lines.length);
  };
  align(
    (line) => line.assign !== undefined,
    (line) => columns(line.lead),
    (line) => line.assign![0],
  );
  align(
    (line) => line.comment !== undefined,
    (line) => columns(line.lead) + columns(line.assign),
    (line) => line.comment![0],
  );
}

/** The HCL text formatted as `terraform fmt` writes it (plus the regular layout of normaliseLayout). */
export function formatHcl(text: string): string {
  const tokens = normaliseLayout(rewriteAttributes(tokenize(text)));
  const lines = linesForFormat(tokens);
  formatIndent(lines);
  formatSpaces(lines);
  formatCells(lines);
  return tokens.map((token) => " ".repeat(token.spaces) + token.text).join("");
}
