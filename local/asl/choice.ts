/**
 * Choice rules of JSONPath states (Developer Guide, "Choice workflow state": Choice Rules, the
 * comparison operators and And / Or / Not). A comparison whose variable has the wrong type is
 * false, never an error (recorded on AWS: every operator against null, numbers, strings, arrays,
 * objects and booleans, LocalStack tests/aws/services/stepfunctions/v2/choice_operators/*); the
 * `Is…` tests compare the outcome with the operand, so `"IsNull": false` matches what is not null.
 * A variable path that selects nothing is an error, except under IsPresent.
 */
import { FieldError } from "./errors";
import { isJsonObject, type JsonValue } from "./json";
import { evaluatePath, type PathScope } from "./jsonpath";

/** Every comparison operator, with its `…Path` twin where there is one. */
export const CHOICE_OPERATORS = Object.freeze([
  "StringEquals",
  "StringLessThan",
  "StringGreaterThan",
  "StringLessThanEquals",
  "StringGreaterThanEquals",
  "NumericEquals",
  "NumericLessThan",
  "NumericGreaterThan",
  "NumericLessThanEquals",
  "NumericGreaterThanEquals",
  "BooleanEquals",
  "TimestampEquals",
  "TimestampLessThan",
  "TimestampGreaterThan",
  "TimestampLessThanEquals",
  "TimestampGreaterThanEquals",
]);
export const TYPE_TESTS = Object.freeze(["IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"]);

/**
 * Timestamps as Step Functions reads them: RFC 3339 with an uppercase T and a zone (Z or an
 * offset), fractional seconds optional (Developer Guide, "Choice workflow state": "timestamps must
 * conform to RFC3339 profile ISO 8601, with further restrictions: an uppercase T must separate the
 * date and the time portions, and an uppercase Z must denote that a numeric time zone offset is not
 * present").
 */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch milliseconds (with sub-millisecond digits kept as a fraction), or undefined if not a timestamp. */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const m = TIMESTAMP.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  const base = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s));
  const check = new Date(base);
  if (check.getUTCDate() !== day) return undefined;
  let offset = 0;
  if (zone !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    offset = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  return base - offset + (frac ? Number(frac) * 1000 : 0);
}

/** `StringMatches`: `*` is any run of characters; `\*` and `\\` are literal (Developer Guide). */
function wildcardMatch(pattern: string, text: string): boolean {
  let regex = "^";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\" && i + 1 < pattern.length) {
      regex += escapeRegex(pattern[i + 1]);
      i++;
    } else if (c === "*") regex += "[\\s\\S]*";
    else regex += escapeRegex(c);
  }
  return new RegExp(`${regex}$`).test(text);
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

function compare(op: string, left: JsonValue, right: JsonValue): boolean {
  const kind = op.replace(/(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)$/, "");
  const relation = op.slice(kind.length);
  let a: number | string;
  let b: number | string;
  if (kind === "String") {
    if (typeof left !== "string" || typeof right !== "string") return false;
    a = left;
    b = right;
  } else if (kind === "Numeric") {
    if (typeof left !== "number" || typeof right !== "number") return false;
    a = left;
    b = right;
  } else if (kind === "Boolean") {
    return typeof left === "boolean" && typeof right === "boolean" && left === right;
  } else {
    const ta = parseTimestamp(left);
    const tb = parseTimestamp(right);
    if (ta === undefined || tb === undefined) return false;
    a = ta;
    b = tb;
  }
  switch (relation) {
    case "Equals":
      return a === b;
    case "LessThan":
      return a < b;
    case "GreaterThan":
      return a > b;
    case "LessThanEquals":
      return a <= b;
    case "GreaterThanEquals":
      return a >= b;
    default:
      return false;
  }
}

function typeTest(op: string, present: boolean, value: JsonValue | undefined): boolean {
  switch (op) {
    case "IsPresent":
      return present;
    case "IsNull":
      return present && value === null;
    case "IsNumeric":
      return present && typeof value === "number";
    case "IsString":
      return present && typeof value === "string";
    case "IsBoolean":
      return present && typeof value === "boolean";
    case "IsTimestamp":
      return present && parseTimestamp(value) !== undefined;
    default:
      return false;
  }
}

function readPath(path: string, scope: PathScope): JsonValue {
  const result = evaluatePath(path, scope);
  if (!result.found) {
    throw new FieldError("States.Runtime", `Invalid path '${path}': The choice state's condition path references an invalid value.`);
  }
  return result.value;
}

/** Evaluates a JSONPath Choice rule (without its Next). */
export function evaluateChoiceRule(rule: Record<string, unknown>, scope: PathScope): boolean {
  if (Array.isArray(rule.And)) return rule.And.every((r) => evaluateChoiceRule(r as Record<string, unknown>, scope));
  if (Array.isArray(rule.Or)) return rule.Or.some((r) => evaluateChoiceRule(r as Record<string, unknown>, scope));
  if (isJsonObject(rule.Not)) return !evaluateChoiceRule(rule.Not, scope);
  const variable = String(rule.Variable);
  for (const op of TYPE_TESTS) {
    if (op in rule) {
      const result = evaluatePath(variable, scope);
      const outcome = typeTest(op, result.found, result.found ? result.value : undefined);
      return outcome === rule[op];
    }
  }
  if ("StringMatches" in rule) {
    const value = readPath(variable, scope);
    return typeof value === "string" && wildcardMatch(String(rule.StringMatches), value);
  }
  for (const op of CHOICE_OPERATORS) {
    if (op in rule) return compare(op, readPath(variable, scope), rule[op] as JsonValue);
    if (`${op}Path` in rule) {
      const left = readPath(variable, scope);
      return compare(op, left, readPath(String(rule[`${op}Path`]), scope));
    }
  }
  throw new FieldError("States.Runtime", `The Choice rule ${JSON.stringify(rule)} has no operator`);
}
