/**
 * Intrinsic functions (`States.Format(…)` and the others) in JSONPath states' `….$` fields, with
 * AWS's numbers and strings. Reference: Step Functions Developer Guide, "Intrinsic functions for
 * JSONPath states"; where the page is silent, the executions recorded on AWS in LocalStack's
 * tests/aws/services/stepfunctions/v2/intrinsic_functions/*.snapshot.json (named at each function).
 * Every failure is `States.IntrinsicFailure` (Developer Guide, "Error names").
 */
import { createHash, randomUUID } from "node:crypto";
import { FieldError } from "./errors";
import { isJsonObject, jsonEquals, type JsonValue } from "./json";
import { evaluatePath, type PathScope } from "./jsonpath";

type Arg =
  | { readonly kind: "string"; readonly raw: string; readonly value: string }
  | { readonly kind: "literal"; readonly value: JsonValue }
  | { readonly kind: "path"; readonly path: string }
  | { readonly kind: "call"; readonly call: Call };

interface Call {
  readonly name: string;
  readonly args: readonly Arg[];
}

/** The functions AWS defines (Developer Guide, "Intrinsic functions"). */
export const INTRINSIC_FUNCTIONS = Object.freeze([
  "States.Format",
  "States.StringToJson",
  "States.JsonToString",
  "States.Array",
  "States.ArrayPartition",
  "States.ArrayContains",
  "States.ArrayRange",
  "States.ArrayGetItem",
  "States.ArrayLength",
  "States.ArrayUnique",
  "States.Base64Encode",
  "States.Base64Decode",
  "States.Hash",
  "States.JsonMerge",
  "States.MathRandom",
  "States.MathAdd",
  "States.StringSplit",
  "States.UUID",
]);

