/**
 * JSONPath as Step Functions evaluates it (the Jayway JsonPath semantics its JSONPath fields follow:
 * Developer Guide, "Paths in Amazon States Language": "Step Functions uses the Jayway JsonPath
 * implementation"), for every field that takes a path: InputPath, OutputPath, `….$` keys, ItemsPath,
 * Choice `Variable`, `…Path` fields, ResultPath (written with {@link setPath}).
 *
 * - Roots: `$` (the data), `$$` (the context object), `$name` (a workflow variable, Developer Guide
 *   "Passing data between states with variables": "$variableName.path").
 * - Segments: `.name`, `['name']`, `[n]`, `[*]` / `.*`, `..name`, `[a:b:c]`, `[i,j]`, `['a','b']`,
 *   and filters `[?(@.x <op> value)]` with `==`, `!=`, `<`, `<=`, `>`, `>=`, `=~ /regex/`, `&&`,
 *   `||`, `!` and existence (`@.x`).
 * - A path with a wildcard, deep scan, slice, union or filter is indefinite: its value is always
 *   the array of what it matched, `[]` when nothing does, even when a parent is missing
 *   (recorded on AWS: `"item.$": "$.items[*]"` on `{}` gives `[]`, LocalStack
 *   tests/aws/services/stepfunctions/v2/base/test_base.py::test_json_path_array_wildcard_or_slice_with_no_input).
 * - A definite path that matches nothing is "not found"; each field words that error itself.
 */
import { FieldError } from "./errors";
import { isJsonObject, type JsonObject, type JsonValue } from "./json";

type Root = { readonly kind: "data" } | { readonly kind: "context" } | { readonly kind: "variable"; readonly name: string };

type Segment =
  | { readonly kind: "name"; readonly name: string }
  | { readonly kind: "index"; readonly index: number }
  | { readonly kind: "wildcard" }
  | { readonly kind: "descend"; readonly name: string | null }
  | { readonly kind: "slice"; readonly start?: number; readonly end?: number; readonly step?: number }
  | { readonly kind: "union"; readonly items: readonly (string | number)[] }
  | { readonly kind: "filter"; readonly expr: FilterExpr };

export interface ParsedPath {
  readonly text: string;
  readonly root: Root;
  readonly segments: readonly Segment[];
  /** True when the path selects at most one value (no wildcard, deep scan, slice, union, filter). */
  readonly definite: boolean;
}

type FilterExpr =
  | { readonly kind: "or" | "and"; readonly left: FilterExpr; readonly right: FilterExpr }
  | { readonly kind: "not"; readonly operand: FilterExpr }
  | { readonly kind: "compare"; readonly op: string; readonly left: FilterOperand; readonly right: FilterOperand }
  | { readonly kind: "exists"; readonly operand: FilterOperand };

type FilterOperand =
  | { readonly kind: "literal"; readonly value: JsonValue }
  | { readonly kind: "regex"; readonly regex: RegExp }
  | { readonly kind: "path"; readonly path: ParsedPath; readonly current: boolean };

/** The data a path may reach: `$`, `$$` and the variables in scope. */
export interface PathScope {
  readonly data: JsonValue;
  readonly context: JsonValue;
  readonly variables?: ReadonlyMap<string, JsonValue>;
}

/** What a path selects: a value, or nothing (`found: false`, definite paths only). */
export type PathResult =
  | { readonly found: true; readonly value: JsonValue }
  | {
      readonly found: false;
      /** Jayway's words: "No results for path: $['a']['b']" or "Missing property in path $['a']". */
      readonly missing: string;
    };

const cache = new Map<string, ParsedPath>();

/** Parses a path (cached); throws a FieldError for a malformed one. */
export function parsePath(text: string): ParsedPath {
  let parsed = cache.get(text);
  if (parsed === undefined) {
    parsed = new Parser(text).parsePath();
    if (cache.size > 10_000) cache.clear();
    cache.set(text, parsed);
  }
  return parsed;
}

/** True when the text is a path this module reads (the `$…` forms above). */
export function isPath(text: string): boolean {
  try {
    parsePath(text);
    return true;
  } catch {
    return false;
  }
}

/** The variable a path starts from, if it is a `$name…` path. */
export function pathVariable(text: string): string | undefined {
  const root = parsePath(text).root;
  return root.kind === "variable" ? root.name : undefined;
}

