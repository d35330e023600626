/**
 * An API-Gateway-faithful renderer of REST API mapping templates (Velocity Template Language).
 *
 * API Gateway runs Apache Velocity 1.7 on Java, and reads JSON with json-smart (behind Jayway
 * JsonPath). This module takes velocityjs's lexer and render loop, and overrides what differs
 * between JavaScript and Java: string literals (no backslash escapes), whitespace gobbling, block
 * checking, printing (Java's toString), null handling, operators, #if and #foreach, and method calls
 * (Java String, Map and List methods, with Java regular expressions).
 *
 * __tests__/lang/vtl-conformance.test.ts renders the stack's templates and edge templates over
 * generated requests with this module and with the real engine (Velocity 1.7, json-smart 2.2,
 * Jayway JsonPath 2.0.0, commons-lang 2.6 on Java), and expects byte-identical output but for the
 * divergences listed, with their sources, in __tests__/lang/vtl-divergences.json.
 *
 * Where API Gateway differs from plain Velocity 1.7, API Gateway wins:
 * - a null or undefined reference prints as nothing (plain Velocity prints its source text), and
 *   `null == ""` is true (LocalStack's AWS-validated snapshot test_input_path_template_formatting);
 * - an empty body reads as `{}`; a body that does not start like JSON reads as one string (json-smart
 *   is permissive); one that starts with `{`, `[` or `"` but is not JSON fails the render
 *   (API Gateway answers 400 "Could not process payload");
 * - maps print as `{k=v, k2=v2}`, lists read from JSON print as compact JSON (json-smart JSONArray),
 *   and $input.json writes json-smart's default style ("/" as "\/").
 */
import { createHash, randomUUID } from "crypto";
import * as path from "path";
import { Compile, Helper } from "velocityjs";
import { PLACEHOLDER_ACCOUNT_ID } from "../aws";
import type { Attribute, ReferencesAST, SetAST, VELOCITY_AST } from "velocityjs/dist/src/type";

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/** The request (or integration response) a mapping template is rendered for. */
export interface MappingRequest {
  /** Raw request (or integration response) body text, as received. */
  readonly body: string;
  /** HTTP headers, for `$input.params()` and `$input.params(name)`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Query string parameters, for `$input.params()` and `$input.params(name)`. */
  readonly queryString?: Readonly<Record<string, string>>;
  /** Path parameters, for `$input.params()` and `$input.params(name)`. */
  readonly pathParameters?: Readonly<Record<string, string>>;
  /** Values of `$stageVariables`. */
  readonly stageVariables?: Readonly<Record<string, string>>;
  /** Values for $context (requestId, httpMethod, resourcePath, stage, identity.sourceIp, ...); sensible defaults otherwise. */
  readonly context?: Readonly<Record<string, unknown>>;
}

/** The rendered text, and what the template asked API Gateway to override in its response. */
export interface RenderResult {
  readonly output: string;
  /** What the template set in $context.responseOverride (status as number if set, headers set). */
  readonly responseOverride: { readonly status?: number; readonly header: Readonly<Record<string, string>> };
}

/**
 * Renders a mapping template as API Gateway does, in a fresh Velocity context.
 *
 * Throws where API Gateway fails the request: the template does not parse; the template reads a
 * body that starts like JSON but is not JSON; a Java method throws (an invalid regular expression,
 * an index out of bounds...). Unsupported JSONPath or Java regex features also throw.
 */
export function renderMappingTemplate(template: string, request: MappingRequest): RenderResult {
  const asts = parsedTemplate(template);
  const context = createContext(request);
  const variables: Record<string, unknown> = Object.create(null);
  variables.input = createInput(request);
  variables.util = UTIL;
  variables.context = context;
  variables.stageVariables = toJava({ ...request.stageVariables });
  const output = new ApiGatewayCompile(asts).run(variables);
  return { output, responseOverride: readResponseOverride(context.get("responseOverride")) };
}

/** Parsed templates by text (rendering does not change them): an API renders the same few for every request. */
const RENDERED = new Map<string, VELOCITY_AST[]>();

function parsedTemplate(template: string): VELOCITY_AST[] {
  let asts = RENDERED.get(template);
  if (!asts) {
    asts = parseVtl(template, "mapping template");
    if (RENDERED.size >= 256) RENDERED.delete(RENDERED.keys().next().value!);
    RENDERED.set(template, asts);
  }
  return asts;
}

/** Templates (with the source their errors would name) that parsed: synth checks the same ones for every workflow. */
const PARSED = new Map<string, Set<string>>();

/** Throws an Error whose message names `source` and the line/column when the template does not parse. */
export function parseMappingTemplate(template: string, source: string): void {
  if (PARSED.get(source)?.has(template)) return;
  parseVtl(template, source);
  if (!PARSED.has(source)) PARSED.set(source, new Set());
  PARSED.get(source)!.add(template);
}

// ---------------------------------------------------------------------------------------------
// Parsing: velocityjs's lexer, corrected to Velocity 1.7's string literals, whitespace and blocks
// ---------------------------------------------------------------------------------------------

type Token = string | (VELOCITY_AST & { pos?: { first_line: number; first_column: number } });

/**
 * velocityjs's token-level parser. (Its public `parse` nests blocks without checking them: an
 * unclosed #if silently repeats text, a stray #end drops the rest of the template.)
 */
const lexVelocity: (template: string) => Token[] = require(
  path.join(path.dirname(require.resolve("velocityjs")), "parse", "index.cjs"),
).parse_1;

const BLOCK_TYPES = new Set(["if", "foreach", "macro", "define", "noescape", "macro_body"]);
/** Directives after which Velocity 1.7 swallows the rest of the line when it is blank. */
const EATS_LINE_END = new Set(["set", "if", "elseif", "foreach", "else", "end", "macro", "define", "macro_call"]);