/** True when a `….$` value is an intrinsic function call rather than a path. */
export function isIntrinsic(text: string): boolean {
  return /^\s*States\.[A-Za-z0-9]+\s*\(/.test(text);
}

const cache = new Map<string, Call>();

export function parseIntrinsic(text: string): Call {
  let call = cache.get(text);
  if (call === undefined) {
    const parser = new Parser(text);
    call = parser.call();
    parser.end();
    if (cache.size > 10_000) cache.clear();
    cache.set(text, call);
  }
  return call;
}

/** Evaluates an intrinsic function call. */
export function evaluateIntrinsic(text: string, scope: PathScope, field = ""): JsonValue {
  return run(parseIntrinsic(text), { ...scope, field });
}

/** The scope of a call, with the field it fills (named when a path argument selects nothing). */
type CallScope = PathScope & { readonly field: string };

function fail(message: string): never {
  throw new FieldError("States.IntrinsicFailure", message);
}

function argValue(arg: Arg, scope: CallScope): JsonValue {
  switch (arg.kind) {
    case "string":
    case "literal":
      return arg.value;
    case "call":
      return run(arg.call, scope);
    case "path": {
      const result = evaluatePath(arg.path, scope);
      // Worded as for a plain path (the same check on AWS): States.Runtime naming the field.
      if (!result.found) {
        throw new FieldError(
          "States.Runtime",
          `The JSONPath '${arg.path}' specified for the field '${scope.field}' could not be found in the input '${JSON.stringify(scope.data)}'`,
        );
      }
      return result.value;
    }
  }
}

function expectArgs(call: Call, min: number, max = min): void {
  if (call.args.length < min || call.args.length > max) {
    const expected = min === max ? String(min) : `${min} to ${max}`;
    fail(`The function ${call.name} takes ${expected} argument(s), got ${call.args.length}`);
  }
}

function asString(call: Call, value: JsonValue, position: number): string {
  if (typeof value !== "string") fail(`The ${ordinal(position)} argument of ${call.name} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

function asNumber(call: Call, value: JsonValue, position: number): number {
  if (typeof value !== "number") fail(`The ${ordinal(position)} argument of ${call.name} must be a number, got ${JSON.stringify(value)}`);
  return value;
}

function asInteger(call: Call, value: JsonValue, position: number): number {
  const n = asNumber(call, value, position);
  if (!Number.isInteger(n)) fail(`The ${ordinal(position)} argument of ${call.name} must be an integer, got ${n}`);
  return n;
}

function asArray(call: Call, value: JsonValue, position: number): JsonValue[] {
  if (!Array.isArray(value)) fail(`The ${ordinal(position)} argument of ${call.name} must be an array, got ${JSON.stringify(value)}`);
  return value;
}

function ordinal(n: number): string {
  return ["first", "second", "third"][n] ?? `#${n + 1}`;
}

/** Strings the encoding and hash functions accept: "up to 10,000 characters" (Developer Guide). */
const MAX_ENCODED_INPUT = 10_000;
/** "States.ArrayRange … The array can contain up to 1000 items" (Developer Guide). */
const MAX_RANGE_ITEMS = 1000;

function run(call: Call, scope: CallScope): JsonValue {
  const values = () => call.args.map((arg) => argValue(arg, scope));
  switch (call.name) {
    case "States.Format": {
      if (call.args.length < 1) fail("The function States.Format needs a template string");
      const template = call.args[0];
      // The template may come from a path or a variable (recorded on AWS:
      // test_assign_reference_variables.py::test_reference_in_map_state[MAP_STATE_REFERENCE_IN_INTRINSIC_FUNCTION]);
      // only a literal has escapes.
      const raw = template.kind === "string" ? template.raw : asString(call, argValue(template, scope), 0).replace(/\\/g, "\\\\");
      return format(
        raw,
        call.args.slice(1).map((arg) => argValue(arg, scope)),
      );
    }
    case "States.StringToJson": {
      expectArgs(call, 1);
      const text = asString(call, values()[0], 0);
      // Recorded on AWS: "" and " " give null (test_json_manipulation::test_string_to_json).
      if (text.trim() === "") return null;
      try {
        return JSON.parse(text) as JsonValue;
      } catch {
        return fail(`The argument of States.StringToJson is not valid JSON: ${text}`);
      }
    }
    case "States.JsonToString":
      expectArgs(call, 1);
      return JSON.stringify(values()[0]);
    case "States.Array":
      return values();
    case "States.ArrayPartition": {
      expectArgs(call, 2);
      const [arrayValue, sizeValue] = values();
      const array = asArray(call, arrayValue, 0);
      const size = asInteger(call, sizeValue, 1);
      if (size <= 0) fail(`The chunk size of States.ArrayPartition must be positive, got ${size}`);
      const out: JsonValue[] = [];
      for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
      return out;
    }
    case "States.ArrayContains": {
      expectArgs(call, 2);
      const [arrayValue, needle] = values();
      return asArray(call, arrayValue, 0).some((item) => jsonEquals(item, needle));
    }
    case "States.ArrayRange": {
      expectArgs(call, 3);
      const [a, b, c] = values();
      const start = asInteger(call, a, 0);
      const end = asInteger(call, b, 1);
      const stepBy = asInteger(call, c, 2);
      if (stepBy === 0) fail("The step of States.ArrayRange must not be 0");
      const out: number[] = [];
      for (let n = start; stepBy > 0 ? n <= end : n >= end; n += stepBy) {
        out.push(n);
        if (out.length > MAX_RANGE_ITEMS) fail(`States.ArrayRange would give more than ${MAX_RANGE_ITEMS} items`);
      }
      return out;
    }
    case "States.ArrayGetItem": {
      expectArgs(call, 2);
      const [arrayValue, indexValue] = values();
      const array = asArray(call, arrayValue, 0);
      const index = asInteger(call, indexValue, 1);
      if (index < 0 || index >= array.length) fail(`The index ${index} is out of the bounds of the array (length ${array.length})`);
      return array[index];
    }
    case "States.ArrayLength":
      expectArgs(call, 1);
      return asArray(call, values()[0], 0).length;
    case "States.ArrayUnique": {
      expectArgs(call, 1);
      const out: JsonValue[] = [];
      for (const item of asArray(call, values()[0], 0)) if (!out.some((seen) => jsonEquals(seen, item))) out.push(item);
      return out;
    }
    case "States.Base64Encode": {
      expectArgs(call, 1);
      const text = asString(call, values()[0], 0);
      if (text.length > MAX_ENCODED_INPUT) fail(`The input of States.Base64Encode exceeds ${MAX_ENCODED_INPUT} characters`);
      return Buffer.from(text, "utf8").toString("base64");
    }
    case "States.Base64Decode": {
      expectArgs(call, 1);
      const text = asString(call, values()[0], 0);
      if (text.length > MAX_ENCODED_INPUT) fail(`The input of States.Base64Decode exceeds ${MAX_ENCODED_INPUT} characters`);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) fail(`The input of States.Base64Decode is not Base64: ${text}`);
      return Buffer.from(text, "base64").toString("utf8");
    }
    case "States.Hash": {
      expectArgs(call, 2);
      const [dataValue, algorithmValue] = values();
      const data = typeof dataValue === "string" ? dataValue : JSON.stringify(dataValue);
      const algorithm = asString(call, algorithmValue, 1);
      const node = { MD5: "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512" }[algorithm];
      if (node === undefined) fail(`States.Hash supports MD5, SHA-1, SHA-256, SHA-384 and SHA-512, not ${algorithm}`);
      if (data.length > MAX_ENCODED_INPUT) fail(`The input of States.Hash exceeds ${MAX_ENCODED_INPUT} characters`);
      return createHash(node).update(data, "utf8").digest("hex");
    }
    case "States.JsonMerge": {
      expectArgs(call, 3);
      const [a, b, deep] = values();
      if (!isJsonObject(a) || !isJsonObject(b)) fail("The first two arguments of States.JsonMerge must be objects");
      // "States.JsonMerge … only supports shallow merging; set the boolean to false" (Developer Guide).
      if (deep !== false) fail("States.JsonMerge supports only a shallow merge: its third argument must be false");
      return { ...a, ...b };
    }
    case "States.MathRandom": {
      expectArgs(call, 2, 3);
      const [a, b, seedValue] = values();
      const start = asInteger(call, a, 0);
      const end = asInteger(call, b, 1);
      const random = seedValue === undefined ? Math.random() : seeded(asInteger(call, seedValue, 2));
      return start + Math.floor(random * (end - start));
    }
    case "States.MathAdd": {
      expectArgs(call, 2);
      const [a, b] = values();
      // Each argument is rounded half up first: 1.49 + 1.5 is 3, -1.5 + 0 is -1 (recorded on AWS,
      // test_math_operations::test_math_add).
      return Math.round(asNumber(call, a, 0)) + Math.round(asNumber(call, b, 1));
    }
    case "States.StringSplit": {
      expectArgs(call, 2);
      const [a, b] = values();
      const text = asString(call, a, 0);
      const delimiters = new Set(asString(call, b, 1));
      // Every character of the delimiter splits, and empty pieces are dropped (recorded on AWS:
      // "This.is+a,test=string" on ".+,=" gives 5 words, ",,,," on "," gives []; test_string_split).
      const out: string[] = [];
      let piece = "";
      for (const ch of text) {
        if (delimiters.has(ch)) {
          if (piece !== "") out.push(piece);
          piece = "";
        } else piece += ch;
      }
      if (piece !== "") out.push(piece);
      return out;
    }
    case "States.UUID":
      expectArgs(call, 0);
      return randomUUID();
    default:
      return fail(`Unknown intrinsic function ${call.name}`);
  }
}

/** A deterministic number in [0, 1) for a seed (AWS's sequence is not published). */
function seeded(seed: number): number {
  let t = (seed + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/**
 * `{}` replaced by the arguments in turn; `\{`, `\}`, `\'` and `\\` are literal characters.
 * Objects and arrays print as Java maps and lists do: `{Arg1=1, Arg2=[]}` (recorded on AWS,
 * test_generic::test_format_2), null as `null`.
 */
function format(raw: string, args: JsonValue[]): string {
  let out = "";
  let next = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === "\\" && i + 1 < raw.length) {
      out += raw[i + 1];
      i++;
    } else if (c === "{" && raw[i + 1] === "}") {
      if (next >= args.length) fail("States.Format has more {} placeholders than arguments");
      out += formatValue(args[next++], true);
      i++;
    } else out += c;
  }
  if (next !== args.length) fail("States.Format has more arguments than {} placeholders");
  return out;
}

function formatValue(value: JsonValue, top: boolean): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `[${value.map((item) => formatValue(item, false)).join(", ")}]`;
  if (isJsonObject(value)) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${key}=${formatValue(item, false)}`)
      .join(", ")}}`;
  }
  void top;
  return String(value);
}

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  private failParse(): never {
    throw new FieldError("States.IntrinsicFailure", `The intrinsic function '${this.text}' cannot be parsed`);
  }

  end(): void {
    this.spaces();
    if (this.pos !== this.text.length) this.failParse();
  }

  private spaces(): void {
    while (/\s/.test(this.text[this.pos] ?? "")) this.pos += 1;
  }

  call(): Call {
    this.spaces();
    const match = /^States\.[A-Za-z0-9]+/.exec(this.text.slice(this.pos));
    if (!match) this.failParse();
    this.pos += match[0].length;
    this.spaces();
    if (this.text[this.pos] !== "(") this.failParse();
    this.pos += 1;
    const args: Arg[] = [];
    this.spaces();
    if (this.text[this.pos] === ")") {
      this.pos += 1;
      return { name: match[0], args };
    }
    for (;;) {
      args.push(this.arg());
      this.spaces();
      const c = this.text[this.pos];
      this.pos += 1;
      if (c === ")") break;
      if (c !== ",") this.failParse();
    }
    return { name: match[0], args };
  }

  private arg(): Arg {
    this.spaces();
    const rest = this.text.slice(this.pos);
    if (rest.startsWith("'")) {
      let raw = "";
      let value = "";
      this.pos += 1;
      while (this.pos < this.text.length && this.text[this.pos] !== "'") {
        if (this.text[this.pos] === "\\" && this.pos + 1 < this.text.length) {
          raw += this.text.slice(this.pos, this.pos + 2);
          value += this.text[this.pos + 1];
          this.pos += 2;
        } else {
          raw += this.text[this.pos];
          value += this.text[this.pos];
          this.pos += 1;
        }
      }
      if (this.text[this.pos] !== "'") this.failParse();
      this.pos += 1;
      return { kind: "string", raw, value };
    }
    if (rest.startsWith("States.")) return { kind: "call", call: this.call() };
    if (rest.startsWith("$")) {
      // A path runs to the next top-level comma or closing parenthesis (brackets may hold either).
      let depth = 0;
      let quote: string | null = null;
      let end = this.pos;
      for (; end < this.text.length; end++) {
        const c = this.text[end];
        if (quote !== null) {
          if (c === quote) quote = null;
        } else if (c === "'" || c === '"') quote = c;
        else if (c === "[" || c === "(") depth++;
        else if (c === "]" || (c === ")" && depth > 0)) depth--;
        else if ((c === "," || c === ")") && depth === 0) break;
      }
      const path = this.text.slice(this.pos, end).trim();
      this.pos = end;
      return { kind: "path", path };
    }
    const literal = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(rest);
    if (!literal) this.failParse();
    this.pos += literal[0].length;
    return { kind: "literal", value: JSON.parse(literal[0]) as JsonValue };
  }
}