/** Evaluates a path. */
export function evaluatePath(text: string, scope: PathScope): PathResult {
  const path = parsePath(text);
  let start: JsonValue | undefined;
  if (path.root.kind === "data") start = scope.data;
  else if (path.root.kind === "context") start = scope.context;
  else start = scope.variables?.get(path.root.name);
  if (start === undefined) {
    if (!path.definite) return { found: true, value: [] };
    return { found: false, missing: "No results for path: $" };
  }
  if (path.definite) {
    let value: JsonValue = start;
    let done = "$";
    for (const [i, segment] of path.segments.entries()) {
      const next = step(value, segment);
      done += segment.kind === "name" ? `['${segment.name}']` : `[${(segment as { index: number }).index}]`;
      if (next === undefined) {
        const last = i === path.segments.length - 1;
        return { found: false, missing: last ? `No results for path: ${done}` : `Missing property in path ${done}` };
      }
      value = next;
    }
    return { found: true, value };
  }
  let current: JsonValue[] = [start];
  for (const segment of path.segments) {
    const next: JsonValue[] = [];
    for (const value of current) select(value, segment, scope, next);
    current = next;
  }
  return { found: true, value: current };
}

function step(value: JsonValue, segment: Segment): JsonValue | undefined {
  if (segment.kind === "name") {
    return isJsonObject(value) && Object.hasOwn(value, segment.name) ? value[segment.name] : undefined;
  }
  if (segment.kind === "index" && Array.isArray(value)) {
    const index = segment.index < 0 ? value.length + segment.index : segment.index;
    return index >= 0 && index < value.length ? value[index] : undefined;
  }
  return undefined;
}

function select(value: JsonValue, segment: Segment, scope: PathScope, out: JsonValue[]): void {
  switch (segment.kind) {
    case "name":
    case "index": {
      const next = step(value, segment);
      if (next !== undefined) out.push(next);
      return;
    }
    case "wildcard":
      if (Array.isArray(value)) out.push(...value);
      else if (isJsonObject(value)) out.push(...Object.values(value));
      return;
    case "descend":
      descend(value, segment.name, out);
      return;
    case "slice": {
      if (!Array.isArray(value)) return;
      const n = value.length;
      const stepBy = segment.step ?? 1;
      const norm = (i: number | undefined, dflt: number) => (i === undefined ? dflt : i < 0 ? Math.max(0, n + i) : Math.min(n, i));
      const start = norm(segment.start, 0);
      const end = norm(segment.end, n);
      if (stepBy > 0) for (let i = start; i < end; i += stepBy) out.push(value[i]);
      return;
    }
    case "union":
      for (const item of segment.items) {
        const next = typeof item === "number" ? step(value, { kind: "index", index: item }) : step(value, { kind: "name", name: item });
        if (next !== undefined) out.push(next);
      }
      return;
    case "filter": {
      const items = Array.isArray(value) ? value : isJsonObject(value) ? [value] : [];
      for (const item of items) if (testFilter(segment.expr, item, scope)) out.push(item);
      return;
    }
  }
}

function descend(value: JsonValue, name: string | null, out: JsonValue[]): void {
  if (Array.isArray(value)) {
    if (name === null) out.push(...value);
    for (const item of value) descend(item, name, out);
  } else if (isJsonObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (name === null || key === name) out.push(item);
      descend(item, name, out);
    }
  }
}

function operandValue(operand: FilterOperand, item: JsonValue, scope: PathScope): JsonValue | undefined {
  if (operand.kind === "literal") return operand.value;
  if (operand.kind === "regex") return undefined;
  const result = evaluatePath(operand.path.text, operand.current ? { ...scope, data: item } : scope);
  return result.found ? result.value : undefined;
}

function testFilter(expr: FilterExpr, item: JsonValue, scope: PathScope): boolean {
  switch (expr.kind) {
    case "or":
      return testFilter(expr.left, item, scope) || testFilter(expr.right, item, scope);
    case "and":
      return testFilter(expr.left, item, scope) && testFilter(expr.right, item, scope);
    case "not":
      return !testFilter(expr.operand, item, scope);
    case "exists":
      return operandValue(expr.operand, item, scope) !== undefined;
    case "compare": {
      const left = operandValue(expr.left, item, scope);
      if (expr.op === "=~") {
        return typeof left === "string" && expr.right.kind === "regex" && expr.right.regex.test(left);
      }
      const right = operandValue(expr.right, item, scope);
      if (left === undefined || right === undefined) return expr.op === "!=";
      if (expr.op === "==") return JSON.stringify(left) === JSON.stringify(right);
      if (expr.op === "!=") return JSON.stringify(left) !== JSON.stringify(right);
      if (typeof left === "number" && typeof right === "number") {
        if (expr.op === "<") return left < right;
        if (expr.op === "<=") return left <= right;
        if (expr.op === ">") return left > right;
        if (expr.op === ">=") return left >= right;
      }
      if (typeof left === "string" && typeof right === "string") {
        if (expr.op === "<") return left < right;
        if (expr.op === "<=") return left <= right;
        if (expr.op === ">") return left > right;
        if (expr.op === ">=") return left >= right;
      }
      return false;
    }
  }
}

