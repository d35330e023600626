/**
 * The Step Functions API, offline: the actions API Gateway integrations call
 * (`arn:aws:apigateway:<region>:states:action/<Action>`), answering with Step Functions' HTTP
 * status and JSON body, errors included (`{"__type": "com.amazonaws.swf.service.v2.model#<Code>",
 * "message": "…"}` with status 400), so the stack's integration responses select and map them
 * exactly as on AWS. Executions run in-process through local/workflow.ts and the simulated EC2.
 *
 * - StartSyncExecution: EXPRESS state machines only (StateMachineTypeNotSupported otherwise);
 *   answers once the execution ends, HTTP 200 whatever its status, as Step Functions does.
 * - StartExecution: answers at once with executionArn and startDate; the execution runs in the
 *   background. STANDARD semantics for `name`: the same name and the same input while that
 *   execution runs gives the same answer again (idempotent); a different input, or a name whose
 *   execution has ended, gives ExecutionAlreadyExists. A name Step Functions would refuse gives
 *   InvalidName.
 * - DescribeExecution, StopExecution: STANDARD executions started here (ExecutionDoesNotExist
 *   otherwise, as for EXPRESS executions, which Step Functions does not keep either).
 *
 * Simplifications: executions are kept in memory (the last {@link MAX_EXECUTIONS}); the
 * request's members are checked for the problems listed above, not against the whole API model
 * (an unknown member is ignored); no history, no redrive, no billing figures beyond placeholders.
 */
import { randomUUID } from "node:crypto";
import { executionArn } from "../lang/aws";
import type { SimulatedEc2 } from "./ec2";
import type { MockConfig } from "./mock-config";
import { startWorkflow, type ExecutionResult, type StartedExecution } from "./workflow";
import type { StateMachineModel, StepFunctionsAction } from "./stack-reader";

/** An answer of the Step Functions API. */
export interface StepFunctionsAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON text. */
  readonly body: string;
}

export interface LocalStepFunctionsOptions {
  readonly stateMachines: readonly Pick<StateMachineModel, "name" | "type" | "arn" | "definition">[];
  readonly ec2: SimulatedEc2;
  /** Scales Wait states, retry intervals and timeouts (see local/workflow.ts). */
  readonly waitScale: number;
  /** Mocked service integrations (local/mock-config.ts). @default none */
  readonly mocks?: MockConfig;
}

/** What the caller knows beyond the request body. */
export interface CallContext {
  /** The mock test case the request asked for (its `X-Mock-Test-Case` header). */
  readonly mockTestCase?: string;
}

/** Input limit of StartExecution / StartSyncExecution: 256 KiB of UTF-8. */
export const MAX_INPUT_BYTES = 262_144;
/** Executions remembered for DescribeExecution and name checks; the oldest ended ones are forgotten first. */
const MAX_EXECUTIONS = 10_000;

const ERROR_PREFIX = "com.amazonaws.swf.service.v2.model#";
const ARN = /^arn:aws[a-z-]*:states:([a-z0-9-]+):(\d{12}):(stateMachine|execution|express):(.+)$/;
/** Characters Step Functions refuses in names: whitespace, brackets, wildcards, specials, controls. */
const INVALID_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;

/** An error of the Step Functions API: its code and message, answered as HTTP 400. */
class StepFunctionsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

interface ExecutionRecord {
  readonly started: StartedExecution;
  readonly stateMachineArn: string;
  readonly input: string;
  result?: ExecutionResult;
  stopped?: { error?: string; cause?: string };
}

export class LocalStepFunctions {
  private readonly machines = new Map<string, LocalStepFunctionsOptions["stateMachines"][number]>();
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly running = new Set<StartedExecution>();
  private closed = false;

  constructor(private readonly options: LocalStepFunctionsOptions) {
    for (const machine of options.stateMachines) this.machines.set(machine.arn, machine);
  }

  /** Executions under way (STANDARD and EXPRESS). */
  get runningCount(): number {
    return this.running.size;
  }

  /** Calls an action with a JSON request body, as API Gateway's AWS integration does. */
  async call(action: StepFunctionsAction | string, requestBody: string, context: CallContext = {}): Promise<StepFunctionsAnswer> {
    try {
      const request = parseRequest(requestBody);
      switch (action) {
        case "StartExecution":
          return ok(this.startExecution(request, context));
        case "StartSyncExecution":
          return ok(await this.startSyncExecution(request, context));
        case "DescribeExecution":
          return ok(this.describeExecution(request));
        case "StopExecution":
          return ok(this.stopExecution(request));
        default:
          throw new StepFunctionsError("UnknownOperationException", `Unknown operation ${action}`);
      }
    } catch (error) {
      if (error instanceof StepFunctionsError) {
        const type = error.code.includes("#") ? error.code : `${ERROR_PREFIX}${error.code}`;
        return answer(error.status, { __type: type, message: error.message });
      }
      throw error;
    }
  }

