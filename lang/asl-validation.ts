/**
 * What Step Functions refuses at CreateStateMachine, with its words: `Invalid State Machine
 * Definition: '<CODE>: <message> at <location>'`. The checks and messages recorded on AWS
 * (LocalStack tests/aws/services/stepfunctions/v2/test_sfn_api_validation.snapshot.json,
 * test_sfn_api.snapshot.json, test_sfn_api_express.snapshot.json,
 * credentials/test_credentials_base.snapshot.json) are named at each one. This is not a full
 * validator: it is what the recordings show AWS refusing and what would make the emulator's
 * interpreter misbehave. Both sides run it: synth (stacks/constructs/asl-check.ts, before
 * asl-validator's schema) and the emulator before a local run (local/workflow.ts).
 */

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export interface DefinitionProblem {
  readonly code: string;
  readonly message: string;
  /** JSON pointer, e.g. `/States/Pass/QueryLanguage`. */
  readonly location: string;
}

/** Raised with the first problem, worded as CreateStateMachine's InvalidDefinition message. */
export class InvalidDefinitionError extends Error {
  constructor(readonly problem: DefinitionProblem) {
    super(`Invalid State Machine Definition: '${problem.code}: ${problem.message} at ${problem.location}'`);
    this.name = "InvalidDefinition";
  }
}

const STATE_TYPES = ["Task", "Wait", "Pass", "Succeed", "Fail", "Choice", "Parallel", "Map"];
/** Fields JSONata states do not have (Developer Guide, "Transforming data with JSONata": JSONPath fields). */
const JSONPATH_ONLY_FIELDS = [
  "InputPath",
  "Parameters",
  "ResultSelector",
  "ResultPath",
  "OutputPath",
  "ItemsPath",
  "SecondsPath",
  "TimestampPath",
  "TimeoutSecondsPath",
  "HeartbeatSecondsPath",
  "MaxConcurrencyPath",
  "ToleratedFailureCountPath",
  "ToleratedFailurePercentagePath",
  "ErrorPath",
  "CausePath",
];
const JSONATA_ONLY_FIELDS = ["Arguments", "Output", "Items"];

/** Every problem of a definition, in document order. */
export function definitionProblems(definition: unknown, type: "STANDARD" | "EXPRESS"): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  if (!isJsonObject(definition)) {
    return [{ code: "SCHEMA_VALIDATION_FAILED", message: "Definition must be a valid JSON object", location: "/" }];
  }
  const topLanguage = definition.QueryLanguage ?? "JSONPath";
  checkMachine(definition, "", topLanguage === "JSONata" ? "JSONata" : "JSONPath", topLanguage === "JSONata", type, problems);
  return problems;
}

/** Throws an {@link InvalidDefinitionError} for the first problem. */
export function assertValidDefinition(definition: unknown, type: "STANDARD" | "EXPRESS"): void {
  const [first] = definitionProblems(definition, type);
  if (first !== undefined) throw new InvalidDefinitionError(first);
}

