/**
 * The Amazon States Language check synth runs on every definition: what AWS refuses at
 * CreateStateMachine. Two parts, in this order:
 *
 * 1. The rules recorded on AWS (lang/asl-validation.ts, shared with the emulator): AWS's own
 *    words, and what asl-validator does not know (a JSONPath state in a JSONata machine, `.sync`
 *    or `.waitForTaskToken` in an EXPRESS machine, Credentials without RoleArn).
 * 2. asl-validator 4's schema and checks, shown the definition with the three things its JSONata
 *    schema wrongly refuses made into equivalents it accepts ({@link asValidatorInput}); nothing
 *    else is relaxed.
 *
 * The first problem throws a {@link TemplateError} naming the file, the state and the field.
 * __tests__/stacks/constructs/asl-check.test.ts proves it on the definitions of the emulator's
 * differential test: all those AWS accepted pass, all those it refused are refused.
 */
import { type AslObject, forEachState } from "../../lang/asl";
import { definitionProblems, describeLocation } from "../../lang/asl-validation";
import { TemplateError } from "../../lang/terraform-template";
import { checkOnce } from "./accepted-cache";

export type AslWorkflowType = "STANDARD" | "EXPRESS";

const INVALID = "is not a valid Amazon States Language definition";

/** Throws a TemplateError for the first thing AWS would refuse in the definition. */
export function checkAsl(file: string, definition: Record<string, unknown>, type: AslWorkflowType): void {
  const [problem] = definitionProblems(definition, type);
  if (problem !== undefined) {
    throw new TemplateError(file, `${INVALID}: ${describeLocation(problem.location)}: ${problem.message} (${problem.code})`);
  }
  const input = asValidatorInput(definition);
  // asl-validator compiles its whole schema on every call (some 0.3 s): a text it accepted once is
  // not checked again (accepted-cache.ts), and on such a run it is not even loaded. The key is the
  // text it is shown, so a change to asValidatorInput is checked afresh.
  const { version } = require("asl-validator/package.json") as { version: string };
  checkOnce(`asl-validator ${version}`, JSON.stringify(input), () => {
    const validateAsl: typeof import("asl-validator") = require("asl-validator");
    const result = validateAsl(input);
    if (!result.isValid) {
      const [first] = result.errors;
      // Schema errors start with the JSON pointer of the value ("/States/S/Next is invalid. ..."),
      // empty for the top level.
      const pointer = /^(\/\S*|) ?(is invalid\..*)$/s.exec(first.Message);
      const text = pointer ? `${describeLocation(pointer[1])}: ${pointer[2]}` : first.Message;
      throw new TemplateError(file, `${INVALID}: ${text} (${first["Error code"]})`);
    }
  });
}

/**
 * A copy of the definition as asl-validator 4 should see it. Its JSONata schema refuses, where AWS
 * accepts:
 * - an `Output` that is not an object or a `{% %}` expression: `null`, `0`, `0.1`, `true`, a
 *   literal string, an array (recorded: outputdecl/test_output.snapshot.json::
 *   test_base_output_any_non_dict[NULL, INT, FLOAT, BOOL, STR_LIT, LIST_EMPY, LIST_RICH]);
 * - a Choice `Condition` that is the literal `true` (recorded: test_sfn_api_variable_references
 *   .snapshot.json::test_base_variable_references_in_jsonata_template[CHOICE_CONDITION_CONSTANT_JSONATA],
 *   assign/test_assign_reference_variables.snapshot.json::test_undefined_reference
 *   [BASE_UNDEFINED_OUTPUT_MULTIPLE_STATES]); `false` is the same literal;
 * - an array inside an array in `Output`, `Assign`, `Arguments` or `ItemSelector`: its template
 *   schema allows only objects as array elements, where AWS takes any JSON value with expressions
 *   nested in it (Developer Guide, "Transforming data with JSONata in Step Functions"; no
 *   recording of ours has one).
 * So a literal Output becomes `{}` (it holds no expression to check; a string with `{%` or `%}`
 * in it is shown as written), every array in a template becomes an object of its elements (each
 * string in it still checked as a JSONata template), a literal Condition becomes the `{% true %}`
 * expression of the same value. Only JSONata states are touched, told as asl-validator tells them
 * when it picks their schema (the state's QueryLanguage, else the machine's). asl-validator also
 * writes a QueryLanguage into every state of what it is given: the copy keeps that from the
 * definition synth goes on with.
 */
export function asValidatorInput(definition: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(definition);
  const machineLanguage = copy.QueryLanguage;
  forEachState(copy, (_name, state) => {
    if ((state.QueryLanguage ?? machineLanguage) !== "JSONata") return;
    relaxTemplates(state);
    for (const field of ["Choices", "Catch"]) {
      const rules = state[field];
      if (!Array.isArray(rules)) continue;
      for (const rule of rules) {
        if (!isObject(rule)) continue;
        relaxTemplates(rule);
        if (typeof rule.Condition === "boolean") rule.Condition = `{% ${rule.Condition} %}`;
      }
    }
  });
  return copy;
}

function relaxTemplates(holder: AslObject): void {
  if ("Output" in holder) {
    const output = holder.Output;
    if (Array.isArray(output) || isObject(output)) holder.Output = withoutArrays(output);
    // A string with `{%` or `%}` in it is left to asl-validator, which checks it as an expression.
    else if (!(typeof output === "string" && (output.includes("{%") || output.includes("%}")))) holder.Output = {};
  }
  for (const field of ["Assign", "Arguments", "ItemSelector"]) {
    if (isObject(holder[field])) holder[field] = withoutArrays(holder[field]);
  }
}

function withoutArrays(value: unknown): unknown {
  if (Array.isArray(value)) return Object.fromEntries(value.map((element, index) => [String(index), withoutArrays(element)]));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, withoutArrays(member)]));
  return value;
}

function isObject(value: unknown): value is AslObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
