/**
 * Runs an Amazon States Language definition offline, in-process, with the project's own
 * interpreter (local/asl/), serving the `arn:aws:states:::aws-sdk:ec2:*` Tasks the project's
 * workflows use from a {@link SimulatedEc2}, and answering the way Step Functions'
 * DescribeExecution / StartSyncExecution do.
 *
 * - Before a run, the definition is checked as CreateStateMachine would (lang/asl-validation.ts)
 *   and for features the interpreter does not implement (local/asl/support.ts): either throws,
 *   naming the state and the feature; definitions found good are remembered.
 * - Task states are served only locally: by the execution's mock test case when it mocks the state
 *   (local/mock-config.ts, AWS's Step Functions Local format: one answer per attempt, so Retry meets
 *   the next one), else by the simulated EC2 for its three actions. Any other Task fails the
 *   execution with `States.TaskFailed` naming the resource and the missing mock; that error is
 *   neither retryable nor catchable, so a `Catch` on States.ALL cannot hide a simulation gap.
 *   Nothing goes to the network.
 * - Errors of EC2 are raised as Step Functions raises errors of AWS SDK integrations (see
 *   {@link EC2_SDK_ERROR_NAME}).
 * - `waitScale` scales the clock of the definition, so that durations keep their proportions
 *   and an execution ends the same way as on AWS, only faster: Wait states (Seconds, SecondsPath,
 *   Timestamp, TimestampPath), Retry intervals (backoff and jitter unchanged), Task timeouts, and
 *   the execution's TimeoutSeconds. With `waitScale: 0` waits and pauses are instant and there is
 *   no execution or Task timeout.
 *
 * Limitation: the EC2 transition delay is the SimulatedEc2's own, not scaled.
 */
