/**
 * Runs an Amazon States Language definition offline, in-process, with aws-local-stepfunctions,
 * serving the `arn:aws:states:::aws-sdk:ec2:*` Tasks the project's workflows use from a
 * {@link SimulatedEc2}, and answering the way Step Functions' DescribeExecution /
 * StartSyncExecution do.
 *
 * What this adds to aws-local-stepfunctions 3.0.0 (each checked by experiment, see the tests):
 * - `Promise.withResolvers` (Node 22) is used by every Task state. On Node 20 it is missing, and a
 *   Task then fails with `TypeError: Promise.withResolvers is not a function` *after* its handler
 *   has already run (so EC2 would be started, and the workflow still fail). A spec-conformant
 *   polyfill is installed on import, only when missing ({@link installPromiseWithResolvers}).
 * - A Choice rule `"IsPresent": false` never matches in 3.0.0 (it evaluates `false && …`); the
 *   same holds for `IsNull`, `IsString`, `IsNumeric`, `IsBoolean` and `IsTimestamp` with `false`.
 *   Such rules are rewritten, on a deep copy, as `{"Not": {<the rule with true>}, "Next": …}`,
 *   also inside And / Or / Not and in Choice states nested in Parallel branches and Map
 *   processors ({@link rewriteNegatedTypeTests}).
 * - Task states are served only by local handlers (`taskResourceLocalHandlers`, keyed by state
 *   name): every Task state of the definition, nested ones included, gets one, so the library never
 *   creates its Lambda client and nothing goes to the network. A resource other than the three
 *   EC2 actions fails the execution with `States.TaskFailed` naming the resource; that error is
 *   neither retryable nor catchable, so a `Catch` on States.ALL cannot hide a simulation gap.
 * - Errors of EC2 are raised as Step Functions raises errors of AWS SDK integrations (see
 *   {@link EC2_SDK_ERROR_NAME}).
 * - `waitScale` scales the clock of the definition, so that durations keep their proportions
 *   and an execution ends the same way as on AWS, only faster: Wait states (through the
 *   library's `waitTimeOverrides`), Retry intervals (IntervalSeconds, MaxDelaySeconds; backoff and
 *   jitter unchanged), Task TimeoutSeconds, and the execution's TimeoutSeconds.
 * - The execution's `TimeoutSeconds` is enforced here rather than by the library, which supports
 *   it but only in whole seconds (a scaled timeout is a fraction of a second). Exceeding it aborts
 *   the run and reports TIMED_OUT. With `waitScale: 0` there is no execution timeout.
 *
 * Limitations: only Wait states with a literal `Seconds` are scaled (`SecondsPath`, `Timestamp`
 * and `TimestampPath` run as written), and Task `TimeoutSecondsPath` is not scaled; the library
 * gives every Task a 60-second default timeout (AWS has none), irrelevant for the in-process
 * EC2 calls; the EC2 transition delay is the SimulatedEc2's own, not scaled; the
 * causes of runtime errors (States.Runtime …) are the library's texts, not AWS's word for word:
 * they name the path or function concerned, and this runner puts the failing state's name in
 * front as AWS does (without AWS's event id); state names must be unique across the whole
 * definition, nested states included (Step Functions requires it too), as the library keys its
 * overrides by state name; definitions found valid are remembered (validation takes hundreds of
 * milliseconds).
 */
import { randomUUID } from "node:crypto";
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
  type RunOptions,
  type StateMachineDefinition,
} from "aws-local-stepfunctions";
import { executionArn as executionArnOf } from "../lang/aws";
import { forEachState } from "../lang/asl";
import { Ec2Error, type SimulatedEc2 } from "./ec2";

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

export type ExecutionStatus = "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

/** The fields of a Step Functions DescribeExecution / StartSyncExecution answer. */
export interface ExecutionResult {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  /** Epoch seconds (fractional), as the AWS JSON protocol sends timestamps. */
  readonly startDate: number;
  readonly stopDate: number;
  /** The execution input, as a JSON string. */
  readonly input: string;
  /** The execution output, as a JSON string; only when SUCCEEDED. */
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

export interface RunWorkflowOptions {
  /** Serves the `arn:aws:states:::aws-sdk:ec2:*` Tasks. */
  readonly ec2: SimulatedEc2;
  /**
   * Multiplies the durations of the definition: Wait states with a literal `Seconds`, Retry
   * intervals, Task and execution `TimeoutSeconds`. Default 1; 0.01 turns a 29-second wait into
   * 0.29 s; 0 makes waits and retry pauses instant and disables the execution timeout.
   */
  readonly waitScale?: number;
  /** Default {@link DEFAULT_STATE_MACHINE_ARN}. */
  readonly stateMachineArn?: string;
  /** Default: a random UUID, as StartExecution uses when no name is given. */
  readonly executionName?: string;
}

/** An execution started without waiting for it (StartExecution). */
export interface StartedExecution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  /** Epoch seconds. */
  readonly startDate: number;
  /** Settles (never rejects) once the execution has ended, whatever its status. */
  readonly result: Promise<ExecutionResult>;
  /** Stops the execution (StopExecution): its status becomes ABORTED. */
  abort(): void;
}