function checkMachine(
  machine: Record<string, unknown>,
  base: string,
  language: "JSONPath" | "JSONata",
  jsonataMachine: boolean,
  type: "STANDARD" | "EXPRESS",
  problems: DefinitionProblem[],
): void {
  const missing = ["States", "StartAt"].filter((field) => !(field in machine));
  if (missing.length > 0) {
    // Recorded: "These fields are required: [States, StartAt] at /" (test_sfn_api_validation, EMPTY_DICT).
    problems.push({
      code: "SCHEMA_VALIDATION_FAILED",
      message: `These fields are required: [${missing.join(", ")}]`,
      location: base || "/",
    });
    return;
  }
  const states = machine.States;
  if (!isJsonObject(states)) {
    problems.push({ code: "SCHEMA_VALIDATION_FAILED", message: "The field 'States' must be an object", location: `${base}/States` });
    return;
  }
  const names = new Set(Object.keys(states));
  if (!names.has(String(machine.StartAt))) {
    problems.push({
      code: "MISSING_TRANSITION_TARGET",
      message: `Missing 'Next' target: ${String(machine.StartAt)}`,
      location: `${base}/StartAt`,
    });
  }
  for (const [name, state] of Object.entries(states)) {
    const at = `${base}/States/${name}`;
    if (!isJsonObject(state)) {
      problems.push({ code: "SCHEMA_VALIDATION_FAILED", message: "A state must be an object", location: at });
      continue;
    }
    if (!STATE_TYPES.includes(String(state.Type))) {
      // Recorded: test_sfn_api.snapshot.json (ExistingButInvalidState).
      problems.push({
        code: "SCHEMA_VALIDATION_FAILED",
        message: `The field 'Type' should have one of these values: [${STATE_TYPES.join(", ")}]`,
        location: `${at}/Type`,
      });
      continue;
    }
    if (jsonataMachine && state.QueryLanguage === "JSONPath") {
      // Recorded: test_sfn_api_validation (INVALID_DOWNGRADE_QUERY_LANGUAGE).
      problems.push({
        code: "SCHEMA_VALIDATION_FAILED",
        message: "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
        location: at,
      });
      continue;
    }
    const stateLanguage = state.QueryLanguage === "JSONata" ? "JSONata" : state.QueryLanguage === "JSONPath" ? "JSONPath" : language;
    const wrongFields = stateLanguage === "JSONata" ? JSONPATH_ONLY_FIELDS : JSONATA_ONLY_FIELDS;
    for (const field of wrongFields) {
      if (field in state) {
        problems.push({
          code: "SCHEMA_VALIDATION_FAILED",
          message: `The field '${field}' is not supported for the query language ${stateLanguage}`,
          location: `${at}/${field}`,
        });
      }
    }
    if (typeof state.Next === "string" && !names.has(state.Next)) {
      problems.push({ code: "MISSING_TRANSITION_TARGET", message: `Missing 'Next' target: ${state.Next}`, location: `${at}/Next` });
    }
    if (state.Type === "Task" && typeof state.Resource === "string" && type === "EXPRESS") {
      // Recorded: test_sfn_api_express.snapshot.json.
      if (state.Resource.endsWith(".sync") || state.Resource.endsWith(".sync:2")) {
        problems.push({
          code: "SCHEMA_VALIDATION_FAILED",
          message: "Express state machine does not support '.sync' service integration",
          location: `${at}/Resource`,
        });
      } else if (state.Resource.endsWith(".waitForTaskToken")) {
        problems.push({
          code: "SCHEMA_VALIDATION_FAILED",
          message: "Express state machine does not support '.waitForTaskToken' service integration ",
          location: `${at}/Resource`,
        });
      } else if (/^arn:[^:]+:states:[^:]*:\d{12}:activity:/.test(state.Resource)) {
        problems.push({
          code: "SCHEMA_VALIDATION_FAILED",
          message: "Express state machine does not support Activity ARN",
          location: `${at}/Resource`,
        });
      }
    }
    if (
      state.Type === "Task" &&
      isJsonObject(state.Credentials) &&
      !("RoleArn" in state.Credentials) &&
      !("RoleArn.$" in state.Credentials)
    ) {
      // Recorded: credentials/test_credentials_base.snapshot.json.
      problems.push({
        code: "SCHEMA_VALIDATION_FAILED",
        message: "The field 'RoleArn' is required but was missing",
        location: `${at}/Credentials`,
      });
    }
    if (state.Type === "Parallel") {
      if (!Array.isArray(state.Branches) || state.Branches.length === 0) {
        // Recorded: test_sfn_api.snapshot.json ("Value cannot be empty at /States/StateName/Branches").
        problems.push({ code: "SCHEMA_VALIDATION_FAILED", message: "Value cannot be empty", location: `${at}/Branches` });
      } else {
        state.Branches.forEach((branch, i) => {
          if (isJsonObject(branch)) checkMachine(branch, `${at}/Branches[${i}]`, language, jsonataMachine, type, problems);
        });
      }
    }
    if (state.Type === "Map") {
      const processor = state.ItemProcessor ?? state.Iterator;
      const field = "ItemProcessor" in state ? "ItemProcessor" : "Iterator";
      if (isJsonObject(processor)) checkMachine(processor, `${at}/${field}`, language, jsonataMachine, type, problems);
      else problems.push({ code: "SCHEMA_VALIDATION_FAILED", message: "These fields are required: [ItemProcessor]", location: at });
    }
  }
}

/**
 * Where a problem is, in words: `state "Inner", field Next` for `/States/Map/ItemProcessor/States/Inner/Next`
 * (the innermost state named; the field is what follows it), `the top level, field StartAt` for
 * `/StartAt`. Reads AWS's locations (`Branches[0]`) and JSON pointers (`Branches/0`) alike.
 */
export function describeLocation(location: string): string {
  const segments = location.split("/").filter((segment) => segment !== "");
  let state: string | undefined;
  let rest = segments;
  for (let i = 0; i < segments.length - 1; i++) {
    if (segments[i] === "States") {
      state = segments[i + 1];
      rest = segments.slice(i + 2);
      i++;
    }
  }
  const where = state === undefined ? "the top level" : `state "${state}"`;
  return rest.length === 0 ? where : `${where}, field ${rest.join("/")}`;
}
