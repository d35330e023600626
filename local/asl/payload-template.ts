/**
 * Payload templates of JSONPath states: Parameters, ResultSelector, ItemSelector and Assign. A key
 * ending in `.$` takes the value of its path or intrinsic function, under the key without the
 * suffix; other values are literals, objects and arrays being walked at any depth (Developer Guide,
 * "Manipulate parameters in Step Functions workflows", Parameters). A path that selects nothing
 * fails the state: "The JSONPath '$.x' specified for the field 'x.$' could not be found in the
 * input '{…}'" (recorded on AWS: LocalStack
 * tests/aws/services/stepfunctions/v2/scenarios/test_base_scenarios.py, the pass states with
 * no_such_jsonpath).
 */
import { FieldError } from "./errors";
import { evaluateIntrinsic, isIntrinsic } from "./intrinsics";
import { isJsonObject, type JsonValue } from "./json";
import { evaluatePath, type PathScope } from "./jsonpath";

export function evaluatePayloadTemplate(template: unknown, scope: PathScope): JsonValue {
  if (Array.isArray(template)) return template.map((item) => evaluatePayloadTemplate(item, scope));
  if (!isJsonObject(template)) return template as JsonValue;
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith(".$") && typeof value === "string") {
      out[key.slice(0, -2)] = evaluateDynamic(value, key, scope);
    } else out[key] = evaluatePayloadTemplate(value, scope);
  }
  return out;
}

/** One path or intrinsic function; `field` names it in the error. */
export function evaluateDynamic(text: string, field: string, scope: PathScope): JsonValue {
  if (isIntrinsic(text)) return evaluateIntrinsic(text, scope, field);
  const result = evaluatePath(text, scope);
  if (!result.found) {
    const input = text.startsWith("$$") ? scope.context : scope.data;
    throw new FieldError(
      "States.Runtime",
      `The JSONPath '${text}' specified for the field '${field}' could not be found in the input '${JSON.stringify(input)}'`,
    );
  }
  return result.value;
}