export const DEFAULT_STATE_MACHINE_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:local-workflow";

/**
 * The Task resources served, and the SimulatedEc2 action each one calls.
 */
export const SUPPORTED_TASK_RESOURCES = Object.freeze({
  "arn:aws:states:::aws-sdk:ec2:describeInstanceStatus": "describeInstanceStatus",
  "arn:aws:states:::aws-sdk:ec2:startInstances": "startInstances",
  "arn:aws:states:::aws-sdk:ec2:stopInstances": "stopInstances",
} as const);

/**
 * The error name every EC2 error gets in a Task `arn:aws:states:::aws-sdk:ec2:*`, so that Retry /
 * Catch match it as on AWS: `Ec2.Ec2Exception`, whatever EC2's error code (so
 * `InvalidInstanceID.NotFound` is `Ec2.Ec2Exception` too).
 *
 * Why: Step Functions names an AWS SDK integration error `ServiceName.ErrorName`, both in
 * PascalCase, the error name being the SDK's exception name with an `Exception` suffix
 * (Step Functions Developer Guide, "AWS SDK service integrations": e.g.
 * `AcmPca.ResourceNotFoundException`, `S3.BucketAlreadyExistsException`). Step Functions calls
 * services with the AWS SDK for Java 2.x; EC2's API model declares no exception shapes (its
 * errors are dotted codes such as `InvalidInstanceID.NotFound`), so that SDK raises every EC2
 * error as the service's base exception, `Ec2Exception`, hence `Ec2.Ec2Exception`. Public
 * Step Functions code that handles EC2 errors reports the same ("EC2 errors arrive as a generic
 * `Ec2.Ec2Exception`", matching on the code or message text in the cause).
 *
 * The cause is that SDK's exception message, `<EC2 message> (Service: Ec2, Status Code: <HTTP
 * status>, Request ID: <uuid>)` (AwsServiceException.getMessage in aws-sdk-java-v2), exactly: EC2's
 * error code is not in it, so a workflow tells errors apart by EC2's message text or by the HTTP
 * status (5xx for throttling, RequestLimitExceeded being a 503, and for server errors), e.g.
 * `The instance ID 'i-0123456789abcdef1' does not exist (Service: Ec2, Status Code: 400,
 * Request ID: …)`. The code is kept on the error object ({@link SdkIntegrationError.ec2Code}) for
 * tests, not in the cause a workflow sees.
 */
export const EC2_SDK_ERROR_NAME = "Ec2.Ec2Exception";

/** An EC2 error as a Task of an `aws-sdk:ec2` integration reports it (see {@link EC2_SDK_ERROR_NAME}). */
class SdkIntegrationError extends Error {
  /** EC2's error code, e.g. `InvalidInstanceID.NotFound`. */
  readonly ec2Code: string;
  /** EC2's message text. */
  readonly ec2Message: string;

  constructor(error: Ec2Error) {
    super(`${error.message} (Service: Ec2, Status Code: ${error.statusCode}, Request ID: ${error.requestId})`);
    this.name = EC2_SDK_ERROR_NAME;
    this.ec2Code = error.code;
    this.ec2Message = error.message;
  }
}

/**
 * Raised for a Task resource this runner does not serve. `States.TaskFailed`, and neither
 * retryable nor catchable (the library reads `isRetryable` / `isCatchable`), so the execution
 * always fails on it.
 */
class UnsupportedTaskResourceError extends Error {
  readonly resource: string;

  constructor(stateName: string, resource: string) {
    super(
      `Task state '${stateName}' uses the resource '${resource}', which the local runner does not serve ` +
        `(it serves only ${Object.keys(SUPPORTED_TASK_RESOURCES).join(", ")}; it never calls AWS).`,
    );
    this.name = "States.TaskFailed";
    this.resource = resource;
  }