function parseVtl(template: string, source: string): VELOCITY_AST[] {
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
    const detail = String((error as Error).message).split("\n").pop();
    throw new Error(`${source}:${line}:${column}: VTL syntax error: ${detail}`);
  }
  tokens = tokens.map((token) => restore(token, mask) as Token);
  for (const token of tokens) {
    if (typeof token !== "string") checkInterpolations(token, `${source} (string literal at ${token.pos?.first_line}:${(token.pos?.first_column ?? 0) + 1})`);
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
  const copy: Record<string, unknown> = Object.fromEntries(Object.entries(node).map(([key, value]) => [restore(key, mask), restore(value, mask)]));
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

// ---------------------------------------------------------------------------------------------
// Java values
//
// null: null or undefined. String: string. Boolean: boolean. Integer/Long: integral number, or
// bigint beyond 2^53. Double: non-integral number, or JavaDouble when integral (prints "1.0").
// Map (LinkedHashMap): Map, whose order is the insertion order even for keys such as "1" (a plain
// object would list those first). List: array; JsonArray for lists read from JSON (json-smart's
// JSONArray, whose toString is JSON); JavaArray for a String[] (from split).
// ---------------------------------------------------------------------------------------------

/** A java.lang.Double with an integral value (other doubles are plain non-integral numbers). */
class JavaDouble {
  constructor(readonly value: number) {}
}

/**
 * A java.math.BigDecimal: json-smart reads a decimal number written with more than 18 characters
 * as one (JSONParserBase.extractFloat), exactly as written: unscaled value and scale.
 */
class JavaBigDecimal {
  constructor(
    readonly unscaled: bigint,
    readonly scale: number,
  ) {}

  static parse(text: string): JavaBigDecimal {
    const [, sign, whole, fraction = "", exponent = "0"] = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text)!;
    const unscaled = BigInt(whole + fraction);
    return new JavaBigDecimal(sign ? -unscaled : unscaled, fraction.length - Number(exponent));
  }

  /** BigDecimal.toString: plain when the scale is not negative and the exponent is -6 or more, else scientific ("1.5E+30"). */
  toString(): string {
    const sign = this.unscaled < 0n ? "-" : "";
    const coefficient = (this.unscaled < 0n ? -this.unscaled : this.unscaled).toString();
    const adjusted = coefficient.length - 1 - this.scale;
    if (this.scale >= 0 && adjusted >= -6) {
      if (this.scale === 0) return sign + coefficient;
      const point = coefficient.length - this.scale;
      return sign + (point > 0 ? `${coefficient.slice(0, point)}.${coefficient.slice(point)}` : `0.${"0".repeat(-point)}${coefficient}`);
    }
    const mantissa = coefficient.length > 1 ? `${coefficient[0]}.${coefficient.slice(1)}` : coefficient;
    return `${sign}${mantissa}${adjusted === 0 ? "" : `E${adjusted > 0 ? "+" : ""}${adjusted}`}`;
  }

  /** The exact value as a fraction. */
  fraction(): [bigint, bigint] {
    return this.scale >= 0 ? [this.unscaled, 10n ** BigInt(this.scale)] : [this.unscaled * 10n ** BigInt(-this.scale), 1n];
  }
}

/** A list read from JSON (net.minidev.json.JSONArray): prints as JSON. */
class JsonArray<T = unknown> extends Array<T> {}

/** A Java array (String[]): prints as its type and identity, as Java does. */
class JavaArray<T = unknown> extends Array<T> {}

/** A Map.Entry, from entrySet(). */
class MapEntry {
  constructor(
    readonly key: string,
    readonly value: unknown,
  ) {}
}

/**
 * The Java overloads of a method, by signature: one letter per parameter, s = String (or null),
 * i = int, o = any object. Implementations get the target object first.
 */
type Overloads = Readonly<Record<string, (self: never, ...args: never[]) => unknown>>;

/** An object of API Gateway's ($input, $util): its methods; properties through getX()/isX(). */
class Host {
  constructor(readonly methods: Readonly<Record<string, Overloads>>) {}
}

/** What method dispatch gives when Java has no such method for these arguments (Velocity: null). */
const NO_METHOD = Symbol("no such method");

const isNull = (v: unknown): v is null | undefined => v === null || v === undefined;
type JavaMap = Map<string, unknown>;
const isMap = (v: unknown): v is JavaMap => v instanceof Map;
/** A plain JavaScript object (request data, $context as given). */
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v));
const isNumber = (v: unknown): v is number | bigint | JavaDouble | JavaBigDecimal =>
  typeof v === "number" || typeof v === "bigint" || v instanceof JavaDouble || v instanceof JavaBigDecimal;
/** A Double, or a BigDecimal (arithmetic on a BigDecimal is done in doubles here: an approximation). */
const isDouble = (v: unknown) => v instanceof JavaDouble || v instanceof JavaBigDecimal || (typeof v === "number" && !Number.isInteger(v));
const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);
const numberValue = (v: number | bigint | JavaDouble | JavaBigDecimal) => (v instanceof JavaDouble ? v.value : Number(v instanceof JavaBigDecimal ? v.toString() : v));
const double = (n: number): number | JavaDouble => (Number.isInteger(n) ? new JavaDouble(n) : n);

/** Plain JavaScript data (request values, $context) as Java values. */
function toJava(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJava);
  if (isPlainObject(value)) return new Map(Object.entries(value).map(([key, item]) => [key, toJava(item)]));
  return value;
}

/** Java's Double.toString (with the shortest digits that identify the double, as JDK 19+ prints). */
function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return "NaN";
  if (!Number.isFinite(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d === 0) return Object.is(d, -0) ? "-0.0" : "0.0";
  const sign = d < 0 ? "-" : "";
  let [mantissa, exponent] = Math.abs(d).toExponential().split("e");
  // Java writes at least two digits: where one would do, the two-digit decimal nearest the exact
  // value that still reads back as d (4.9E-324, not 5.0E-324).
  const twoDigits = Math.abs(d).toExponential(1);
  if (!mantissa.includes(".") && !twoDigits.includes(".0e") && Number(twoDigits) === Math.abs(d)) [mantissa, exponent] = twoDigits.split("e");
  const digits = mantissa.replace(".", "");
  const exp = Number(exponent);
  if (exp < -3 || exp >= 7) return `${sign}${digits[0]}.${digits.slice(1) || "0"}E${exp}`;
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  return `${sign}${digits.slice(0, exp + 1).padEnd(exp + 1, "0")}.${digits.slice(exp + 1) || "0"}`;
}

function javaHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

/** Java's toString, which is what Velocity prints. */
function javaToString(value: unknown): string {
  if (isNull(value)) return "null";
  if (typeof value === "string") return value;
  if (typeof value === "number") {
    if (!Number.isInteger(value)) return javaDoubleToString(value);
    return Math.abs(value) < 1e21 ? String(value) : BigInt(value).toString();
  }
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value instanceof JavaDouble) return javaDoubleToString(value.value);
  if (value instanceof JavaBigDecimal) return value.toString();
  if (value instanceof JsonArray) return toJson(value);
  if (value instanceof JavaArray) return `[Ljava.lang.String;@${(javaHash(value.join("\0")) >>> 0).toString(16)}`;
  if (Array.isArray(value)) return `[${value.map(javaToString).join(", ")}]`;
  if (value instanceof MapEntry) return `${value.key}=${javaToString(value.value)}`;
  if (isMap(value)) return `{${[...value].map(([k, v]) => `${k}=${javaToString(v)}`).join(", ")}}`;
  return "{}";
}

const JSON_ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', "\\": "\\\\", "/": "\\/", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * JSON text as json-smart writes it in its default style (JSONValue.toJSONString, and
 * JSONArray.toString, JSONStyle.NO_COMPRESS): compact; "/" as "\/"; control chars, U+007F-U+009F
 * and U+2000-U+20FF as \uXXXX; a non-finite double as null.
 */
function toJson(value: unknown): string {
  if (isNull(value)) return "null";
  if (typeof value === "string" || value instanceof MapEntry) {
    const escape = (ch: string) => JSON_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
    return `"${javaToString(value).replace(/["\\/\x00-\x1f\x7f-\x9f\u2000-\u20ff]/g, escape)}"`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) return "null";
  if (Array.isArray(value)) return `[${value.map(toJson).join(",")}]`;
  if (isMap(value)) return `{${[...value].map(([k, v]) => `${toJson(k)}:${toJson(v)}`).join(",")}}`;
  return javaToString(value);
}