  /** Waits for every execution under way to end (for tests and graceful shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running].map((e) => e.result));
  }

  /** Stops every execution under way (they end ABORTED) and refuses new ones. */
  async close(): Promise<void> {
    this.closed = true;
    for (const execution of this.running) execution.abort();
    await this.idle();
  }

  private startExecution(request: Record<string, unknown>, context: CallContext) {
    const machine = this.machine(request.stateMachineArn);
    const input = executionInput(request.input);
    const name = executionName(request.name);
    if (name !== undefined && machine.type === "STANDARD") {
      const arn = executionArn(machine.arn, name);
      const existing = this.executions.get(arn);
      if (existing) {
        if (existing.result === undefined && existing.input === input.text) {
          return { executionArn: existing.started.executionArn, startDate: existing.started.startDate };
        }
        throw new StepFunctionsError("ExecutionAlreadyExists", `Execution Already Exists: '${arn}'`);
      }
    }
    const started = this.start(machine, input, name, context);
    if (machine.type === "STANDARD") {
      this.remember({ started, stateMachineArn: machine.arn, input: input.text });
      return { executionArn: started.executionArn, startDate: started.startDate };
    }
    return { executionArn: expressArn(started), startDate: started.startDate };
  }

  private async startSyncExecution(request: Record<string, unknown>, context: CallContext) {
    const machine = this.machine(request.stateMachineArn);
    if (machine.type !== "EXPRESS") {
      throw new StepFunctionsError("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine");
    }
    const input = executionInput(request.input);
    const started = this.start(machine, input, executionName(request.name), context);
    const result = await started.result;
    const durationMs = Math.max(1, Math.round((result.stopDate - result.startDate) * 1000));
    return {
      ...describe(result),
      executionArn: expressArn(started),
      billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.ceil(durationMs / 100) * 100 },
    };
  }

  private describeExecution(request: Record<string, unknown>) {
    const record = this.execution(request.executionArn);
    const { started } = record;
    if (record.result === undefined) {
      return {
        executionArn: started.executionArn,
        stateMachineArn: record.stateMachineArn,
        name: started.name,
        status: "RUNNING",
        startDate: started.startDate,
        input: record.input,
        inputDetails: { included: true },
        redriveCount: 0,
        redriveStatus: "NOT_REDRIVABLE",
        redriveStatusReason: "Execution is RUNNING and cannot be redriven",
      };
    }
    return {
      ...describe(record.result),
      ...(record.result.status === "ABORTED" ? record.stopped : {}),
      input: record.input,
      redriveCount: 0,
      redriveStatus: record.result.status === "SUCCEEDED" ? "NOT_REDRIVABLE" : "REDRIVABLE",
    };
  }

  private stopExecution(request: Record<string, unknown>) {
    const record = this.execution(request.executionArn);
    if (record.result === undefined) {
      record.stopped = {
        ...(typeof request.error === "string" ? { error: request.error } : {}),
        ...(typeof request.cause === "string" ? { cause: request.cause } : {}),
      };
      record.started.abort();
    }
    return { stopDate: record.result?.stopDate ?? Date.now() / 1000 };
  }

  private machine(arn: unknown) {
    if (typeof arn !== "string" || arn === "") {
      throw new StepFunctionsError(
        "ValidationException",
        "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null",
      );
    }
    const parsed = ARN.exec(arn);
    if (parsed?.[3] !== "stateMachine")
      throw new StepFunctionsError("InvalidArn", `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
    const machine = this.machines.get(arn);
    if (!machine) throw new StepFunctionsError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  private execution(arn: unknown): ExecutionRecord {
    if (typeof arn !== "string" || arn === "") {
      throw new StepFunctionsError(
        "ValidationException",
        "1 validation error detected: Value null at 'executionArn' failed to satisfy constraint: Member must not be null",
      );
    }
    const parsed = ARN.exec(arn);
    if (!parsed || (parsed[3] !== "execution" && parsed[3] !== "express")) {
      throw new StepFunctionsError("InvalidArn", `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
    }
    const name = parsed[4].split(":").pop() ?? "";
    if (name === "" || name.length > 80 || INVALID_NAME.test(name))
      throw new StepFunctionsError("InvalidArn", `Invalid Arn: 'Invalid execution name: ${arn}'`);
    const record = this.executions.get(arn);
    if (!record) throw new StepFunctionsError("ExecutionDoesNotExist", `Execution Does Not Exist: '${arn}'`);
    return record;
  }

  private start(
    machine: LocalStepFunctionsOptions["stateMachines"][number],
    input: { value: unknown },
    name: string | undefined,
    context: CallContext,
  ): StartedExecution {
    if (this.closed) throw new StepFunctionsError("ServiceUnavailable", "The local Step Functions emulator is shutting down", 503);
    let mocks: ReturnType<MockConfig["testCase"]>;
    try {
      mocks = this.options.mocks?.testCase(machine.name, context.mockTestCase);
    } catch (error) {
      throw new StepFunctionsError("ValidationException", (error as Error).message);
    }
    if (mocks === undefined && context.mockTestCase !== undefined) {
      throw new StepFunctionsError(
        "ValidationException",
        `No mock configuration is loaded (LOCAL_MOCK_CONFIG), so the test case '${context.mockTestCase}' cannot be used`,
      );
    }
    const started = startWorkflow(machine.definition, input.value, {
      ec2: this.options.ec2,
      waitScale: this.options.waitScale,
      stateMachineArn: machine.arn,
      executionName: name ?? randomUUID(),
      mocks,
    });
    this.running.add(started);
    void started.result.then((result) => {
      this.running.delete(started);
      const record = this.executions.get(started.executionArn);
      if (record && record.started === started) record.result = result;
    });
    return started;
  }

  private remember(record: ExecutionRecord): void {
    if (this.executions.size >= MAX_EXECUTIONS) {
      for (const [arn, old] of this.executions) {
        if (old.result !== undefined) {
          this.executions.delete(arn);
          break;
        }
      }
    }
    this.executions.set(record.started.executionArn, record);
  }
}