import { randomUUID } from "node:crypto";
import { executionArn as executionArnOf } from "../lang/aws";
import { StatesError } from "./asl/errors";
import { runStateMachine, type TaskHandler } from "./asl/interpreter";
import { isJsonObject, type JsonValue } from "./asl/json";
import { firstUnsupportedFeature } from "./asl/support";
import { assertValidDefinition } from "../lang/asl-validation";
import { Ec2Error, type SimulatedEc2 } from "./ec2";
import type { MockTestCase } from "./mock-config";

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
   * Multiplies the durations of the definition: Wait states, Retry
   * intervals, Task and execution `TimeoutSeconds`. Default 1; 0.01 turns a 29-second wait into
   * 0.29 s; 0 makes waits and retry pauses instant and disables the execution timeout.
   */
  readonly waitScale?: number;
  /** Default {@link DEFAULT_STATE_MACHINE_ARN}. */
  readonly stateMachineArn?: string;
  /** Default: a random UUID, as StartExecution uses when no name is given. */
  readonly executionName?: string;
  /** The mocked answers of this execution's Task states. Default: none (only EC2 is served). */
  readonly mocks?: MockTestCase;
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
 * Request ID: …)`.
 */
export const EC2_SDK_ERROR_NAME = "Ec2.Ec2Exception";

/** Starts an execution and waits for its end (StartSyncExecution, or StartExecution + DescribeExecution). */
export async function runWorkflow(definition: object, input: unknown, options: RunWorkflowOptions): Promise<ExecutionResult> {
  return startWorkflow(definition, input, options).result;
}

/**
 * Starts an execution without waiting for it (StartExecution). Throws at once, like
 * StartExecution / CreateStateMachine, for an invalid definition, input or option, and for a
 * definition using a feature the interpreter does not implement.
 */
export function startWorkflow(definition: object, input: unknown, options: RunWorkflowOptions): StartedExecution {
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
  checkDefinition(definition);
  const machine = definition as Record<string, unknown>;
  const timeoutSeconds = typeof machine.TimeoutSeconds === "number" ? machine.TimeoutSeconds : undefined;

  const controller = new AbortController();
  let timedOut = false;
  let timeoutTimer: NodeJS.Timeout | undefined;
  if (timeoutSeconds !== undefined && waitScale > 0) {
    timeoutTimer = setTimeout(
      () => {
        timedOut = true;
        controller.abort();
      },
      timeoutSeconds * 1000 * waitScale,
    );
  }

  const startedAt = Date.now();
  const startDate = startedAt / 1000;
  const base = { executionArn, stateMachineArn, name, startDate, input: inputText };
  const result = (async (): Promise<ExecutionResult> => {
    const outcome = await runStateMachine(
      machine,
      inputValue,
      {
        executionArn,
        executionName: name,
        stateMachineArn,
        stateMachineName: stateMachineArn.split(":").pop() ?? "",
        startTime: new Date(startedAt).toISOString(),
        input: inputValue,
      },
      { task: taskHandler(options.ec2, options.mocks), timeScale: waitScale, signal: controller.signal },
    ).finally(() => {
      if (timeoutTimer !== undefined) clearTimeout(timeoutTimer);
    });
    let fields: Omit<ExecutionResult, keyof typeof base | "stopDate">;
    if (outcome.status === "SUCCEEDED") fields = { status: "SUCCEEDED", output: JSON.stringify(outcome.output) };
    else if (timedOut) {
      fields = {
        status: "TIMED_OUT",
        error: "States.Timeout",
        cause: `The execution ran longer than its TimeoutSeconds (${String(timeoutSeconds)})`,
      };
    } else if (outcome.status === "ABORTED") fields = { status: "ABORTED" };
    else {
      fields = {
        status: "FAILED",
        ...(outcome.error !== undefined ? { error: outcome.error } : {}),
        ...(outcome.cause !== undefined ? { cause: outcome.cause } : {}),
      };
    }
    return { ...base, ...fields, stopDate: Date.now() / 1000 };
  })();

  return { executionArn, stateMachineArn, name, startDate, result, abort: () => controller.abort() };
}

// ---------------------------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------------------------

/** Definitions already checked (by identity: the emulator passes the same object for every run). */
const checkedDefinitions = new WeakSet<object>();

function checkDefinition(definition: object): void {
  if (checkedDefinitions.has(definition)) return;
  if (!isJsonObject(definition)) throw new TypeError("The definition must be a JSON object");
  assertValidDefinition(definition, "STANDARD");
  const unsupported = firstUnsupportedFeature(definition);
  if (unsupported !== undefined) {
    throw new Error(`state '${unsupported.state}' uses ${unsupported.feature}, which the local interpreter does not implement`);
  }
  checkedDefinitions.add(definition);
}

type Ec2Action = (typeof SUPPORTED_TASK_RESOURCES)[keyof typeof SUPPORTED_TASK_RESOURCES];

/** An EC2 error as a Task of an `aws-sdk:ec2` integration reports it (see {@link EC2_SDK_ERROR_NAME}). */
function sdkIntegrationError(error: Ec2Error): StatesError {
  return new StatesError(
    EC2_SDK_ERROR_NAME,
    `${error.message} (Service: Ec2, Status Code: ${error.statusCode}, Request ID: ${error.requestId})`,
  );
}

function taskHandler(ec2: SimulatedEc2, mocks: MockTestCase | undefined): TaskHandler {
  /** Invocations of each state in this execution, retries included: the mock's attempt number. */
  const attempts = new Map<string, number>();
  return async ({ stateName, resource, input }) => {
    const attempt = attempts.get(stateName) ?? 0;
    attempts.set(stateName, attempt + 1);
    const mocked = mocks?.answer(stateName, attempt);
    if (mocked === "no such attempt") {
      throw new StatesError(
        "States.TaskFailed",
        `Task state '${stateName}' has no mocked answer for attempt ${attempt} in the response '${mocks?.responseName(stateName)}' ` +
          `(test case '${mocks?.name}' of the state machine '${mocks?.stateMachine}' in ${mocks?.source}).`,
        true,
      );
    }
    if (mocked !== undefined) {
      if ("Throw" in mocked) throw new StatesError(mocked.Throw.Error, mocked.Throw.Cause ?? "");
      return JSON.parse(JSON.stringify(mocked.Return)) as JsonValue;
    }
    const action: Ec2Action | undefined = Object.hasOwn(SUPPORTED_TASK_RESOURCES, resource)
      ? SUPPORTED_TASK_RESOURCES[resource as keyof typeof SUPPORTED_TASK_RESOURCES]
      : undefined;
    if (action === undefined) {
      const missing =
        mocks === undefined
          ? "no mock test case applies to this execution (see LOCAL_MOCK_CONFIG)"
          : `the test case '${mocks.name}' of the state machine '${mocks.stateMachine}' in ${mocks.source} has no mock for it`;
      throw new StatesError(
        "States.TaskFailed",
        `Task state '${stateName}' uses the resource '${resource}', which the local runner does not simulate ` +
          `(it simulates only ${Object.keys(SUPPORTED_TASK_RESOURCES).join(", ")}; it never calls AWS), and ${missing}.`,
        true,
      );
    }
    try {
      const answer: unknown = ec2[action](input as never);
      return JSON.parse(JSON.stringify(answer)) as JsonValue;
    } catch (error) {
      if (error instanceof Ec2Error) throw sdkIntegrationError(error);
      throw error;
    }
  };
}