/** Java's Object.equals. */
function javaEquals(a: unknown, b: unknown): boolean {
  if (isNull(a) || isNull(b)) return isNull(a) && isNull(b);
  if (a instanceof JavaBigDecimal || b instanceof JavaBigDecimal) {
    // BigDecimal.equals: same value and same scale.
    return a instanceof JavaBigDecimal && b instanceof JavaBigDecimal && a.unscaled === b.unscaled && a.scale === b.scale;
  }
  if (isNumber(a)) {
    // Integer.equals(Double) is false; Double.equals tells 0.0 from -0.0 and finds NaN equal to NaN.
    if (!isNumber(b) || isDouble(a) !== isDouble(b)) return false;
    return isDouble(a) ? Object.is(numberValue(a), numberValue(b)) : numberValue(a) === numberValue(b);
  }
  if (a instanceof JavaArray || b instanceof JavaArray) return a === b;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => javaEquals(item, b[i]));
  if (isMap(a)) {
    if (!isMap(b)) return false;
    return a.size === b.size && [...a].every(([k, v]) => b.has(k) && javaEquals(v, b.get(k)));
  }
  if (a instanceof MapEntry) return b instanceof MapEntry && a.key === b.key && javaEquals(a.value, b.value);
  return a === b;
}

/** Velocity 1.7's `==` (numbers by value, same kinds by equals, others by toString), plus API Gateway's `null == ""`. */
function velocityEquals(a: unknown, b: unknown): boolean {
  if (isNull(a) || isNull(b)) return (a ?? "") === (b ?? "");
  if (isNumber(a) && isNumber(b)) return compareNumbers(a, b) === 0;
  const kind = (v: unknown) => (Array.isArray(v) && !(v instanceof JavaArray) ? "list" : isMap(v) ? "map" : typeof v);
  if (kind(a) === kind(b) && kind(a) !== "object") return javaEquals(a, b);
  return javaToString(a) === javaToString(b);
}

/** The exact value of a finite double, as a fraction (what `new BigDecimal(double)` holds). */
function exactDouble(d: number): [bigint, bigint] {
  if (!Number.isFinite(d)) throw javaError("NumberFormatException", "Infinite or NaN");
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  if (biased !== 0) mantissa |= 1n << 52n;
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  const signed = bits >> 63n ? -mantissa : mantissa;
  return exponent >= 0 ? [signed << BigInt(exponent), 1n] : [signed, 1n << BigInt(-exponent)];
}

/**
 * Velocity 1.7's comparison of two numbers (MathUtils.compare): integers exactly (Long or
 * BigInteger); a BigDecimal, or a BigInteger with a Double, exactly as BigDecimals (a Double by its
 * exact binary value); other mixes as doubles.
 */
function compareNumbers(a: number | bigint | JavaDouble | JavaBigDecimal, b: number | bigint | JavaDouble | JavaBigDecimal): number {
  const integral = (v: unknown) => typeof v === "bigint" || isInt(v);
  const sign = (n: bigint) => (n > 0n ? 1 : n < 0n ? -1 : 0);
  if (integral(a) && integral(b)) return sign(BigInt(a as number | bigint) - BigInt(b as number | bigint));
  if (a instanceof JavaBigDecimal || b instanceof JavaBigDecimal || typeof a === "bigint" || typeof b === "bigint") {
    const fraction = (v: typeof a): [bigint, bigint] => (v instanceof JavaBigDecimal ? v.fraction() : integral(v) ? [BigInt(v as number | bigint), 1n] : exactDouble(numberValue(v)));
    const [[p, q], [r, t]] = [fraction(a), fraction(b)];
    return sign(p * t - r * q);
  }
  const [x, y] = [numberValue(a), numberValue(b)];
  return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
}

/** Velocity 1.7's truth of a value in #if: null is false, a Boolean is itself, anything else is true. */
const truthy = (value: unknown) => (typeof value === "boolean" ? value : !isNull(value));

// ---------------------------------------------------------------------------------------------
// JSON (json-smart's permissive mode, as API Gateway reads bodies) and a JSONPath subset
// ---------------------------------------------------------------------------------------------

/**
 * Strict JSON as json-smart reads it into Java values: integers stay exact (bigint beyond 2^53);
 * decimals are Doubles, or BigDecimals when written with more than 18 characters.
 */