  get isRetryable(): boolean {
    return false;
  }

  get isCatchable(): boolean {
    return false;
  }
}

/** Starts an execution and waits for its end (StartSyncExecution, or StartExecution + DescribeExecution). */
export async function runWorkflow(definition: object, input: unknown, options: RunWorkflowOptions): Promise<ExecutionResult> {
  return startWorkflow(definition, input, options).result;
}

/**
 * Starts an execution without waiting for it (StartExecution). Throws at once, like
 * StartExecution / CreateStateMachine, for an invalid definition, input or option.
 */
export function startWorkflow(definition: object, input: unknown, options: RunWorkflowOptions): StartedExecution {
  installPromiseWithResolvers();

  const waitScale = options.waitScale ?? 1;
  if (!Number.isFinite(waitScale) || waitScale < 0) {
    throw new RangeError(`waitScale must be a finite number >= 0, got ${String(waitScale)}`);
  }
  const stateMachineArn = options.stateMachineArn ?? DEFAULT_STATE_MACHINE_ARN;
  const name = options.executionName ?? randomUUID();
  if (name.length === 0 || name.length > 80) {
    throw new RangeError(`executionName must have 1 to 80 characters, got ${JSON.stringify(name)}`);
  }
  const executionArn = executionArnOf(stateMachineArn, name);
  const inputText = JSON.stringify(input === undefined ? {} : input);
  if (inputText === undefined) throw new TypeError("The execution input must be JSON");
  const inputValue = JSON.parse(inputText) as JsonValue;

  const prepared = prepareDefinition(definition);
  const tasks = collectStates(prepared.definition, "Task");
  const waits = collectStates(prepared.definition, "Wait");

  const taskResourceLocalHandlers: Record<string, (input: JsonValue) => Promise<JsonValue>> = {};
  for (const [stateName, state] of tasks) {
    taskResourceLocalHandlers[stateName] = taskHandler(stateName, String(state.Resource), options.ec2);
  }
  const waitTimeOverrides: Record<string, number> = {};
  if (waitScale !== 1) {
    for (const [stateName, state] of waits) {
      if (typeof state.Seconds === "number") waitTimeOverrides[stateName] = state.Seconds * 1000 * waitScale;
    }
    scaleRetriesAndTaskTimeouts(prepared.definition, waitScale);
  }

  const stateMachine = new StateMachine(prepared.definition as unknown as StateMachineDefinition, {
    validationOptions: { noValidate: true }, // validated by prepareDefinition
  });
  const runOptions: RunOptions = {
    overrides: { taskResourceLocalHandlers, waitTimeOverrides },
    context: {
      Execution: { Id: executionArn, Name: name },
      StateMachine: { Id: stateMachineArn, Name: stateMachineArn.split(":").pop() ?? "" },
    },
  };

  const startDate = Date.now() / 1000;
  const execution = stateMachine.run(inputValue as never, runOptions);

  // The event log tells which state failed (for the cause of runtime errors).
  const failedStates: Array<{ stateName: string; error: string }> = [];
  const logConsumed = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === "StateFailed") failedStates.push({ stateName: event.state.name, error: event.Error });
    }
  })();

  let timedOut = false;
  let timeoutTimer: NodeJS.Timeout | undefined;
  if (prepared.timeoutSeconds !== undefined && waitScale > 0) {
    timeoutTimer = setTimeout(
      () => {
        timedOut = true;
        execution.abort();
      },
      prepared.timeoutSeconds * 1000 * waitScale,
    );
  }

  const base = { executionArn, stateMachineArn, name, startDate, input: inputText };
  const result = (async (): Promise<ExecutionResult> => {
    let outcome: Omit<ExecutionResult, keyof typeof base | "stopDate">;
    try {
      const output = await execution.result;
      outcome = { status: "SUCCEEDED", output: JSON.stringify(output === undefined ? null : output) };
    } catch (error) {
      if (timedOut || error instanceof ExecutionTimeoutError) {
        outcome = {
          status: "TIMED_OUT",
          error: "States.Timeout",
          cause: `The execution ran longer than its TimeoutSeconds (${String(prepared.timeoutSeconds)})`,
        };
      } else if (error instanceof ExecutionAbortedError) {
        outcome = { status: "ABORTED" };
      } else {
        await logConsumed;
        outcome = { status: "FAILED", ...failureOf(error, failedStates) };
      }
    } finally {
      if (timeoutTimer !== undefined) clearTimeout(timeoutTimer);
    }
    await logConsumed;
    return { ...base, ...outcome, stopDate: Date.now() / 1000 };
  })();

  return { executionArn, stateMachineArn, name, startDate, result, abort: () => execution.abort() };
}