/**
 * Writes `value` at a reference path (ResultPath) into a copy of `target`, creating missing
 * objects on the way. Throws a FieldError States.ResultPathMatchFailure when a step meets a
 * value that is not an object (Developer Guide, "Error names": "A state's ResultPath field cannot be
 * applied to the input the state received").
 */
export function setPath(text: string, target: JsonValue, value: JsonValue): JsonValue {
  const path = parsePath(text);
  if (path.root.kind !== "data" || !path.definite) {
    throw new FieldError("States.ResultPathMatchFailure", `The ResultPath ${text} is not a reference path`);
  }
  if (path.segments.length === 0) return value;
  const root: JsonValue = structuredCloneJson(target);
  let cursor: JsonValue = root;
  path.segments.forEach((segment, i) => {
    const last = i === path.segments.length - 1;
    if (segment.kind === "name") {
      if (!isJsonObject(cursor)) {
        throw new FieldError("States.ResultPathMatchFailure", `Unable to apply step "${segment.name}" to input ${JSON.stringify(target)}`);
      }
      if (last) cursor[segment.name] = value;
      else {
        if (!isJsonObject(cursor[segment.name])) cursor[segment.name] = {};
        cursor = cursor[segment.name];
      }
    } else if (segment.kind === "index") {
      if (!Array.isArray(cursor) || segment.index >= cursor.length) {
        throw new FieldError(
          "States.ResultPathMatchFailure",
          `Unable to apply step "[${segment.index}]" to input ${JSON.stringify(target)}`,
        );
      }
      if (last) cursor[segment.index] = value;
      else cursor = cursor[segment.index];
    }
  });
  return root;
}

function structuredCloneJson(value: JsonValue): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