function parseJson(text: string): unknown {
  let pos = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${pos}`);
  };
  const skipSpace = () => {
    while (pos < text.length && " \t\n\r".includes(text[pos])) pos++;
  };
  const expect = (ch: string) => {
    skipSpace();
    if (text[pos] !== ch) fail(`Expected '${ch}'`);
    pos++;
  };
  /**
   * A string literal. json-smart (permissive mode) drops the raw control characters (U+0000-U+001F,
   * U+007F) of a string that has an escape sequence, and keeps them in one that has none.
   */
  const string = (): string => {
    const special = /["\\]/g;
    const raw: string[] = [];
    let out = "";
    pos++;
    for (;;) {
      special.lastIndex = pos;
      const found = special.exec(text);
      if (!found) return fail("Unterminated string");
      const segment = text.slice(pos, found.index);
      pos = found.index + 1;
      if (found[0] === '"') {
        if (raw.length === 0) return segment;
        return out + segment.replace(/[\x00-\x1f\x7f]/g, "");
      }
      raw.push(segment);
      out += segment.replace(/[\x00-\x1f\x7f]/g, "");
      const escape = text[pos++];
      const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
      if (Object.hasOwn(simple, escape)) out += simple[escape];
      else if (escape === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(pos, pos + 4))) out += String.fromCharCode(parseInt(text.slice(pos, (pos += 4)), 16));
      else fail("Invalid escape");
    }
  };
  const value = (): unknown => {
    skipSpace();
    if (text[pos] === "{") {
      pos++;
      const map: JavaMap = new Map();
      skipSpace();
      if (text[pos] === "}") return pos++, map;
      do {
        skipSpace();
        if (text[pos] !== '"') fail("Expected a string key");
        const key = string();
        expect(":");
        map.set(key, value());
        skipSpace();
      } while (text[pos] === "," && pos++);
      expect("}");
      return map;
    }
    if (text[pos] === "[") {
      pos++;
      const list = new JsonArray();
      skipSpace();
      if (text[pos] === "]") return pos++, list;
      do {
        list.push(value());
        skipSpace();
      } while (text[pos] === "," && pos++);
      expect("]");
      return list;
    }
    if (text[pos] === '"') return string();
    const literal = /true|false|null|-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    literal.lastIndex = pos;
    const found = literal.exec(text);
    if (!found) return fail(pos < text.length ? `Unexpected character '${text[pos]}'` : "Unexpected end of input");
    pos += found[0].length;
    if (found[0] === "true" || found[0] === "false") return found[0] === "true";
    if (found[0] === "null") return null;
    if (found[1] !== undefined || found[2] !== undefined) return found[0].length > 18 ? JavaBigDecimal.parse(found[0]) : double(Number(found[0]));
    const n = Number(found[0]);
    return Number.isSafeInteger(n) ? n : BigInt(found[0]);
  };
  const result = value();
  skipSpace();
  if (pos < text.length) fail(`Unexpected character '${text[pos]}'`);
  return result;
}

/**
 * A body (or $util.parseJson argument) as API Gateway reads it: json-smart's permissive mode reads
 * text that does not start like JSON as one string, which form-encoded templates rely on.
 */
function parsePayload(text: string, what = "the body"): unknown {
  const trimmed = text.trim();
  try {
    return parseJson(trimmed);
  } catch (error) {
    if (/^[{["]/.test(trimmed)) throw new Error(`Could not process payload: ${what} is not valid JSON (${(error as Error).message})`);
    return trimmed; // "" for a blank payload, as json-smart reads it
  }
}

/** Evaluates `$`, `$.a.b`, `$['a']`, `$.a[0]` (and `[-1]`); undefined when the path leads nowhere. */
function selectJsonPath(root: unknown, jsonPath: string): unknown {
  const trimmed = jsonPath.trim();
  let rest = (trimmed.startsWith("$") ? trimmed : `$.${trimmed}`).slice(1);
  let value = root;
  while (rest) {
    const step = /^\.([^.[\]\s'"*]+)|^\[\s*(?:'([^']*)'|"([^"]*)"|(-?\d+))\s*\]/.exec(rest);
    if (!step) throw new Error(`Unsupported JSONPath "${jsonPath}" (supported: $, $.a.b, $['a'], $.a[0])`);
    rest = rest.slice(step[0].length);
    const name = step[1] ?? step[2] ?? step[3];
    if (name !== undefined) {
      value = isMap(value) && value.has(name) ? value.get(name) : undefined;
    } else {
      const i = Number(step[4]);
      value = Array.isArray(value) ? value[i < 0 ? value.length + i : i] : undefined;
    }
    if (value === undefined) return undefined;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Java regular expressions (java.util.regex) translated to RegExp
// ---------------------------------------------------------------------------------------------

const LINE_TERMINATORS = "\\n\\r\\u0085\\u2028\\u2029";
/** Java's `$` without MULTILINE: at the end, or before a line terminator that ends the input. */
const JAVA_END = `(?=(?:\\r\\n|[${LINE_TERMINATORS}])?(?![\\s\\S]))`;
const JAVA_SPACE = " \\t\\n\\x0B\\f\\r";
const HORIZONTAL_SPACE = " \\t\\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000";
const VERTICAL_SPACE = "\\n\\x0B\\f\\r\\x85\\u2028\\u2029";
const POSIX_CLASSES: Readonly<Record<string, string>> = {
  Lower: "a-z",
  Upper: "A-Z",
  ASCII: "\\x00-\\x7F",
  Alpha: "a-zA-Z",
  Digit: "0-9",
  Alnum: "a-zA-Z0-9",
  Punct: "!-\\/:-@\\[-`{-~",
  Graph: "!-~",
  Print: " -~",
  Blank: " \\t",
  Cntrl: "\\x00-\\x1F\\x7F",
  XDigit: "0-9a-fA-F",
  Space: JAVA_SPACE,
};

/** A literal character in RegExp's unicode mode (where escaping a non-syntax character is an error). */
const regexLiteral = (ch: string, inClass: boolean) => ("^$\\.*+?()[]{}|/".includes(ch) || (inClass && ch === "-") ? `\\${ch}` : ch);

/** Translates a Java regular expression; throws, as Java's PatternSyntaxException, on what it cannot translate. */
function javaPattern(regex: string): { source: string; flags: string } {
  const fail = (why: string) => new Error(`Java regex "${regex}": ${why}`);
  let src = regex;
  let flags = "u";
  const leading = /^\(\?([a-zA-Z]+)\)/.exec(src);
  if (leading) {
    for (const flag of leading[1]) {
      if ("ims".includes(flag)) flags += flags.includes(flag) ? "" : flag;
      else if (flag !== "u") throw fail(`unsupported flag (?${flag})`);
    }
    src = src.slice(leading[0].length);
  }
  let out = "";
  let inClass = false;
  for (let i = 0; i < src.length; ) {
    const ch = src[i];
    if (ch === "\\") {
      const [js, length] = translateEscape(src, i, inClass, fail);
      out += js;
      i += length;
    } else if (inClass) {
      if (ch === "[") throw fail("nested character classes are not supported");
      if (ch === "&" && src[i + 1] === "&") throw fail("character class intersections are not supported");
      inClass = ch !== "]";
      out += ch;
      i++;
    } else if (ch === "[") {
      inClass = true;
      const negated = src[i + 1] === "^";
      out += negated ? "[^" : "[";
      i += negated ? 2 : 1;
    } else if (ch === "(" && src[i + 1] === "?") {
      const group = /^\(\?(?::|=|!|<=|<!|<[a-zA-Z][a-zA-Z0-9]*>)/.exec(src.slice(i));
      if (!group) throw fail(`unsupported group construct at index ${i}`);
      out += group[0];
      i += group[0].length;
    } else {
      const repeat = ch === "{" ? /^\{\d+(?:,\d*)?\}/.exec(src.slice(i)) : null;
      if (ch === "{" && !repeat) throw fail(`illegal repetition at index ${i}`);
      const translated: Record<string, string> = {
        ".": flags.includes("s") ? "[\\s\\S]" : `[^${LINE_TERMINATORS}]`,
        $: flags.includes("m") ? "$" : JAVA_END,
        "]": "\\]",
        "}": "\\}",
      };
      out += repeat ? repeat[0] : Object.hasOwn(translated, ch) ? translated[ch] : ch;
      i += repeat ? repeat[0].length : 1;
      if ((repeat || "*+?".includes(ch)) && src[i] === "+") throw fail("possessive quantifiers are not supported");
    }
  }
  try {
    new RegExp(out, flags);
  } catch (error) {
    throw fail((error as Error).message);
  }
  return { source: out, flags };
}

function translateEscape(src: string, i: number, inClass: boolean, fail: (why: string) => Error): [string, number] {
  const ch = src[i + 1];
  if (ch === undefined) throw fail("unexpected trailing backslash");
  const set = (content: string, negated: boolean): string => {
    if (!inClass) return `[${negated ? "^" : ""}${content}]`;
    if (negated) throw fail(`\\${ch} inside a character class is not supported`);
    return content;
  };
  const simple: Record<string, string> = { a: "\\x07", e: "\\x1B", s: set(JAVA_SPACE, false), h: set(HORIZONTAL_SPACE, false), v: set(VERTICAL_SPACE, false) };
  if (!inClass) Object.assign(simple, { S: `[^${JAVA_SPACE}]`, H: `[^${HORIZONTAL_SPACE}]`, V: `[^${VERTICAL_SPACE}]`, R: `(?:\\r\\n|[${VERTICAL_SPACE}])`, A: "(?<![\\s\\S])", z: "(?![\\s\\S])", Z: JAVA_END });
  if (Object.hasOwn(simple, ch)) return [simple[ch], 2];
  if ("dDwWbBtnrfS".includes(ch)) return [`\\${ch}`, 2];
  const rest = src.slice(i);
  let m: RegExpExecArray | null;
  if (ch === "Q") {
    const end = src.indexOf("\\E", i + 2);
    const quoted = src.slice(i + 2, end < 0 ? undefined : end);
    return [[...quoted].map((c) => regexLiteral(c, inClass)).join(""), (end < 0 ? src.length : end + 2) - i];
  }
  if ((m = /^\\0([0-3]?[0-7]{1,2})/.exec(rest))) return [`\\u{${parseInt(m[1], 8).toString(16)}}`, m[0].length];
  if ((m = /^\\x\{([0-9a-fA-F]+)\}/.exec(rest))) return [`\\u{${m[1]}}`, m[0].length];
  if ((m = /^\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|c[A-Za-z]|k<[a-zA-Z][a-zA-Z0-9]*>)/.exec(rest))) return [m[0], m[0].length];
  if (!inClass && (m = /^\\[1-9]\d*/.exec(rest))) return [m[0], m[0].length];
  if ((m = /^\\([pP])(?:\{(\^?)([^}]*)\}|([A-Za-z]))/.exec(rest))) {
    const negated = (m[1] === "P") !== (m[2] === "^");
    const name = (m[3] ?? m[4]).replace(/^Is(?=[A-Z])/, "");
    if (Object.hasOwn(POSIX_CLASSES, name)) return [set(POSIX_CLASSES[name], negated), m[0].length];
    if (/^(?:[A-Z][a-z]?|Alphabetic|White_Space|Letter|Uppercase|Lowercase)$/.test(name)) return [`\\${negated ? "P" : "p"}{${name}}`, m[0].length];
    throw fail(`unsupported property ${m[0]}`);
  }
  if (/[a-zA-Z0-9]/.test(ch)) throw fail(`illegal or unsupported escape sequence \\${ch}`);
  return [regexLiteral(ch, inClass), 2];
}

