/**
 * Runs an Amazon States Language state machine as Step Functions does: JSONPath and JSONata
 * (per machine and per state, `QueryLanguage`), workflow variables with their scopes, every state
 * type but the distributed Map (Pass, Task, Choice, Wait, Succeed, Fail, Parallel, inline Map),
 * Retry and Catch, the context object and the 256 KiB payload limit. References: the Amazon States
 * Language specification and the Step Functions Developer Guide (named where a rule is used), and
 * executions recorded on AWS in LocalStack's tests/aws/services/stepfunctions/v2 snapshots.
 *
 * Tasks are served by a {@link TaskHandler} (the emulator's simulated services and mocks); nothing
 * here calls AWS. What this interpreter does not implement is refused before a run starts
 * (local/asl/support.ts), never guessed.
 */
import { contextObject, type ExecutionInfo, type MapItem } from "./context";
import { evaluateChoiceRule, parseTimestamp } from "./choice";
import { FieldError, StatesError, stateRuntimeCause } from "./errors";
import { evaluateJsonata, evaluateJsonataTemplate, expressionText, isJsonataExpression, type JsonataScope } from "./jsonata";
import { isJsonObject, jsonTypeName, MAX_PAYLOAD_BYTES, payloadBytes, type JsonObject, type JsonValue } from "./json";
import { evaluatePath, setPath, type PathScope } from "./jsonpath";
import { evaluateDynamic, evaluatePayloadTemplate } from "./payload-template";
import { errorMatches, retryDelaySeconds, type Retrier } from "./retry";
import { VariableScope } from "./variables";

export type { ExecutionInfo } from "./context";

/** What a Task state asks of its integration. */
export interface TaskRequest {
  readonly stateName: string;
  readonly resource: string;
  /** Parameters (JSONPath) or Arguments (JSONata), evaluated. */
  readonly input: JsonValue;
  /** 0 for the first attempt, then 1, 2… as the Retry goes (the context's State.RetryCount). */
  readonly retryCount: number;
  readonly context: JsonObject;
  readonly signal: AbortSignal;
}

/** Serves a Task: resolves with its result, or rejects with a {@link StatesError}. */
export type TaskHandler = (request: TaskRequest) => Promise<JsonValue>;

export interface RunOptions {
  readonly task: TaskHandler;
  /**
   * Multiplies every duration of the definition (Wait, Retry pauses, Task timeouts). Default 1;
   * 0 makes waits and pauses instant (Task timeouts then do not apply).
   */
  readonly timeScale?: number;
  /** Aborting it stops the execution (StopExecution, the execution's timeout). */
  readonly signal?: AbortSignal;
}

export type ExecutionOutcome =
  | { readonly status: "SUCCEEDED"; readonly output: JsonValue }
  | { readonly status: "FAILED"; readonly error?: string; readonly cause?: string }
  | { readonly status: "ABORTED" };

type QueryLanguage = "JSONPath" | "JSONata";
type AslState = Record<string, unknown>;
interface Machine {
  readonly StartAt: string;
  readonly States: Record<string, AslState>;
}

/** Raised by a Fail state: its Error and Cause may both be absent (Developer Guide, "Fail workflow state"). */
class FailStateError extends StatesError {}

class Aborted extends Error {}

/** Runs one execution to its end. */
export async function runStateMachine(
  definition: Record<string, unknown>,
  input: JsonValue,
  execution: ExecutionInfo,
  options: RunOptions,
): Promise<ExecutionOutcome> {
  const run = new Run(execution, options);
  const queryLanguage: QueryLanguage = definition.QueryLanguage === "JSONata" ? "JSONata" : "JSONPath";
  try {
    const output = await run.machine(definition as unknown as Machine, input, new VariableScope(), queryLanguage, undefined, run.signal);
    return { status: "SUCCEEDED", output: JSON.parse(JSON.stringify(output)) as JsonValue };
  } catch (error) {
    if (error instanceof Aborted || run.signal.aborted) return { status: "ABORTED" };
    if (error instanceof StatesError) {
      return {
        status: "FAILED",
        ...(error.error !== "" ? { error: error.error } : {}),
        ...(error.causeText !== undefined ? { cause: error.causeText } : {}),
      };
    }
    return { status: "FAILED", error: "States.Runtime", cause: error instanceof Error ? error.message : String(error) };
  }
}

