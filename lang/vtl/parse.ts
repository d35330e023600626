/** Parsing: velocityjs's lexer, corrected to Velocity 1.7's string literals, whitespace and blocks. Part of the mapping-template renderer: see index.ts. */
import * as path from "node:path";
import type { VELOCITY_AST } from "velocityjs/dist/src/type";

type Token = string | (VELOCITY_AST & { pos?: { first_line: number; first_column: number } });

/**
 * The file of velocityjs's token-level parser (the flat token list, #end tokens included), which
 * velocityjs 2.1.7 does not export: its one public parser, `parse`, nests blocks without checking
 * them (an unclosed #if silently repeats text, a stray #end drops the rest of the template) and
 * drops the #end tokens, so the flat list cannot be had from it. This private path is pinned:
 * package.json pins velocityjs exactly, and __tests__/lang/vtl.test.ts fails when the file moves or
 * stops exporting the lexer.
 */
export const VELOCITY_LEXER_FILE = path.join(path.dirname(require.resolve("velocityjs")), "parse", "index.cjs");

const lexVelocity: (template: string) => Token[] = require(VELOCITY_LEXER_FILE).parse_1;

const BLOCK_TYPES = new Set(["if", "foreach", "macro", "define", "noescape", "macro_body"]);
/** Directives after which Velocity 1.7 swallows the rest of the line when it is blank. */
const EATS_LINE_END = new Set(["set", "if", "elseif", "foreach", "else", "end", "macro", "define", "macro_call"]);

export function parseVtl(template: string, source: string): VELOCITY_AST[] {
  // Hide from velocityjs's lexer the backslashes that Velocity 1.7 reads as plain text, then put
  // them back: velocityjs reads \" and \' in string literals as escaped quotes (in Velocity "\\'"
  // is the three characters \\'), and drops a backslash before any $ or #, where Velocity escapes
  // only a reference or a directive ("the \ is only an escape when touching VTL").
  const mask = unusedChar(template);
  let tokens: Token[];
  try {
    tokens = lexVelocity(template.replace(/\\+(?=["']|\$(?![a-zA-Z_{!])|#(?![a-zA-Z{]))/g, (run) => mask.repeat(run.length)));
  } catch (error) {
    const hash = (error as { hash?: { loc?: { first_line: number; first_column: number }; line?: number } }).hash;
    const line = hash?.loc?.first_line ?? (hash?.line ?? 0) + 1;
    const column = (hash?.loc?.first_column ?? 0) + 1;
    const detail = String((error as Error).message)
      .split("\n")
      .pop();
    throw new Error(`${source}:${line}:${column}: VTL syntax error: ${detail}`);
  }
  tokens = tokens.map((token) => restore(token, mask) as Token);
  for (const token of tokens) {
    if (typeof token !== "string")
      checkInterpolations(token, `${source} (string literal at ${token.pos?.first_line}:${(token.pos?.first_column ?? 0) + 1})`);
  }
  return nestBlocks(gobbleWhitespace(tokens), source);
}

/** Parses the interpolated string literals in a token, which Velocity 1.7 does when it loads the template. */
function checkInterpolations(node: unknown, source: string): void {
  if (node === null || typeof node !== "object") return;
  const fields = node as Record<string, unknown>;
  if (fields.type === "string" && fields.isEval && /[$#]/.test(String(fields.value))) parseVtl(String(fields.value), source);
  for (const value of Object.values(fields)) checkInterpolations(value, source);
}

function unusedChar(text: string): string {
  for (let code = 0xe000; ; code++) if (!text.includes(String.fromCharCode(code))) return String.fromCharCode(code);
}

/** Puts the hidden backslashes back, and decodes \uXXXX in double-quoted literals as Velocity 1.7 does. */
function restore(node: unknown, mask: string): unknown {
  if (typeof node === "string") return node.split(mask).join("\\");
  if (Array.isArray(node)) return node.map((item) => restore(item, mask));
  if (node === null || typeof node !== "object") return node;
  const copy: Record<string, unknown> = Object.fromEntries(
    Object.entries(node).map(([key, value]) => [restore(key, mask), restore(value, mask)]),
  );
  if (copy.type === "string" && copy.isEval && typeof copy.value === "string") {
    copy.value = copy.value.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
  return copy;
}

/**
 * Velocity 1.7's whitespace rules: a directive's closing parenthesis, #else, #end and a ## comment
 * take the rest of their line when it is blank; blanks just before #set go with it.
 */
function gobbleWhitespace(tokens: Token[]): Token[] {
  const out = [...tokens];
  for (let i = 0; i < out.length - 1; i++) {
    const token = out[i];
    const next = out[i + 1];
    if (typeof token === "string" || typeof next !== "string") continue;
    if (EATS_LINE_END.has(token.type)) out[i + 1] = next.replace(/^[ \t]*(\r\n|\n|\r)/, "");
    else if (token.type === "comment" && String(token.value).startsWith("##")) out[i + 1] = next.replace(/^(\r\n|\n|\r)/, "");
  }
  for (let i = 1; i < out.length; i++) {
    const token = out[i];
    const before = out[i - 1];
    const startsToken = i === 1 || typeof out[i - 2] !== "string";
    if (typeof token !== "string" && token.type === "set" && typeof before === "string" && /^[ \t]+$/.test(before) && startsToken) {
      out[i - 1] = "";
    }
  }
  return out.filter((token) => token !== "");
}

/** Nests block bodies under their directive (as velocityjs's AST has them), rejecting what Velocity 1.7 rejects. */
function nestBlocks(tokens: Token[], source: string): VELOCITY_AST[] {
  const where = (token: Token) => {
    const pos = typeof token === "string" ? undefined : token.pos;
    return pos ? `${source}:${pos.first_line}:${pos.first_column + 1}` : source;
  };
  const root: unknown[] = [];
  const open: { body: unknown[]; head: Exclude<Token, string> }[] = [];
  for (const token of tokens) {
    const body = open.length ? open[open.length - 1].body : root;
    if (typeof token === "string") {
      body.push(token);
    } else if (BLOCK_TYPES.has(token.type)) {
      const block: unknown[] = [token];
      body.push(block);
      open.push({ body: block, head: token });
    } else if (token.type === "end") {
      if (!open.pop()) throw new Error(`${where(token)}: VTL syntax error: #end without #if, #foreach, #macro or #define`);
    } else if ((token.type === "else" || token.type === "elseif") && open[open.length - 1]?.head.type !== "if") {
      throw new Error(`${where(token)}: VTL syntax error: #${token.type} outside #if`);
    } else if (token.type === "break") {
      body.push({ type: "macro_call", id: BREAK, args: [], pos: token.pos }); // see ApiGatewayCompile.run
    } else {
      body.push(token);
    }
  }
  const unclosed = open.pop();
  if (unclosed) throw new Error(`${where(unclosed.head)}: VTL syntax error: #${unclosed.head.type} is not closed by #end`);
  return root as VELOCITY_AST[];
}

/** #break, as a call of a macro that stops the render loop up to the enclosing #foreach. */
export const BREAK = "vtl:break";