const compileJava = (regex: string, extraFlags = "") => {
  const { source, flags } = javaPattern(regex);
  return new RegExp(source, flags + extraFlags);
};

/** Java's Matcher.appendReplacement syntax: $n, ${name}, and \x for a literal x. */
function javaReplacer(replacement: string, regex: string): (...match: unknown[]) => string {
  return (...match: unknown[]) => {
    const named = typeof match[match.length - 1] === "object" ? (match[match.length - 1] as Record<string, string | undefined>) : undefined;
    const groups = match.slice(0, named ? -3 : -2) as (string | undefined)[];
    let out = "";
    for (let i = 0; i < replacement.length; i++) {
      const ch = replacement[i];
      if (ch === "\\") {
        if (++i === replacement.length) throw javaError("IllegalArgumentException", `character to be escaped is missing in "${replacement}"`);
        out += replacement[i];
      } else if (ch === "$") {
        const name = /^\{([a-zA-Z][a-zA-Z0-9]*)\}/.exec(replacement.slice(i + 1));
        if (name) {
          if (!named || !Object.hasOwn(named, name[1])) throw javaError("IllegalArgumentException", `no group with name {${name[1]}} in "${regex}"`);
          out += named[name[1]] ?? "";
          i += name[0].length;
          continue;
        }
        if (!/[0-9]/.test(replacement[i + 1] ?? "")) throw javaError("IllegalArgumentException", `illegal group reference in "${replacement}"`);
        let ref = Number(replacement[++i]);
        // Java takes more digits only while they still name an existing group.
        while (/[0-9]/.test(replacement[i + 1] ?? "") && ref * 10 + Number(replacement[i + 1]) < groups.length) ref = ref * 10 + Number(replacement[++i]);
        if (ref >= groups.length) throw javaError("IndexOutOfBoundsException", `no group ${ref} in "${regex}"`);
        out += groups[ref] ?? "";
      } else {
        out += ch;
      }
    }
    return out;
  };
}

/** Java's String.split(regex, limit): no empty first part for a zero-width match; limit 0 drops trailing empty parts. */
function javaSplit(text: string, regex: string, limit: number): JavaArray<string> {
  const parts: string[] = [];
  let index = 0;
  for (const m of text.matchAll(compileJava(regex, "g"))) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (limit > 0 && parts.length >= limit - 1) break;
    if (index === 0 && start === 0 && end === 0) continue;
    parts.push(text.slice(index, start));
    index = end;
  }
  if (parts.length === 0) return JavaArray.from([text]) as JavaArray<string>;
  parts.push(text.slice(index));
  if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return JavaArray.from(parts) as JavaArray<string>;
}

// ---------------------------------------------------------------------------------------------
// Java methods: String, Map, List, Number, Map.Entry, Object
// ---------------------------------------------------------------------------------------------

function javaError(kind: string, message: string): Error {
  return new Error(`java.lang.${kind}: ${message}`);
}

const notNull = <T>(value: T): NonNullable<T> => {
  if (isNull(value)) throw javaError("NullPointerException", "null argument");
  return value as NonNullable<T>;
};

const checkIndex = (i: number, size: number, kind = "IndexOutOfBoundsException") => {
  if (i < 0 || i >= size) throw javaError(kind, `Index: ${i}, Size: ${size}`);
  return i;
};

/** indexOf(int ch) takes a character code. */
const charOrString = (v: string | number) => (typeof v === "number" ? String.fromCodePoint(v) : notNull(v));

function javaSubstring(s: string, begin: number, end: number): string {
  if (begin < 0 || end > s.length || begin > end) throw javaError("StringIndexOutOfBoundsException", `begin ${begin}, end ${end}, length ${s.length}`);
  return s.slice(begin, end);
}

function javaCompare(a: string, b: string): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a.charCodeAt(i) - b.charCodeAt(i);
  return a.length - b.length;
}

const STRING_METHODS: Readonly<Record<string, Overloads>> = {
  length: { "": (s: string) => s.length },
  isEmpty: { "": (s: string) => s.length === 0 },
  equals: { o: (s: string, o: unknown) => s === o },
  equalsIgnoreCase: { o: (s: string, o: unknown) => typeof o === "string" && o.length === s.length && (o.toUpperCase() === s.toUpperCase() || o.toLowerCase() === s.toLowerCase()) },
  contains: { s: (s: string, t: string) => s.includes(notNull(t)) },
  startsWith: { s: (s: string, t: string) => s.startsWith(notNull(t)), si: (s: string, t: string, from: number) => from >= 0 && s.startsWith(notNull(t), from) },
  endsWith: { s: (s: string, t: string) => s.endsWith(notNull(t)) },
  indexOf: {
    s: (s: string, t: string) => s.indexOf(notNull(t)),
    i: (s: string, c: number) => s.indexOf(charOrString(c)),
    si: (s: string, t: string, from: number) => s.indexOf(notNull(t), Math.max(0, from)),
    ii: (s: string, c: number, from: number) => s.indexOf(charOrString(c), Math.max(0, from)),
  },
  lastIndexOf: {
    s: (s: string, t: string) => s.lastIndexOf(notNull(t)),
    i: (s: string, c: number) => s.lastIndexOf(charOrString(c)),
    si: (s: string, t: string, from: number) => (from < 0 ? -1 : s.lastIndexOf(notNull(t), from)),
    ii: (s: string, c: number, from: number) => (from < 0 ? -1 : s.lastIndexOf(charOrString(c), from)),
  },
  substring: { i: (s: string, begin: number) => javaSubstring(s, begin, s.length), ii: javaSubstring },
  charAt: { i: (s: string, i: number) => s[checkIndex(i, s.length, "StringIndexOutOfBoundsException")] },
  toLowerCase: { "": (s: string) => s.toLowerCase() },
  toUpperCase: { "": (s: string) => s.toUpperCase() },
  trim: { "": (s: string) => s.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, "") },
  concat: { s: (s: string, t: string) => s + notNull(t) },
  replace: { ss: (s: string, target: string, replacement: string) => s.replaceAll(notNull(target), () => notNull(replacement)) },
  replaceAll: { ss: (s: string, regex: string, replacement: string) => s.replace(compileJava(notNull(regex), "g"), javaReplacer(notNull(replacement), regex)) },
  replaceFirst: { ss: (s: string, regex: string, replacement: string) => s.replace(compileJava(notNull(regex)), javaReplacer(notNull(replacement), regex)) },
  matches: {
    s: (s: string, regex: string) => {
      const { source, flags } = javaPattern(notNull(regex));
      return new RegExp(`(?:${source})(?![\\s\\S])`, `${flags}y`).test(s);
    },
  },
  split: { s: (s: string, regex: string) => javaSplit(s, notNull(regex), 0), si: (s: string, regex: string, limit: number) => javaSplit(s, notNull(regex), limit) },
  compareTo: { s: (s: string, t: string) => javaCompare(s, notNull(t)) },
  hashCode: { "": javaHash },
};