interface StateResult {
  readonly output: JsonValue;
  readonly next?: string;
}

class Run {
  /** History event ids, for "entered at the event id #n": 1 is ExecutionStarted. */
  private events = 1;
  readonly signal: AbortSignal;
  private readonly scale: number;

  constructor(
    private readonly execution: ExecutionInfo,
    private readonly options: RunOptions,
  ) {
    this.signal = options.signal ?? new AbortController().signal;
    this.scale = options.timeScale ?? 1;
  }

  private event(count = 1): number {
    this.events += count;
    return this.events;
  }

  async machine(
    machine: Machine,
    input: JsonValue,
    scope: VariableScope,
    queryLanguage: QueryLanguage,
    item: MapItem | undefined,
    signal: AbortSignal,
  ): Promise<JsonValue> {
    let name = machine.StartAt;
    let current = input;
    for (;;) {
      if (signal.aborted) throw new Aborted();
      const state = machine.States[name];
      const result = await this.state(name, state, current, scope, queryLanguage, item, signal);
      if (result.next === undefined) return result.output;
      name = result.next;
      current = result.output;
    }
  }

  private async state(
    name: string,
    state: AslState,
    input: JsonValue,
    scope: VariableScope,
    machineLanguage: QueryLanguage,
    item: MapItem | undefined,
    signal: AbortSignal,
  ): Promise<StateResult> {
    const entered = this.event();
    const enteredTime = new Date().toISOString();
    const ql: QueryLanguage =
      state.QueryLanguage === "JSONata" ? "JSONata" : state.QueryLanguage === "JSONPath" ? "JSONPath" : machineLanguage;
    const s = new StateRun(this, name, state, input, scope, ql, machineLanguage, item, entered, enteredTime, signal);
    try {
      return await s.run();
    } catch (error) {
      throw s.wrap(error);
    }
  }

  // --- helpers used by StateRun -----------------------------------------------------------------

  context(stateName: string, enteredTime: string, retryCount: number | undefined, item: MapItem | undefined): JsonObject {
    return contextObject(this.execution, stateName, enteredTime, retryCount, item);
  }

  nextEvent(count = 1): number {
    return this.event(count);
  }

  runMachine(machine: Machine, input: JsonValue, scope: VariableScope, ql: QueryLanguage, item: MapItem | undefined, signal: AbortSignal) {
    return this.machine(machine, input, scope, ql, item, signal);
  }

  async sleep(seconds: number, signal: AbortSignal): Promise<void> {
    const ms = seconds * 1000 * this.scale;
    if (signal.aborted) throw new Aborted();
    if (ms <= 0) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(new Aborted());
      };
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  get timeScale(): number {
    return this.scale;
  }

  get task(): TaskHandler {
    return this.options.task;
  }
}

/** The wording of the payload limit error (recorded on AWS: test_states_errors.py::test_start_large_input). */
function dataLimit(subject: string): StatesError {
  return new StatesError(
    "States.DataLimitExceeded",
    `The state/task '${subject}' returned a result with a size exceeding the maximum number of bytes service limit.`,
  );
}

function checkSize(value: JsonValue, subject: string): void {
  if (payloadBytes(value) > MAX_PAYLOAD_BYTES) throw dataLimit(subject);
}

/** The largest Wait AWS accepts: 2^31 - 1 seconds (recorded on AWS: test_wait.py::test_timestamp_too_far_in_future_boundary). */
const MAX_WAIT_SECONDS = 2_147_483_647;

class StateRun {
  private retryCount = 0;