/**
 * A deep copy of `definition` in which every Choice rule `{"Variable": v, "IsX": false, …}`
 * (IsX one of IsPresent, IsNull, IsString, IsNumeric, IsBoolean, IsTimestamp) becomes
 * `{"Not": {"Variable": v, "IsX": true}, …}`, at any depth of And / Or / Not, in every Choice
 * state, including those in Parallel branches and Map processors. The input is not modified.
 */
export function rewriteNegatedTypeTests<T extends object>(definition: T): T {
  const copy = deepCopyJson(definition) as unknown as JsonObject;
  forEachState(copy, (_name, state) => {
    if (state.Type === "Choice" && Array.isArray(state.Choices)) {
      state.Choices = state.Choices.map(rewriteRule);
    }
  });
  return copy as unknown as T;
}

/** The type tests aws-local-stepfunctions 3.0.0 cannot evaluate with `false`. */
export const TYPE_TEST_OPERATORS = Object.freeze(["IsPresent", "IsNull", "IsString", "IsNumeric", "IsBoolean", "IsTimestamp"] as const);

/**
 * Installs `Promise.withResolvers` (ES2024) when the runtime lacks it, following the
 * specification: a non-constructor method of length 0 that creates the promise through `this`
 * (NewPromiseCapability), writable, configurable and not enumerable like other built-ins.
 * Returns true when it installed the polyfill.
 */
export function installPromiseWithResolvers(): boolean {
  const promiseConstructor = Promise as unknown as { withResolvers?: unknown };
  if (typeof promiseConstructor.withResolvers === "function") return false;
  const { withResolvers } = {
    withResolvers(this: unknown): { promise: Promise<unknown>; resolve: unknown; reject: unknown } {
      if (typeof this !== "function") throw new TypeError("Promise.withResolvers called on a non-constructor");
      let resolve: unknown;
      let reject: unknown;
      const promise = new (this as PromiseConstructor)((res, rej) => {
        if (resolve !== undefined || reject !== undefined) throw new TypeError("Promise executor already called");
        resolve = res;
        reject = rej;
      });
      if (typeof resolve !== "function" || typeof reject !== "function") {
        throw new TypeError("Promise resolve or reject function is not callable");
      }
      return { promise, resolve, reject };
    },
  };
  Object.defineProperty(Promise, "withResolvers", {
    value: withResolvers,
    writable: true,
    enumerable: false,
    configurable: true,
  });
  return true;
}

installPromiseWithResolvers();

// ---------------------------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------------------------

type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
interface JsonObject {
  [key: string]: JsonValue;
}

function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function deepCopyJson(value: unknown): JsonValue {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError("The definition must be JSON");
  return JSON.parse(text) as JsonValue;
}

const validDefinitions = new Set<string>();
const MAX_REMEMBERED_DEFINITIONS = 64;

/**
 * Deep copy, IsX:false rewrite, validation (asl-validator, through the library), and the
 * top-level TimeoutSeconds taken out (it is enforced by startWorkflow, scaled).
 */
function prepareDefinition(definition: object): { definition: JsonObject; timeoutSeconds?: number } {
  if (!isJsonObject(definition)) throw new TypeError("The definition must be a JSON object");
  const rewritten = rewriteNegatedTypeTests(definition) as unknown as JsonObject;
  // Validates everything, TimeoutSeconds included (throws "State machine definition is invalid ...").
  // Validation takes a few hundred milliseconds, so definitions found valid are remembered.
  const text = JSON.stringify(rewritten);
  if (!validDefinitions.has(text)) {
    new StateMachine(rewritten as unknown as StateMachineDefinition);
    if (validDefinitions.size >= MAX_REMEMBERED_DEFINITIONS) validDefinitions.clear();
    validDefinitions.add(text);
  }
  const { TimeoutSeconds, ...withoutTimeout } = rewritten;
  return {
    definition: withoutTimeout,
    timeoutSeconds: typeof TimeoutSeconds === "number" ? TimeoutSeconds : undefined,
  };
}

/**
 * Scales, in place, the Retry intervals (IntervalSeconds, default 1, and MaxDelaySeconds) and the
 * Task TimeoutSeconds. The library computes `IntervalSeconds * BackoffRate^attempt`, clamped to
 * MaxDelaySeconds, and reads both (and Task TimeoutSeconds) as plain numbers, so fractional values
 * keep backoff and jitter as they are; the definition was validated before this.
 */