function ok(body: object): StepFunctionsAnswer {
  return answer(200, body);
}

function answer(status: number, body: object): StepFunctionsAnswer {
  return {
    status,
    headers: { "Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": randomUUID() },
    body: JSON.stringify(body),
  };
}

function parseRequest(body: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.trim() === "" ? "{}" : body);
  } catch {
    throw new StepFunctionsError("com.amazon.coral.service#SerializationException", "Start of structure or map found where not expected.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new StepFunctionsError("com.amazon.coral.service#SerializationException", "Start of structure or map found where not expected.");
  }
  return parsed as Record<string, unknown>;
}

function executionInput(input: unknown): { text: string; value: unknown } {
  if (input === undefined || input === null) return { text: "{}", value: {} };
  if (typeof input !== "string") {
    throw new StepFunctionsError("com.amazon.coral.service#SerializationException", "STRING_VALUE can not be converted to a String");
  }
  if (Buffer.byteLength(input, "utf8") > MAX_INPUT_BYTES) {
    throw new StepFunctionsError(
      "InvalidExecutionInput",
      `Invalid State Machine Execution Input: 'The input has a size of ${Buffer.byteLength(input, "utf8")} bytes, more than the maximum of ${MAX_INPUT_BYTES} bytes'`,
    );
  }
  try {
    return { text: input, value: JSON.parse(input) };
  } catch (error) {
    throw new StepFunctionsError("InvalidExecutionInput", `Invalid State Machine Execution Input: '${(error as Error).message}'`);
  }
}

function executionName(name: unknown): string | undefined {
  if (name === undefined || name === null) return undefined;
  if (typeof name !== "string") {
    throw new StepFunctionsError("com.amazon.coral.service#SerializationException", "STRING_VALUE can not be converted to a String");
  }
  if (name.length === 0 || name.length > 80 || INVALID_NAME.test(name))
    throw new StepFunctionsError("InvalidName", `Invalid Name: '${name}'`);
  return name;
}

/** EXPRESS executions are named `arn:…:express:<machine>:<name>:<id>` by Step Functions. */
function expressArn(started: StartedExecution): string {
  return `${started.executionArn.replace(/:execution:([^:]+):[^:]+$/, ":express:$1")}:${started.name}:${randomUUID()}`;
}

/** DescribeExecution's fields of an ended execution. */
function describe(result: ExecutionResult) {
  return {
    executionArn: result.executionArn,
    stateMachineArn: result.stateMachineArn,
    name: result.name,
    status: result.status,
    startDate: result.startDate,
    stopDate: result.stopDate,
    input: result.input,
    inputDetails: { included: true },
    ...(result.output !== undefined ? { output: result.output, outputDetails: { included: true } } : {}),
    ...(result.error !== undefined ? { error: result.error } : {}),
    ...(result.cause !== undefined ? { cause: result.cause } : {}),
  };
}