  constructor(
    private readonly runner: Run,
    private readonly name: string,
    private readonly state: AslState,
    private readonly rawInput: JsonValue,
    private readonly scope: VariableScope,
    private readonly ql: QueryLanguage,
    private readonly machineLanguage: QueryLanguage,
    private readonly item: MapItem | undefined,
    private readonly entered: number,
    private readonly enteredTime: string,
    private readonly signal: AbortSignal,
  ) {}

  /** A field error gets the state's name in front, as AWS words runtime errors. */
  wrap(error: unknown): unknown {
    if (error instanceof FieldError) return new StatesError(error.error, stateRuntimeCause(this.name, this.entered, error.text));
    return error;
  }

  private context(): JsonObject {
    return this.runner.context(this.name, this.enteredTime, this.state.Type === "Task" ? this.retryCount : undefined, this.item);
  }

  private pathScope(data: JsonValue): PathScope {
    return { data, context: this.context(), variables: this.scope.all() };
  }

  private jsonataScope(extra: { result?: JsonValue; errorOutput?: JsonValue } = {}): JsonataScope {
    return { states: { input: this.rawInput, context: this.context(), ...extra }, variables: this.scope.all() };
  }

  async run(): Promise<StateResult> {
    switch (this.state.Type) {
      case "Pass":
        return this.pass();
      case "Succeed":
        return this.succeed();
      case "Fail":
        return this.fail();
      case "Choice":
        return this.choice();
      case "Wait":
        return this.wait();
      case "Task":
      case "Map":
      case "Parallel":
        return this.withRetryAndCatch();
      default:
        throw new FieldError("States.Runtime", `The state type ${String(this.state.Type)} is not supported`);
    }
  }

  /** The state's output and where it goes; counts its …StateExited event. */
  private next(output: JsonValue): StateResult {
    checkSize(output, this.name);
    this.runner.nextEvent();
    if (this.state.End === true || this.state.Type === "Succeed") return { output };
    return { output, next: String(this.state.Next) };
  }

  // --- JSONPath building blocks --------------------------------------------------------------------

  private inputPath(): JsonValue {
    if (!("InputPath" in this.state)) return this.rawInput;
    if (this.state.InputPath === null) return {};
    return this.readPath(String(this.state.InputPath), this.rawInput);
  }

  /** InputPath / OutputPath: "Invalid path '$.x' : No results for path: $['x']" (recorded on AWS, test_base_scenarios). */
  private readPath(path: string, data: JsonValue): JsonValue {
    const result = evaluatePath(path, this.pathScope(data));
    if (!result.found) throw new FieldError("States.Runtime", `Invalid path '${path}' : ${result.missing}`);
    return result.value;
  }

  private resultPath(result: JsonValue, raw: JsonValue, resultPath: unknown): JsonValue {
    if (resultPath === undefined) return result;
    if (resultPath === null) return raw;
    const path = String(resultPath);
    if (path.startsWith("$") && !path.startsWith("$$") && /^\$[A-Za-z_]/.test(path)) {
      throw new FieldError("States.ResultPathMatchFailure", `The ResultPath ${path} cannot write a variable`);
    }
    return setPath(path, raw, result);
  }

  private outputPath(value: JsonValue): JsonValue {
    if (!("OutputPath" in this.state)) return value;
    if (this.state.OutputPath === null) return {};
    return this.readPath(String(this.state.OutputPath), value);
  }

  /** JSONPath Assign: `….$` keys read `data` (the state's result, or its input when it has none). */
  private assignJsonPath(assign: unknown, data: JsonValue): Record<string, JsonValue> | undefined {
    if (!isJsonObject(assign)) return undefined;
    const value = evaluatePayloadTemplate(assign, this.pathScope(data));
    return value as Record<string, JsonValue>;
  }

  private async assignJsonata(assign: unknown, scope: JsonataScope): Promise<Record<string, JsonValue> | undefined> {
    if (!isJsonObject(assign)) return undefined;
    const out: Record<string, JsonValue> = {};
    for (const [key, value] of Object.entries(assign)) out[key] = await evaluateJsonataTemplate(value, scope, `Assign/${key}`);
    return out;
  }