const MAP_METHODS: Readonly<Record<string, Overloads>> = {
  get: { o: (m: JavaMap, k: unknown) => (typeof k === "string" && m.has(k) ? m.get(k) : null) },
  getOrDefault: { oo: (m: JavaMap, k: unknown, d: unknown) => (typeof k === "string" && m.has(k) ? m.get(k) : d) },
  containsKey: { o: (m: JavaMap, k: unknown) => typeof k === "string" && m.has(k) },
  containsValue: { o: (m: JavaMap, v: unknown) => [...m.values()].some((x) => javaEquals(x, v)) },
  size: { "": (m: JavaMap) => m.size },
  isEmpty: { "": (m: JavaMap) => m.size === 0 },
  keySet: { "": (m: JavaMap) => [...m.keys()] },
  values: { "": (m: JavaMap) => [...m.values()] },
  entrySet: { "": (m: JavaMap) => [...m].map(([k, v]) => new MapEntry(k, v)) },
  put: {
    oo: (m: JavaMap, k: unknown, v: unknown) => {
      const key = javaToString(k);
      const previous = m.has(key) ? m.get(key) : null;
      m.set(key, v);
      return previous;
    },
  },
  putAll: { o: (m: JavaMap, other: unknown) => void (isMap(other) && other.forEach((v, k) => m.set(k, v))) },
  remove: {
    o: (m: JavaMap, k: unknown) => {
      if (typeof k !== "string" || !m.has(k)) return null;
      const previous = m.get(k);
      m.delete(k);
      return previous;
    },
  },
};

const LIST_METHODS: Readonly<Record<string, Overloads>> = {
  size: { "": (l: unknown[]) => l.length },
  isEmpty: { "": (l: unknown[]) => l.length === 0 },
  get: { i: (l: unknown[], i: number) => l[checkIndex(i, l.length)] },
  contains: { o: (l: unknown[], o: unknown) => l.some((x) => javaEquals(x, o)) },
  indexOf: { o: (l: unknown[], o: unknown) => l.findIndex((x) => javaEquals(x, o)) },
  add: { o: (l: unknown[], o: unknown) => (l.push(o), true), io: (l: unknown[], i: number, o: unknown) => void l.splice(i === l.length ? i : checkIndex(i, l.length), 0, o) },
  set: { io: (l: unknown[], i: number, o: unknown) => l.splice(checkIndex(i, l.length), 1, o)[0] },
  remove: {
    i: (l: unknown[], i: number) => l.splice(checkIndex(i, l.length), 1)[0],
    o: (l: unknown[], o: unknown) => {
      const i = l.findIndex((x) => javaEquals(x, o));
      return i >= 0 && l.splice(i, 1).length === 1;
    },
  },
  subList: {
    ii: (l: unknown[], from: number, to: number) => {
      if (from < 0 || to > l.length || from > to) throw javaError("IndexOutOfBoundsException", `fromIndex ${from}, toIndex ${to}, size ${l.length}`);
      return [...l.slice(from, to)];
    },
  },
};

type JavaNumber = number | bigint | JavaDouble;
const NUMBER_METHODS: Readonly<Record<string, Overloads>> = {
  intValue: { "": (n: JavaNumber) => Math.trunc(numberValue(n)) | 0 },
  longValue: { "": (n: JavaNumber) => (typeof n === "bigint" ? n : Math.trunc(numberValue(n))) },
  doubleValue: { "": (n: JavaNumber) => double(numberValue(n)) },
};

const ENTRY_METHODS: Readonly<Record<string, Overloads>> = {
  getKey: { "": (e: MapEntry) => e.key },
  getValue: { "": (e: MapEntry) => e.value },
};

const OBJECT_METHODS: Readonly<Record<string, Overloads>> = {
  toString: { "": (o: unknown) => javaToString(o) },
  equals: { o: (a: unknown, b: unknown) => javaEquals(a, b) },
  booleanValue: { "": (b: unknown) => (typeof b === "boolean" ? b : NO_METHOD) },
};

function accepts(signature: string, args: unknown[]): boolean {
  if (signature.length !== args.length) return false;
  return [...signature].every((kind, i) => kind === "o" || (kind === "i" ? isInt(args[i]) : typeof args[i] === "string" || isNull(args[i])));
}

/** Calls a Java method as Velocity's introspection would; NO_METHOD when there is none for these arguments. */
function invoke(target: unknown, name: string, args: unknown[]): unknown {
  const own =
    target instanceof Host ? target.methods
    : typeof target === "string" ? STRING_METHODS
    : isMap(target) ? MAP_METHODS
    : Array.isArray(target) ? LIST_METHODS
    : isNumber(target) ? NUMBER_METHODS
    : target instanceof MapEntry ? ENTRY_METHODS
    : {};
  for (const table of [own, OBJECT_METHODS]) {
    const overloads = Object.hasOwn(table, name) ? table[name] : {};
    for (const [signature, fn] of Object.entries(overloads)) {
      if (accepts(signature, args)) return (fn as (...a: unknown[]) => unknown)(target, ...args);
    }
  }
  return NO_METHOD;
}

/** `$x.name`: a map's entry, else the getter getName() or isName(), as Velocity 1.7 looks it up. */
function property(target: unknown, name: string): unknown {
  if (isMap(target)) return target.has(name) ? target.get(name) : undefined;
  const capitalized = name.charAt(0).toUpperCase() + name.slice(1);
  for (const getter of [`get${capitalized}`, `is${capitalized}`]) {
    const value = invoke(target, getter, []);
    if (value !== NO_METHOD) return value;
  }
  return undefined;
}

