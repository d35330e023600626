/**
 * JSONata in Step Functions: a string `{% … %}` in a JSONata state's field is an expression
 * (Developer Guide, "Transforming data with JSONata in Step Functions"), evaluated by the `jsonata`
 * package (AWS runs JSONata 2.x) with `$states` (input, result, errorOutput, context) and the
 * workflow variables bound, plus the functions Step Functions adds: `$partition`, `$range`,
 * `$hash`, `$random([seed])`, `$uuid`, `$parse` (same page, "JSONata functions provided by Step
 * Functions"). Failures are `States.QueryEvaluationError` with AWS's wording, e.g. "The JSONata
 * expression '$doesNotExist' specified for the field 'Output/result' returned nothing
 * (undefined)." (recorded on AWS: LocalStack
 * tests/aws/services/stepfunctions/v2/assign/test_assign_reference_variables.py::test_undefined_reference).
 */
import { createHash, randomUUID } from "node:crypto";
import jsonata from "jsonata";
import { FieldError } from "./errors";
import { isJsonObject, type JsonValue } from "./json";

/** `{% expr %}`: the whole string, no space outside the delimiters. */
const EXPRESSION = /^\{%([\s\S]*)%\}$/;

export function isJsonataExpression(value: unknown): value is string {
  return typeof value === "string" && EXPRESSION.test(value);
}

/** The expression inside `{% %}`, trimmed as AWS quotes it in its messages. */
export function expressionText(value: string): string {
  return (EXPRESSION.exec(value)?.[1] ?? value).trim();
}

/** `$states` and the variables visible to an expression. */
export interface JsonataScope {
  readonly states: {
    readonly input: JsonValue;
    readonly context: JsonValue;
    readonly result?: JsonValue;
    readonly errorOutput?: JsonValue;
  };
  readonly variables: ReadonlyMap<string, JsonValue>;
}

type Compiled = ReturnType<typeof jsonata>;
const compiled = new Map<string, Compiled>();

function compile(text: string, field: string): Compiled {
  let expression = compiled.get(text);
  if (expression === undefined) {
    try {
      expression = jsonata(text);
    } catch (error) {
      throw queryError(text, field, error);
    }
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(text, expression);
  }
  return expression;
}

function queryError(text: string, field: string, error: unknown): FieldError {
  const e = error as { code?: string; message?: string };
  const detail = e.code !== undefined ? `${e.code}: ${e.message ?? ""}` : String(e.message ?? error);
  return new FieldError(
    "States.QueryEvaluationError",
    `The JSONata expression '${text}' specified for the field '${field}' threw an error during evaluation. ${detail}`,
  );
}

/** The functions Step Functions adds to JSONata, and $eval removed (unsupported on AWS). */
const FUNCTIONS: Record<string, unknown> = {
  partition: (array: unknown, size: unknown) => {
    const items = Array.isArray(array) ? array : array === undefined ? [] : [array];
    if (typeof size !== "number" || !Number.isInteger(size) || size <= 0)
      throw { code: "States", message: "$partition needs a positive integer size" };
    const out: unknown[] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    return out;
  },
  range: (start: unknown, end: unknown, step: unknown) => {
    if (typeof start !== "number" || typeof end !== "number" || typeof step !== "number" || step === 0) {
      throw { code: "States", message: "$range needs numbers start, end and a non-zero step" };
    }
    const out: number[] = [];
    for (let n = start; step > 0 ? n <= end : n >= end; n += step) out.push(n);
    // A one-item result is that item, as JSONata sequences are (recorded on AWS: $range(1, 9, 9)
    // gives 1; LocalStack tests/aws/services/stepfunctions/v2/intrinsic_functions/test_array_jsonata.py::test_array_range).
    return out.length === 1 ? out[0] : out;
  },
  hash: (value: unknown, algorithm: unknown) => {
    const node = { MD5: "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512" }[String(algorithm)];
    if (node === undefined)
      throw { code: "States", message: `$hash supports MD5, SHA-1, SHA-256, SHA-384 and SHA-512, not ${String(algorithm)}` };
    return createHash(node)
      .update(typeof value === "string" ? value : JSON.stringify(value))
      .digest("hex");
  },
  random: (seed: unknown) => {
    if (seed === undefined) return Math.random();
    let t = (Number(seed) + 0x6d2b79f5) | 0;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  },
  uuid: () => randomUUID(),
  parse: (text: unknown) => {
    if (typeof text !== "string") throw { code: "States", message: "$parse needs a string" };
    return JSON.parse(text) as unknown;
  },
  eval: undefined,
};

/**
 * Evaluates one `{% %}` string. `field` names it in errors as AWS does (`Output`, `Output/result`,
 * `Arguments/FunctionName`, `Assign/x`, `Condition`, `Items`…).
 */
export async function evaluateJsonata(value: string, scope: JsonataScope, field: string): Promise<JsonValue> {
  const text = expressionText(value);
  const expression = compile(text, field);
  const bindings: Record<string, unknown> = { ...FUNCTIONS };
  for (const [name, variable] of scope.variables) bindings[name] = variable;
  bindings.states = scope.states;
  let result: unknown;
  try {
    result = await expression.evaluate(undefined, bindings);
  } catch (error) {
    throw queryError(text, field, error);
  }
  if (result === undefined) {
    throw new FieldError(
      "States.QueryEvaluationError",
      `The JSONata expression '${text}' specified for the field '${field}' returned nothing (undefined).`,
    );
  }
  if (typeof result === "function" || (isJsonObject(result) && "_jsonata_lambda" in result)) {
    throw new FieldError(
      "States.QueryEvaluationError",
      `The JSONata expression '${text}' specified for the field '${field}' returned an unsupported result type.`,
    );
  }
  if (typeof result === "number" && !Number.isFinite(result)) {
    throw new FieldError(
      "States.QueryEvaluationError",
      `The JSONata expression '${text}' specified for the field '${field}' returned an unsupported result type.`,
    );
  }
  return JSON.parse(JSON.stringify(result)) as JsonValue;
}

/**
 * Evaluates every `{% %}` string of a JSON template (Arguments, Output, Assign, ItemSelector…), at
 * any depth; other values are literals. `field` is the path of the template for error messages.
 */
export async function evaluateJsonataTemplate(template: unknown, scope: JsonataScope, field: string): Promise<JsonValue> {
  if (isJsonataExpression(template)) return evaluateJsonata(template, scope, field);
  if (Array.isArray(template)) {
    const out: JsonValue[] = [];
    for (const [i, item] of template.entries()) out.push(await evaluateJsonataTemplate(item, scope, `${field}[${i}]`));
    return out;
  }
  if (isJsonObject(template)) {
    const out: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(template)) out[key] = await evaluateJsonataTemplate(item, scope, `${field}/${key}`);
    return out;
  }
  return template as JsonValue;
}