  private async jsonataValue(value: unknown, field: string, scope: JsonataScope = this.jsonataScope()): Promise<JsonValue> {
    return evaluateJsonataTemplate(value, scope, field);
  }

  // --- states ----------------------------------------------------------------------------------------

  private async pass(): Promise<StateResult> {
    if (this.ql === "JSONata") {
      const scope = this.jsonataScope();
      const output = "Output" in this.state ? await this.jsonataValue(this.state.Output, "Output", scope) : this.rawInput;
      const assigned = await this.assignJsonata(this.state.Assign, scope);
      if (assigned) this.scope.assign(assigned);
      return this.next(output);
    }
    const effective = this.inputPath();
    let result: JsonValue;
    if ("Result" in this.state) result = this.state.Result as JsonValue;
    else if ("Parameters" in this.state) result = evaluatePayloadTemplate(this.state.Parameters, this.pathScope(effective));
    else result = effective;
    checkSize(result, this.name);
    const assigned = this.assignJsonPath(this.state.Assign, result);
    const output = this.outputPath(this.resultPath(result, this.rawInput, this.state.ResultPath));
    checkSize(output, this.name);
    if (assigned) this.scope.assign(assigned);
    return this.next(output);
  }

  private async succeed(): Promise<StateResult> {
    if (this.ql === "JSONata") {
      const output = "Output" in this.state ? await this.jsonataValue(this.state.Output, "Output") : this.rawInput;
      return this.next(output);
    }
    return this.next(this.outputPath(this.inputPath()));
  }

  private async fail(): Promise<StateResult> {
    let error: JsonValue | undefined;
    let cause: JsonValue | undefined;
    if (this.ql === "JSONata") {
      if ("Error" in this.state) error = await this.jsonataValue(this.state.Error, "Error");
      if ("Cause" in this.state) cause = await this.jsonataValue(this.state.Cause, "Cause");
    } else {
      const scope = this.pathScope(this.rawInput);
      error = "ErrorPath" in this.state ? this.failPath(String(this.state.ErrorPath), "ErrorPath", scope) : (this.state.Error as JsonValue);
      cause = "CausePath" in this.state ? this.failPath(String(this.state.CausePath), "CausePath", scope) : (this.state.Cause as JsonValue);
    }
    const text = (v: JsonValue | undefined) => (v === undefined ? undefined : typeof v === "string" ? v : JSON.stringify(v));
    throw new FailStateError(text(error) ?? "", text(cause));
  }

  private failPath(path: string, field: string, scope: PathScope): JsonValue {
    return evaluateDynamic(path, field, scope);
  }

  private async choice(): Promise<StateResult> {
    const choices = Array.isArray(this.state.Choices) ? (this.state.Choices as Record<string, unknown>[]) : [];
    if (this.ql === "JSONata") {
      const scope = this.jsonataScope();
      for (const rule of choices) {
        const condition = await this.condition(rule.Condition, scope);
        if (condition) return this.choiceTaken(rule, scope);
      }
      if (this.state.Default !== undefined) return this.choiceTaken({ Next: this.state.Default }, scope);
      throw this.noChoice();
    }
    const effective = this.inputPath();
    const pathScope = this.pathScope(effective);
    for (const rule of choices) {
      if (evaluateChoiceRule(rule, pathScope)) return this.choiceTakenJsonPath(rule, effective);
    }
    if (this.state.Default !== undefined) return this.choiceTakenJsonPath({ Next: this.state.Default }, effective);
    throw this.noChoice();
  }

  private noChoice(): StatesError {
    // Not recorded in the snapshots used; the error name is the Developer Guide's ("Error names").
    return new StatesError("States.NoChoiceMatched", stateRuntimeCause(this.name, this.entered, "No Matches!"));
  }

  private async condition(value: unknown, scope: JsonataScope): Promise<boolean> {
    if (typeof value === "boolean") return value;
    const result = await evaluateJsonata(String(value), scope, "Condition");
    if (typeof result !== "boolean") {
      throw new FieldError(
        "States.QueryEvaluationError",
        `The JSONata expression '${expressionText(String(value))}' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was '${jsonTypeName(result)}' for value: ${JSON.stringify(result)}`,
      );
    }
    return result;
  }