/** `$x[key]`: a list's element (a negative index counts from the end) or a map's entry. */
function index(target: unknown, key: unknown): unknown {
  if (Array.isArray(target) && isInt(key)) return target[checkIndex(key < 0 ? target.length + key : key, target.length)];
  if (isMap(target) && typeof key === "string") return target.has(key) ? target.get(key) : undefined;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// $input, $util, $context
// ---------------------------------------------------------------------------------------------

function createInput(request: MappingRequest): Host {
  const body = request.body === "" ? "{}" : request.body; // API Gateway reads an empty body as {}
  let parsed: { value: unknown } | undefined;
  const root = () => {
    parsed ??= { value: parsePayload(body) };
    // Jayway JsonPath reads no path in a null document (IllegalArgumentException).
    if (parsed.value === null) throw new Error("JSONPath: root can not be null (the payload is the JSON null)");
    return parsed.value;
  };
  const params = toJava({ path: { ...request.pathParameters }, querystring: { ...request.queryString }, header: { ...request.headers } }) as Map<string, JavaMap>;
  /** A parameter by name: path, then query string, then header (exact case first); "" when absent. */
  const param = (name: string) => {
    for (const map of [params.get("path")!, params.get("querystring")!]) if (map.has(name)) return map.get(name);
    const headers = params.get("header")!;
    const header = headers.has(name) ? name : [...headers.keys()].find((h) => h.toLowerCase() === name.toLowerCase());
    return header === undefined ? "" : headers.get(header);
  };
  return new Host({
    getBody: { "": () => body },
    json: {
      s: (_: Host, jsonPath: string) => {
        const value = selectJsonPath(root(), notNull(jsonPath));
        return value === undefined ? '""' : toJson(value);
      },
    },
    path: { s: (_: Host, jsonPath: string) => selectJsonPath(root(), notNull(jsonPath)) ?? null },
    params: { "": () => params, o: (_: Host, name: unknown) => (isNull(name) ? "" : param(javaToString(name))) },
  });
}

/** Java writes an unpaired surrogate as "?" when it encodes UTF-8. */
const wellFormed = (text: string) => text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "?");