// ---------------------------------------------------------------------------------------------

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parsePath(): ParsedPath {
    const path = this.path(false);
    if (this.pos !== this.text.length) this.fail();
    return path;
  }

  private fail(): never {
    throw new FieldError("States.Runtime", `The path '${this.text}' is not a valid JSONPath`);
  }

  private path(inFilter: boolean): ParsedPath {
    const begin = this.pos;
    let root: Root;
    if (this.text.startsWith("$$", this.pos)) {
      root = { kind: "context" };
      this.pos += 2;
    } else if (this.text[this.pos] === "@" && inFilter) {
      root = { kind: "data" };
      this.pos += 1;
    } else if (this.text[this.pos] === "$") {
      this.pos += 1;
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos))?.[0];
      if (name !== undefined) {
        root = { kind: "variable", name };
        this.pos += name.length;
      } else root = { kind: "data" };
    } else this.fail();
    const segments: Segment[] = [];
    for (;;) {
      const c = this.text[this.pos];
      if (c === ".") {
        if (this.text[this.pos + 1] === ".") {
          this.pos += 2;
          if (this.text[this.pos] === "*") {
            this.pos += 1;
            segments.push({ kind: "descend", name: null });
          } else if (this.text[this.pos] === "[") {
            segments.push({ kind: "descend", name: null });
          } else segments.push({ kind: "descend", name: this.name() });
        } else {
          this.pos += 1;
          if (this.text[this.pos] === "*") {
            this.pos += 1;
            segments.push({ kind: "wildcard" });
          } else {
            const name = this.name();
            if (this.text[this.pos] === "(") this.fail(); // functions such as length() are not implemented
            segments.push({ kind: "name", name });
          }
        }
      } else if (c === "[") {
        segments.push(this.bracket());
      } else break;
    }
    const definite = segments.every((s) => s.kind === "name" || s.kind === "index");
    const path = { text: this.text.slice(begin, this.pos), root, segments, definite };
    return path;
  }

  private name(): string {
    const match = /^[^.[\]\s()=!<>&|,'"]+/.exec(this.text.slice(this.pos));
    if (!match) this.fail();
    this.pos += match[0].length;
    return match[0];
  }

  private bracket(): Segment {
    this.pos += 1; // [
    this.spaces();
    let segment: Segment;
    if (this.text[this.pos] === "*") {
      this.pos += 1;
      segment = { kind: "wildcard" };
    } else if (this.text[this.pos] === "?") {
      this.pos += 1;
      this.spaces();
      if (this.text[this.pos] !== "(") this.fail();
      this.pos += 1;
      const expr = this.orExpr();
      this.spaces();
      if (this.text[this.pos] !== ")") this.fail();
      this.pos += 1;
      segment = { kind: "filter", expr };
    } else {
      const items: (string | number)[] = [];
      let slice: { start?: number; end?: number; step?: number } | undefined;
      for (;;) {
        this.spaces();
        const c = this.text[this.pos];
        if (c === "'" || c === '"') items.push(this.quoted());
        else {
          const m = /^(-?\d*)(?::(-?\d*))?(?::(-?\d*))?/.exec(this.text.slice(this.pos));
          if (!m || m[0] === "") this.fail();
          this.pos += m[0].length;
          if (m[0].includes(":")) {
            const num = (s: string | undefined) => (s === undefined || s === "" ? undefined : Number(s));
            slice = { start: num(m[1]), end: num(m[2]), step: num(m[3]) };
          } else items.push(Number(m[1]));
        }
        this.spaces();
        if (this.text[this.pos] === ",") {
          this.pos += 1;
          continue;
        }
        break;
      }
      if (slice !== undefined) {
        if (items.length > 0) this.fail();
        segment = { kind: "slice", ...slice };
      } else if (items.length === 1) {
        const item = items[0];
        segment = typeof item === "number" ? { kind: "index", index: item } : { kind: "name", name: item };
      } else segment = { kind: "union", items };
    }
    this.spaces();
    if (this.text[this.pos] !== "]") this.fail();
    this.pos += 1;
    return segment;
  }

  private quoted(): string {
    const quote = this.text[this.pos];
    let out = "";
    this.pos += 1;
    while (this.pos < this.text.length && this.text[this.pos] !== quote) {
      if (this.text[this.pos] === "\\") this.pos += 1;
      out += this.text[this.pos];
      this.pos += 1;
    }
    if (this.text[this.pos] !== quote) this.fail();
    this.pos += 1;
    return out;
  }

  private spaces(): void {
    while (this.text[this.pos] === " ") this.pos += 1;
  }

  private orExpr(): FilterExpr {
    let left = this.andExpr();
    for (;;) {
      this.spaces();
      if (!this.text.startsWith("||", this.pos)) return left;
      this.pos += 2;
      left = { kind: "or", left, right: this.andExpr() };
    }
  }

  private andExpr(): FilterExpr {
    let left = this.unary();
    for (;;) {
      this.spaces();
      if (!this.text.startsWith("&&", this.pos)) return left;
      this.pos += 2;
      left = { kind: "and", left, right: this.unary() };
    }
  }

  private unary(): FilterExpr {
    this.spaces();
    if (this.text[this.pos] === "!" && this.text[this.pos + 1] !== "=") {
      this.pos += 1;
      return { kind: "not", operand: this.unary() };
    }
    if (this.text[this.pos] === "(") {
      this.pos += 1;
      const inner = this.orExpr();
      this.spaces();
      if (this.text[this.pos] !== ")") this.fail();
      this.pos += 1;
      return inner;
    }
    const left = this.operand();
    this.spaces();
    const op = /^(==|!=|<=|>=|<|>|=~)/.exec(this.text.slice(this.pos))?.[0];
    if (op === undefined) return { kind: "exists", operand: left };
    this.pos += op.length;
    this.spaces();
    return { kind: "compare", op, left, right: this.operand() };
  }

  private operand(): FilterOperand {
    const c = this.text[this.pos];
    if (c === "@" || c === "$") {
      const current = c === "@";
      const path = this.path(true);
      return { kind: "path", path: current ? { ...path, text: `$${path.text.slice(1)}` } : path, current };
    }
    if (c === "'" || c === '"') return { kind: "literal", value: this.quoted() };
    if (c === "/") {
      const m = /^\/((?:\\.|[^/\\])*)\/([a-z]*)/.exec(this.text.slice(this.pos));
      if (!m) this.fail();
      this.pos += m[0].length;
      return { kind: "regex", regex: new RegExp(m[1], m[2].replace(/[^imsu]/g, "")) };
    }
    const m = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(this.pos));
    if (!m) this.fail();
    this.pos += m[0].length;
    return { kind: "literal", value: JSON.parse(m[0]) as JsonValue };
  }
}

export type { JsonObject };