  /** A rule's Assign and Output come before the state's own (the rule's win when both are given). */
  private async choiceTaken(rule: Record<string, unknown>, scope: JsonataScope): Promise<StateResult> {
    const outputField = "Output" in rule ? rule.Output : this.state.Output;
    const output = outputField !== undefined ? await this.jsonataValue(outputField, "Output", scope) : this.rawInput;
    const assigned = { ...(await this.assignJsonata(this.state.Assign, scope)), ...(await this.assignJsonata(rule.Assign, scope)) };
    this.scope.assign(assigned);
    checkSize(output, this.name);
    this.runner.nextEvent();
    return { output, next: String(rule.Next) };
  }

  private choiceTakenJsonPath(rule: Record<string, unknown>, effective: JsonValue): StateResult {
    const assigned = { ...this.assignJsonPath(this.state.Assign, effective), ...this.assignJsonPath(rule.Assign, effective) };
    const output = this.outputPath(effective);
    this.scope.assign(assigned);
    checkSize(output, this.name);
    this.runner.nextEvent();
    return { output, next: String(rule.Next) };
  }

  private async wait(): Promise<StateResult> {
    let seconds: number;
    let output: JsonValue;
    let assigned: Record<string, JsonValue> | undefined;
    if (this.ql === "JSONata") {
      const scope = this.jsonataScope();
      if ("Seconds" in this.state) {
        const value = isJsonataExpression(this.state.Seconds)
          ? await evaluateJsonata(this.state.Seconds, scope, "Seconds")
          : this.state.Seconds;
        if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
          throw new FieldError(
            "States.QueryEvaluationError",
            `The Seconds field must be a non-negative integer, got ${JSON.stringify(value)}`,
          );
        }
        seconds = value;
      } else {
        const value = isJsonataExpression(this.state.Timestamp)
          ? await evaluateJsonata(this.state.Timestamp, scope, "Timestamp")
          : this.state.Timestamp;
        const at = parseTimestamp(value);
        if (at === undefined) {
          throw new FieldError(
            "States.Runtime",
            `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${String(value)}`,
          );
        }
        seconds = (at - Date.now()) / 1000;
      }
      output = "Output" in this.state ? await this.jsonataValue(this.state.Output, "Output", scope) : this.rawInput;
      assigned = await this.assignJsonata(this.state.Assign, scope);
    } else {
      const effective = this.inputPath();
      const scope = this.pathScope(effective);
      if ("Seconds" in this.state) seconds = Number(this.state.Seconds);
      else if ("SecondsPath" in this.state) {
        const path = String(this.state.SecondsPath);
        const value = evaluateDynamic(path, "SecondsPath", scope);
        // Recorded on AWS (test_wait.py / test_base_scenarios wait cases): a fraction is "cannot be
        // parsed as a long value", a negative number "references a negative value".
        if (typeof value !== "number" || !Number.isInteger(value)) {
          throw new FieldError(
            "States.Runtime",
            `The SecondsPath parameter cannot be parsed as a long value: ${path} == ${JSON.stringify(value)}`,
          );
        }
        if (value < 0) throw new FieldError("States.Runtime", `The SecondsPath parameter references a negative value: ${path} == ${value}`);
        seconds = value;
      } else if ("Timestamp" in this.state) {
        const at = parseTimestamp(this.state.Timestamp);
        if (at === undefined) {
          throw new FieldError(
            "States.Runtime",
            `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${String(this.state.Timestamp)}`,
          );
        }
        seconds = (at - Date.now()) / 1000;
      } else {
        const path = String(this.state.TimestampPath);
        const value = evaluateDynamic(path, "TimestampPath", scope);
        const at = parseTimestamp(value);
        if (at === undefined) {
          throw new FieldError(
            "States.Runtime",
            `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${path} == ${typeof value === "string" ? value : JSON.stringify(value)}`,
          );
        }
        seconds = (at - Date.now()) / 1000;
      }
      assigned = this.assignJsonPath(this.state.Assign, effective);
      output = this.outputPath(effective);
    }
    if (seconds > MAX_WAIT_SECONDS) throw new FieldError("States.Runtime", "Wait state delay is too long.");
    await this.runner.sleep(Math.max(0, seconds), this.signal);
    if (assigned) this.scope.assign(assigned);
    return this.next(output);
  }

  // --- Task, Map, Parallel: Retry and Catch --------------------------------------------------------

  private async withRetryAndCatch(): Promise<StateResult> {
    const retriers = Array.isArray(this.state.Retry) ? (this.state.Retry as Retrier[]) : [];
    const catchers = Array.isArray(this.state.Catch) ? (this.state.Catch as Record<string, unknown>[]) : [];
    const attempts = retriers.map(() => 0);
    const fromTask = this.state.Type === "Task";
    for (;;) {
      let failure: StatesError;
      try {
        const output = await this.once();
        checkSize(output, this.name);
        return this.next(output);
      } catch (error) {
        const wrapped = this.wrap(error);
        if (!(wrapped instanceof StatesError) || this.signal.aborted) throw wrapped;
        failure = wrapped;
      }
      if (failure.terminal) throw failure;
      const index = retriers.findIndex((r) => errorMatches(r.ErrorEquals, failure.error, fromTask));
      if (index >= 0) {
        const delay = retryDelaySeconds(retriers[index], attempts[index]);
        if (delay !== undefined) {
          attempts[index] += 1;
          this.retryCount += 1;
          await this.runner.sleep(delay, this.signal);
          continue;
        }
      }
      const catcher = catchers.find((c) => errorMatches(c.ErrorEquals as string[], failure.error, fromTask));
      if (catcher === undefined) throw failure;
      const errorOutput: JsonObject = { Error: failure.error, Cause: failure.causeText ?? "" };
      try {
        return await this.caught(catcher, errorOutput);
      } catch (error) {
        throw this.wrap(error);
      }
    }
  }

  private async caught(catcher: Record<string, unknown>, errorOutput: JsonObject): Promise<StateResult> {
    let output: JsonValue;
    let assigned: Record<string, JsonValue> | undefined;
    if (this.ql === "JSONata") {
      const scope = this.jsonataScope({ errorOutput });
      output = "Output" in catcher ? await this.jsonataValue(catcher.Output, "Output", scope) : errorOutput;
      assigned = await this.assignJsonata(catcher.Assign, scope);
    } else {
      assigned = this.assignJsonPath(catcher.Assign, errorOutput);
      output = this.resultPath(errorOutput, this.rawInput, catcher.ResultPath);
    }
    checkSize(output, this.name);
    if (assigned) this.scope.assign(assigned);
    this.runner.nextEvent();
    return { output, next: String(catcher.Next) };
  }

  /** One attempt of a Task, Map or Parallel state, up to its output. */
  private async once(): Promise<JsonValue> {
    if (this.ql === "JSONata") {
      const input =
        this.state.Type === "Map"
          ? this.rawInput
          : "Arguments" in this.state
            ? await this.jsonataValue(this.state.Arguments, "Arguments")
            : this.rawInput;
      const result = await this.action(input);
      const scope = this.jsonataScope({ result });
      const output = "Output" in this.state ? await this.jsonataValue(this.state.Output, "Output", scope) : result;
      const assigned = await this.assignJsonata(this.state.Assign, scope);
      if (assigned) this.scope.assign(assigned);
      return output;
    }
    const effective = this.inputPath();
    const parametersField = this.state.Type === "Map" ? undefined : this.state.Parameters;
    const input = parametersField !== undefined ? evaluatePayloadTemplate(parametersField, this.pathScope(effective)) : effective;
    const raw = await this.action(input);
    const result = "ResultSelector" in this.state ? evaluatePayloadTemplate(this.state.ResultSelector, this.pathScope(raw)) : raw;
    const assigned = this.assignJsonPath(this.state.Assign, result);
    const output = this.outputPath(this.resultPath(result, this.rawInput, this.state.ResultPath));
    if (assigned) this.scope.assign(assigned);
    return output;
  }

  private async action(input: JsonValue): Promise<JsonValue> {
    switch (this.state.Type) {
      case "Task":
        return this.task(input);
      case "Parallel":
        return this.parallel(input);
      default:
        return this.map(input);
    }
  }

  private async numberField(name: string): Promise<number | undefined> {
    const value = this.state[name];
    if (typeof value === "number") return value;
    if (this.ql === "JSONata" && isJsonataExpression(value)) {
      const n = await evaluateJsonata(value, this.jsonataScope(), name);
      if (typeof n !== "number")
        throw new FieldError("States.QueryEvaluationError", `The field ${name} must be a number, got ${JSON.stringify(n)}`);
      return n;
    }
    const pathField = this.state[`${name}Path`];
    if (typeof pathField === "string") {
      const result = evaluatePath(pathField, this.pathScope(this.rawInput));
      if (!result.found) throw new FieldError("States.Runtime", `Invalid path '${pathField}' : ${result.missing}`);
      // An integer or a string of one (recorded on AWS: MaxConcurrencyPath on the variable "1",
      // test_assign_reference_variables.py::test_reference_in_map_state[MAP_STATE_REFERENCE_IN_MAX_CONCURRENCY_PATH];
      // "NoNumber" is refused with these words, test_base_scenarios.snapshot.json).
      const read = result.value;
      const n = typeof read === "string" && /^-?\d+$/.test(read) ? Number(read) : read;
      if (typeof n !== "number" || !Number.isInteger(n)) {
        const shownValue = typeof read === "string" ? read : JSON.stringify(read);
        throw new FieldError(
          "States.Runtime",
          `The ${name}Path field refers to value "${shownValue}" which is not a valid integer: ${pathField}`,
        );
      }
      return n;
    }
    return undefined;
  }

  private async task(input: JsonValue): Promise<JsonValue> {
    const resource = String(this.state.Resource);
    const timeoutSeconds = await this.numberField("TimeoutSeconds");
    this.runner.nextEvent(2); // TaskScheduled, TaskStarted
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    this.signal.addEventListener("abort", onAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    try {
      const call = this.runner.task({
        stateName: this.name,
        resource,
        input,
        retryCount: this.retryCount,
        context: this.context(),
        signal: controller.signal,
      });
      const scale = this.runner.timeScale;
      const racers: Promise<JsonValue>[] = [call];
      if (timeoutSeconds !== undefined && scale > 0) {
        racers.push(
          new Promise<JsonValue>((_resolve, reject) => {
            timer = setTimeout(
              () => {
                controller.abort();
                // Recorded on AWS: a Task timeout is States.Timeout with an empty cause
                // (test_task_service_lambda.py::test_invoke_timeout).
                reject(new StatesError("States.Timeout", ""));
              },
              timeoutSeconds * 1000 * scale,
            );
          }),
        );
      }
      let result: JsonValue;
      try {
        result = await Promise.race(racers);
      } catch (error) {
        this.runner.nextEvent();
        if (error instanceof StatesError || error instanceof FieldError) throw error;
        if (this.signal.aborted) throw new Aborted();
        throw new StatesError("States.TaskFailed", error instanceof Error ? error.message : String(error));
      }
      this.runner.nextEvent();
      // Recorded on AWS: an integration of arn:aws:states::: is named by its state, a Lambda ARN by
      // itself (test_states_errors.py, the DataLimitExceeded cases).
      checkSize(result, resource.startsWith("arn:aws:states:::") ? this.name : resource);
      return result;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      this.signal.removeEventListener("abort", onAbort);
    }
  }

  /** Branches (or iterations) under one controller: the first failure stops the others. */
  private async all<T>(jobs: ((signal: AbortSignal) => Promise<T>)[], concurrency: number): Promise<T[]> {
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    this.signal.addEventListener("abort", onAbort, { once: true });
    const results: T[] = new Array(jobs.length);
    let nextJob = 0;
    let failure: unknown;
    const worker = async () => {
      while (nextJob < jobs.length && failure === undefined) {
        const index = nextJob++;
        try {
          results[index] = await jobs[index](controller.signal);
        } catch (error) {
          if (failure === undefined) failure = error;
          controller.abort();
        }
      }
    };
    const width = concurrency > 0 ? Math.min(concurrency, jobs.length) : jobs.length;
    try {
      await Promise.all(Array.from({ length: width }, worker));
    } finally {
      this.signal.removeEventListener("abort", onAbort);
    }
    if (failure !== undefined) {
      if (this.signal.aborted) throw new Aborted();
      throw failure;
    }
    return results;
  }

  private async parallel(input: JsonValue): Promise<JsonValue> {
    const branches = (this.state.Branches as Machine[]) ?? [];
    this.runner.nextEvent(); // ParallelStateStarted
    const results = await this.all(
      branches.map(
        (branch) => (signal: AbortSignal) =>
          this.runner.runMachine(branch, input, this.scope.child(), this.machineLanguage, undefined, signal),
      ),
      0,
    );
    this.runner.nextEvent(); // ParallelStateSucceeded
    return results;
  }

  private async map(effective: JsonValue): Promise<JsonValue> {
    const processor = (this.state.ItemProcessor ?? this.state.Iterator) as Machine;
    let items: JsonValue;
    if (this.ql === "JSONata") {
      if ("Items" in this.state) {
        const field = this.state.Items;
        items = await this.jsonataValue(field, "Items");
        if (!Array.isArray(items)) {
          const text = isJsonataExpression(field) ? expressionText(field) : JSON.stringify(field);
          // Recorded on AWS (test_base_scenarios.py, the Map Items cases).
          throw new FieldError(
            "States.QueryEvaluationError",
            `The JSONata expression '${text}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${jsonTypeName(items)}' for value: ${JSON.stringify(items)}`,
          );
        }
      } else items = this.rawInput;
    } else {
      items = "ItemsPath" in this.state ? this.readItemsPath(String(this.state.ItemsPath), effective) : effective;
    }
    if (!Array.isArray(items)) {
      throw new FieldError("States.Runtime", `Map state input must be an array but was: ${JSON.stringify(items)}`);
    }
    const maxConcurrency = (await this.numberField("MaxConcurrency")) ?? 0;
    const selector = this.state.ItemSelector ?? this.state.Parameters;
    this.runner.nextEvent(); // MapStateStarted
    const list = items;
    const jobs = list.map((value, index) => async (signal: AbortSignal) => {
      const item: MapItem = { index, value };
      let itemInput: JsonValue = value;
      if (selector !== undefined) {
        if (this.ql === "JSONata") {
          const context = this.runner.context(this.name, this.enteredTime, this.retryCount, item);
          itemInput = await evaluateJsonataTemplate(
            selector,
            { states: { input: this.rawInput, context }, variables: this.scope.all() },
            "ItemSelector",
          );
        } else {
          const context = this.runner.context(this.name, this.enteredTime, this.retryCount, item);
          itemInput = evaluatePayloadTemplate(selector, { data: effective, context, variables: this.scope.all() });
        }
      }
      this.runner.nextEvent(); // MapIterationStarted
      const output = await this.runner.runMachine(processor, itemInput, this.scope.child(), this.machineLanguage, item, signal);
      this.runner.nextEvent(); // MapIterationSucceeded
      return output;
    });
    const results = await this.all(jobs, maxConcurrency);
    this.runner.nextEvent(); // MapStateSucceeded
    return results;
  }

  private readItemsPath(path: string, data: JsonValue): JsonValue {
    const result = evaluatePath(path, this.pathScope(data));
    if (!result.found) throw new FieldError("States.Runtime", `Invalid path '${path}' : ${result.missing}`);
    return result.value;
  }
}

export { StatesError } from "./errors";