function scaleRetriesAndTaskTimeouts(machine: JsonObject, waitScale: number): void {
  forEachState(machine, (_name, state) => {
    if (Array.isArray(state.Retry)) {
      for (const retrier of state.Retry) {
        if (!isJsonObject(retrier)) continue;
        retrier.IntervalSeconds = (typeof retrier.IntervalSeconds === "number" ? retrier.IntervalSeconds : 1) * waitScale;
        if (typeof retrier.MaxDelaySeconds === "number") retrier.MaxDelaySeconds *= waitScale;
      }
    }
    // 0 would read as "not set" (the library's 60-second default); keep the timeout then.
    if (state.Type === "Task" && typeof state.TimeoutSeconds === "number" && waitScale > 0) {
      state.TimeoutSeconds *= waitScale;
    }
  });
}

function rewriteRule(rule: JsonValue): JsonValue {
  if (!isJsonObject(rule)) return rule;
  const out: JsonObject = { ...rule };
  if (Array.isArray(out.And)) out.And = out.And.map(rewriteRule);
  if (Array.isArray(out.Or)) out.Or = out.Or.map(rewriteRule);
  if (isJsonObject(out.Not)) out.Not = rewriteRule(out.Not);
  const operator = TYPE_TEST_OPERATORS.find((op) => out[op] === false);
  if (operator === undefined || typeof out.Variable !== "string") return out;
  const { Variable, [operator]: _negated, ...rest } = out;
  return { ...rest, Not: { Variable, [operator]: true } };
}

/** The states of a type, by name; overrides are keyed by state name, so names must not clash. */
function collectStates(machine: JsonObject, type: string): Map<string, JsonObject> {
  const found = new Map<string, JsonObject>();
  forEachState(machine, (name, state) => {
    if (state.Type !== type) return;
    const earlier = found.get(name);
    if (earlier !== undefined && JSON.stringify(earlier) !== JSON.stringify(state)) {
      throw new Error(`State name '${name}' is used by two different ${type} states; state names must be unique`);
    }
    found.set(name, state as JsonObject);
  });
  return found;
}

type Ec2Action = (typeof SUPPORTED_TASK_RESOURCES)[keyof typeof SUPPORTED_TASK_RESOURCES];

function taskHandler(stateName: string, resource: string, ec2: SimulatedEc2): (input: JsonValue) => Promise<JsonValue> {
  const action: Ec2Action | undefined = Object.hasOwn(SUPPORTED_TASK_RESOURCES, resource)
    ? SUPPORTED_TASK_RESOURCES[resource as keyof typeof SUPPORTED_TASK_RESOURCES]
    : undefined;
  if (action === undefined) {
    return async () => {
      throw new UnsupportedTaskResourceError(stateName, resource);
    };
  }
  return async (parameters) => {
    try {
      const answer: unknown = ec2[action](parameters as never);
      return JSON.parse(JSON.stringify(answer)) as JsonValue;
    } catch (error) {
      if (error instanceof Ec2Error) throw new SdkIntegrationError(error);
      throw error;
    }
  };
}

/** Runtime errors whose cause AWS introduces with the state concerned. */
const STATE_RUNTIME_ERRORS = new Set([
  "States.Runtime",
  "States.ResultPathMatchFailure",
  "States.NoChoiceMatched",
  "States.IntrinsicFailure",
]);

function failureOf(error: unknown, failedStates: ReadonlyArray<{ stateName: string; error: string }>): { error?: string; cause?: string } {
  const failure = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : error;
  if (!(failure instanceof Error)) return { error: "States.Runtime", cause: String(failure) };
  // A Fail state without Error / Cause: AWS reports neither; the library fills in defaults.
  if (failure.constructor.name === "FailStateError") {
    return {
      ...(failure.name !== "FailStateError" ? { error: failure.name } : {}),
      ...(failure.message !== "Execution failed because of a Fail state" ? { cause: failure.message } : {}),
    };
  }
  let cause = failure.message;
  if (STATE_RUNTIME_ERRORS.has(failure.name)) {
    const state = [...failedStates].reverse().find((entry) => entry.error === failure.name);
    if (state !== undefined) cause = `An error occurred while executing the state '${state.stateName}'. ${cause}`;
  }
  return { error: failure.name, cause };
}