/** Java's URLEncoder.encode(s, "UTF-8"): space as "+"; only A-Z a-z 0-9 . - * _ kept. */
function urlEncode(text: string): string {
  return encodeURIComponent(wellFormed(text))
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

/** Java's URLDecoder.decode(s, "UTF-8"): "+" as space, runs of %XX as UTF-8. */
function urlDecode(text: string): string {
  return text.replace(/\+/g, " ").replace(/(?:%[0-9a-fA-F]{2})+|%.{0,2}/g, (run) => {
    if (!/^(?:%[0-9a-fA-F]{2})+$/.test(run)) throw javaError("IllegalArgumentException", `URLDecoder: illegal hex characters in escape (%) pattern: ${run}`);
    return Buffer.from(run.replace(/%/g, ""), "hex").toString("utf8");
  });
}

const JS_ESCAPES: Readonly<Record<string, string>> = { "\b": "\\b", "\n": "\\n", "\t": "\\t", "\f": "\\f", "\r": "\\r", "'": "\\'", '"': '\\"', "\\": "\\\\", "/": "\\/" };

/**
 * commons-lang 2 StringEscapeUtils.escapeJavaScript: the escapes above, other chars below 0x20 and
 * all above 0x7f as \uXXXX (uppercase hex, per UTF-16 unit: an astral char gives two).
 */
function escapeJavaScript(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const code = text.charCodeAt(i);
    if (Object.hasOwn(JS_ESCAPES, ch)) out += JS_ESCAPES[ch];
    else if (code > 0x7f || code < 0x20) out += `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;
    else out += ch;
  }
  return out;
}

/** A $util function of a string: null gives null; other values are converted with toString. */
const stringFunction = (fn: (text: string) => unknown): Overloads => ({
  o: (_: Host, value: unknown) => (isNull(value) ? null : fn(javaToString(value))),
});

const UTIL = new Host({
  escapeJavaScript: stringFunction(escapeJavaScript),
  parseJson: stringFunction((text) => parsePayload(text, "the $util.parseJson argument")),
  urlEncode: stringFunction(urlEncode),
  urlDecode: stringFunction(urlDecode),
  base64Encode: stringFunction((text) => Buffer.from(wellFormed(text), "utf8").toString("base64")),
  base64Decode: stringFunction((text) => Buffer.from(text, "base64").toString("utf8")),
});

function createContext(request: MappingRequest): JavaMap {
  type Fields = Record<string, unknown>;
  const now = new Date();
  const requestId = randomUUID();
  const pad = (n: number) => String(n).padStart(2, "0");
  const month = now.toLocaleString("en-US", { month: "short", timeZone: "UTC" });
  const defaults: Fields = {
    accountId: PLACEHOLDER_ACCOUNT_ID,
    apiId: "local",
    domainName: "localhost",
    domainPrefix: "localhost",
    extendedRequestId: createHash("sha256").update(requestId).digest("base64").slice(0, 16),
    httpMethod: "POST",
    path: "/",
    protocol: "HTTP/1.1",
    requestId,
    requestTime: `${pad(now.getUTCDate())}/${month}/${now.getUTCFullYear()}:${pad(now.getUTCHours())}:${pad(now.getUTCMinutes())}:${pad(now.getUTCSeconds())} +0000`,
    requestTimeEpoch: now.getTime(),
    resourceId: "local",
    resourcePath: "/",
    stage: "local",
    identity: { sourceIp: "127.0.0.1", userAgent: "local" },
    authorizer: {},
    requestOverride: { header: {}, path: {}, querystring: {} },
    responseOverride: { header: {} },
  };
  const merge = (base: Fields, extra: Readonly<Fields>): Fields => {
    const out = { ...base };
    for (const [key, value] of Object.entries(extra)) out[key] = isPlainObject(out[key]) && isPlainObject(value) ? merge(out[key] as Fields, value) : value;
    return out;
  };
  return toJava(merge(defaults, request.context ?? {})) as JavaMap;
}

function readResponseOverride(override: unknown): RenderResult["responseOverride"] {
  const header: Record<string, string> = {};
  if (!isMap(override)) return { header };
  const headers = override.get("header");
  if (isMap(headers)) for (const [name, value] of headers) if (!isNull(value)) header[name] = javaToString(value);
  const status = isNull(override.get("status")) ? NaN : Number(javaToString(override.get("status")));
  return Number.isInteger(status) ? { status, header } : { header };
}

// ---------------------------------------------------------------------------------------------
// The renderer: velocityjs's Compile with Velocity 1.7 and Java semantics
// ---------------------------------------------------------------------------------------------

/** A value already computed, handed to velocityjs's #set as if it were a literal. */
const CONSTANT = "vtl:constant";
/** #break, as a call of a macro that stops the render loop up to the enclosing #foreach. */
const BREAK = "vtl:break";

type Node = { readonly type: string; readonly [field: string]: unknown };

class ApiGatewayCompile extends Compile {
  private loops = 0;

  constructor(asts: VELOCITY_AST[]) {
    super(asts, { escape: false });
  }

  /** Renders the template for these variables. */
  run(variables: Record<string, unknown>): string {
    // velocityjs's #break lets the rest of the loop body render; Velocity's leaves it at once.
    const breakLoop = () => {
      this.runState.break = this.runState.stop = true;
      return "";
    };
    return this.render(variables, { [BREAK]: breakLoop });
  }

  // velocityjs types getReferences, getLiteral and getExpression as returning strings; they return
  // template values, hence `any` on these three overrides.

  /** Printing: a null reference prints nothing (API Gateway), anything else Java's toString. */
  protected override getReferences(ast: VELOCITY_AST, isVal?: boolean): any {
    const value = super.getReferences(ast, false) as unknown;
    if (!isVal) return value;
    return isNull(value) ? "" : javaToString(value);
  }

  /** A property, index or method step of a reference ($a.b, $a[0], $a.b()). Overrides velocityjs's. */
  getAttributes(step: Attribute, target: unknown): unknown {
    if (isNull(target)) return undefined;
    if (step.type === "property") return property(target, step.id);
    if (step.type === "index") return index(target, this.getLiteral(step.id as VELOCITY_AST));
    const args = Array.isArray(step.args) ? step.args.map((arg) => this.getLiteral(arg as VELOCITY_AST) as unknown) : []; // `false` when none
    const result = invoke(target, step.id, args);
    return result === NO_METHOD ? undefined : result;
  }

  protected override getLiteral(ast: VELOCITY_AST): any {
    const node = ast as Node;
    if (node.type === CONSTANT) return node.value;
    if (node.type === "decimal") return double(Number(node.value));
    if (node.type === "integer") return Number(node.value);
    if (node.type === "map") {
      // A map literal is a LinkedHashMap. (Its keys come in the order the parser's object has them.)
      const entries = Object.entries((node.value ?? {}) as Record<string, VELOCITY_AST>);
      return new Map(entries.map(([key, value]) => [key, this.getLiteral(value) as unknown]));
    }
    return super.getLiteral(ast);
  }

  /** Interpolation in double-quoted strings, parsed with the same rules as the template. */
  protected override evalStr(text: string): string {
    return this.renderAstList(parseVtl(text, "string literal"), this.contextId);
  }

  /** #set; Velocity 1.7 leaves the target unchanged when the value is null. */
  protected override setValue(ast: SetAST): void {
    const [target, expression] = ast.equal;
    const value = this.getExpression(expression) as unknown;
    if (isNull(value)) return;
    const steps = target.path ?? [];
    if (steps.length === 0) {
      super.setValue({ ...ast, equal: [target, { type: CONSTANT, value } as unknown as VELOCITY_AST] });
      return;
    }
    const container = this.getReferences({ ...target, path: steps.slice(0, -1) } as VELOCITY_AST, false) as unknown;
    const last = steps[steps.length - 1];
    const key = last.type === "property" ? last.id : last.type === "index" ? (this.getLiteral(last.id as VELOCITY_AST) as unknown) : undefined;
    if (isMap(container) && !isNull(key)) container.set(javaToString(key), value);
    else if (Array.isArray(container) && isInt(key)) container[checkIndex(key, container.length)] = value;
  }

  protected override getBlock(block: VELOCITY_AST[]): string {
    const type = (block[0] as Node).type;
    if (type === "if") return this.renderIf(block);
    if (type === "foreach") return this.renderForeach(block);
    return super.getBlock(block);
  }

  private renderIf(block: VELOCITY_AST[]): string {
    const body: VELOCITY_AST[] = [];
    let taken = false;
    for (const item of block) {
      const node = item as Node;
      if (typeof item === "object" && !Array.isArray(item) && ["if", "elseif", "else"].includes(node.type)) {
        if (taken) break;
        taken = node.type === "else" || this.test(node.condition as VELOCITY_AST);
      } else if (taken) {
        body.push(item);
      }
    }
    return this.renderAstList(body, this.contextId);
  }

  /** #foreach over a list (or a map's values), with $foreach.index/count/hasNext/first/last and $velocityCount. */
  private renderForeach(block: VELOCITY_AST[]): string {
    const head = block[0] as Node;
    const source = this.getLiteral(head.from as VELOCITY_AST) as unknown;
    const items = Array.isArray(source) ? [...source] : isMap(source) ? [...source.values()] : [];
    if (items.length === 0) return "";
    const contextId = `foreach:${++this.loops}`;
    const scope: Record<string, unknown> = {};
    this.local[contextId] = scope;
    let out = "";
    for (let i = 0; i < items.length && !this.runState.break; i++) {
      const hasNext = i + 1 < items.length;
      scope[head.to as string] = items[i];
      scope.foreach = new Map<string, unknown>([["index", i], ["count", i + 1], ["hasNext", hasNext], ["first", i === 0], ["last", !hasNext]]);
      scope.velocityCount = i + 1;
      scope.velocityHasNext = hasNext;
      out += this.renderAstList(block.slice(1), contextId);
    }
    if (this.runState.break) this.runState.break = this.runState.stop = false;
    this.local[contextId] = {};
    this.conditions.shift();
    this.contextId = this.conditions[0] || "";
    return out;
  }

  /** A condition, as Velocity 1.7 evaluates it. */
  private test(ast: VELOCITY_AST): boolean {
    const node = ast as Node;
    if (node.type === "references") return truthy(this.getReferences(ast, false));
    if (node.type === "bool") return node.value === "true";
    if (node.type !== "math") return false; // other literals evaluate to false in Velocity 1.7
    const [a, b] = node.expression as VELOCITY_AST[];
    switch (node.operator) {
      case "&&":
        return this.test(a) && this.test(b);
      case "||":
        return this.test(a) || this.test(b);
      case "not":
        return !this.test(a);
      case "parenthesis":
        return this.test(a);
      case "==":
        return velocityEquals(this.getExpression(a), this.getExpression(b));
      case "!=":
        return !velocityEquals(this.getExpression(a), this.getExpression(b));
      case "<":
      case "<=":
      case ">":
      case ">=": {
        const x: unknown = this.getExpression(a);
        const y: unknown = this.getExpression(b);
        if (!isNumber(x) || !isNumber(y)) return false; // Velocity 1.7 compares numbers only
        const order = compareNumbers(x, y);
        return { "<": order < 0, "<=": order <= 0, ">": order > 0, ">=": order >= 0 }[node.operator];
      }
      default:
        return false; // arithmetic evaluates to false in Velocity 1.7
    }
  }

  /** An expression's value (#set right-hand sides), with Velocity 1.7's arithmetic. */
  protected override getExpression(ast: VELOCITY_AST): any {
    const node = ast as Node;
    if (node.type !== "math") return this.getLiteral(ast);
    const [a, b] = node.expression as VELOCITY_AST[];
    switch (node.operator) {
      case "parenthesis":
        return this.getExpression(a);
      case "minus": {
        const x: unknown = this.getExpression(a);
        return isNumber(x) ? (isDouble(x) ? double(-numberValue(x)) : -numberValue(x)) : null;
      }
      case "+":
      case "-":
      case "*":
      case "/":
      case "%":
        return this.arithmetic(node.operator, a, b);
      default:
        return this.test(ast);
    }
  }

  private arithmetic(operator: "+" | "-" | "*" | "/" | "%", a: VELOCITY_AST, b: VELOCITY_AST): unknown {
    const x: unknown = this.getExpression(a);
    const y: unknown = this.getExpression(b);
    if (operator === "+" && (typeof x === "string" || typeof y === "string")) {
      // Velocity 1.7 concatenates, writing a null side as its source text.
      const text = (v: unknown, side: VELOCITY_AST) => (isNull(v) ? Helper.getRefText(side as ReferencesAST) : javaToString(v));
      return text(x, a) + text(y, b);
    }
    if (!isNumber(x) || !isNumber(y)) return null;
    const [l, r] = [numberValue(x), numberValue(y)];
    if ((operator === "/" || operator === "%") && r === 0) return null; // Velocity 1.7: null, not an error
    const result = { "+": l + r, "-": l - r, "*": l * r, "/": l / r, "%": l % r }[operator];
    if (isDouble(x) || isDouble(y)) return double(result);
    return operator === "/" ? Math.trunc(result) : result;
  }
}
