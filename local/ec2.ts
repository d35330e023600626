/**
 * A simulated Amazon EC2 service: just the three API actions the workflows call
 * (DescribeInstanceStatus, StartInstances, StopInstances), in the shapes a Step Functions
 * `arn:aws:states:::aws-sdk:ec2:<action>` Task passes in and gets back (PascalCase members).
 *
 * Behaviour follows EC2, not a convenient idealisation:
 * - Real state transitions with EC2's state codes (0 pending, 16 running, 32 shutting-down,
 *   48 terminated, 64 stopping, 80 stopped): StartInstances moves stopped -> pending, and the
 *   instance becomes running after `transitionDelayMs`; StopInstances moves running -> stopping,
 *   then stopped after the delay.
 * - Idempotent calls succeed, as on AWS: starting a running or pending instance, and stopping a
 *   stopped or stopping instance, return CurrentState = PreviousState and change nothing.
 * - `IncorrectInstanceState` where AWS raises it, with AWS's message text:
 *   - starting a stopping (or shutting-down / terminated) instance:
 *     "The instance 'i-…' is not in a state from which it can be started."
 *   - stopping a pending instance (EC2 cannot stop an instance before it reaches running):
 *     "Instance 'i-…' cannot be stopped as it has never reached the 'running' state."
 *   Sources: the error texts quoted from real EC2 responses in
 *   cloud-custodian/cloud-custodian#6014, flatcar/mantle#315 (stop while pending) and
 *   canonical/ubuntu-pro-client#1697, burstable-ai/burst#42 (start while not startable); the
 *   idempotent cases are EC2's documented behaviour (see also stackshy/cloudemu#153).
 * - `InvalidInstanceID.Malformed` (`Invalid id: "…"`) for an ID that is not `i-` followed by 8 or
 *   17 lowercase hex digits, checked before `InvalidInstanceID.NotFound`
 *   ("The instance ID 'i-…' does not exist", or "The instance IDs '…, …' do not exist").
 * - A request naming several instances is validated as a whole: if any ID or state is wrong,
 *   nothing changes (EC2 fails the whole request).
 * - DescribeInstanceStatus lists only running instances unless `IncludeAllInstances` is true;
 *   an explicitly named instance that exists but is not running is simply left out.
 *
 * - Injectable faults ({@link Ec2FaultOptions}): the next N calls, or a fraction of the calls, fail
 *   with throttling (`RequestLimitExceeded`, HTTP 503, as EC2 answers it: botocore's retry rules
 *   match that code with status 503) or a server error (`InternalError` 500, `Unavailable` 503,
 *   `ServiceUnavailable` 503; EC2 API Reference, "Error codes": server errors carry a 5xx status).
 *   A faulty call is refused before anything is checked or changed, as a throttled request is.
 *
 * Simplifications: instance and system status checks are "ok"/"passed" as soon as an instance is
 * running (EC2 reports "initializing" for a few minutes first) and "not-applicable" otherwise;
 * only the parameters listed in the parameter types below are accepted (anything else is
 * rejected with EC2's `UnknownParameter`); there is no TerminateInstances: an instance can be
 * created shutting-down or terminated (shutting-down becomes terminated after the transition
 * delay), and stays listed, as EC2 lists a terminated instance for a while.
 */
import { randomUUID } from "node:crypto";

/** EC2 instance state names. */
export type InstanceStateName = "pending" | "running" | "shutting-down" | "terminated" | "stopping" | "stopped";

/** EC2's numeric state codes (the low byte of `InstanceState.Code`). */
export const INSTANCE_STATE_CODES: Readonly<Record<InstanceStateName, number>> = Object.freeze({
  pending: 0,
  running: 16,
  "shutting-down": 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
});

/** `InstanceState` as EC2 returns it. */
export interface InstanceState {
  readonly Code: number;
  readonly Name: InstanceStateName;
}

/** `InstanceStatusSummary` (used for both `InstanceStatus` and `SystemStatus`). */
export interface InstanceStatusSummary {
  readonly Status: "ok" | "impaired" | "insufficient-data" | "not-applicable" | "initializing";
  readonly Details?: ReadonlyArray<{
    readonly Name: "reachability";
    readonly Status: "passed" | "failed" | "insufficient-data" | "initializing";
  }>;
}

/** One entry of `DescribeInstanceStatus`'s `InstanceStatuses`. */
export interface InstanceStatus {
  readonly InstanceId: string;
  readonly AvailabilityZone: string;
  readonly InstanceState: InstanceState;
  readonly InstanceStatus: InstanceStatusSummary;
  readonly SystemStatus: InstanceStatusSummary;
}

export interface DescribeInstanceStatusParams {
  readonly InstanceIds?: readonly string[];
  /** When true, instances in every state are listed; by default only running ones. */
  readonly IncludeAllInstances?: boolean;
  readonly DryRun?: boolean;
}

export interface DescribeInstanceStatusResult {
  readonly InstanceStatuses: InstanceStatus[];
}

export interface StartInstancesParams {
  readonly InstanceIds: readonly string[];
  /** Accepted and ignored, as EC2 reserves it. */
  readonly AdditionalInfo?: string;
  readonly DryRun?: boolean;
}

export interface StopInstancesParams {
  readonly InstanceIds: readonly string[];
  /** Accepted; a forced stop behaves like a normal stop here. */
  readonly Force?: boolean;
  readonly DryRun?: boolean;
}

/** One entry of `StartingInstances` / `StoppingInstances`. */
export interface InstanceStateChange {
  readonly InstanceId: string;
  readonly CurrentState: InstanceState;
  readonly PreviousState: InstanceState;
}

export interface StartInstancesResult {
  readonly StartingInstances: InstanceStateChange[];
}

export interface StopInstancesResult {
  readonly StoppingInstances: InstanceStateChange[];
}

/** A row of {@link SimulatedEc2.instances}. */
export interface InstanceSnapshot {
  readonly instanceId: string;
  readonly state: InstanceStateName;
  readonly code: number;
}

export interface SimulatedEc2Options {
  /**
   * The instances that exist. Default: one stopped instance, the documented demo instance
   * {@link DEMO_INSTANCE_ID} (`i-0123456789abcdef0`).
   */
  readonly instances?: ReadonlyArray<{ readonly instanceId: string; readonly state: InstanceStateName }>;
  /**
   * How long pending -> running and stopping -> stopped take, in milliseconds. Default
   * {@link DEFAULT_TRANSITION_DELAY_MS} (200). 0 is allowed: the transition then happens on the next
   * timer tick, so the intermediate state is still observable right after the call.
   */
  readonly transitionDelayMs?: number;
  /** Availability Zone reported by DescribeInstanceStatus. Default `us-east-1a`. */
  readonly availabilityZone?: string;
  /** Calls that fail with throttling or a server error. Default none; see {@link SimulatedEc2.injectFaults}. */
  readonly faults?: Ec2FaultOptions;
}

/** The EC2 actions simulated, as {@link Ec2FaultOptions.actions} names them. */
export type Ec2Action = "DescribeInstanceStatus" | "StartInstances" | "StopInstances";

/** The transient errors a call can be made to fail with: throttling and EC2's server errors. */
const EC2_FAULTS = Object.freeze({
  RequestLimitExceeded: { status: 503, message: "Request limit exceeded." },
  InternalError: { status: 500, message: "An internal error has occurred." },
  Unavailable: { status: 503, message: "The server is overloaded and can't handle the request." },
  ServiceUnavailable: { status: 503, message: "The request has failed due to a temporary failure of the server." },
} as const);

export type Ec2FaultCode = keyof typeof EC2_FAULTS;

/**
 * Which calls fail, and how. `next` calls fail first; after them each call fails with probability
 * `rate`. Only the listed `actions` count (default: all three).
 */
export interface Ec2FaultOptions {
  /** @default "RequestLimitExceeded" */
  readonly code?: Ec2FaultCode;
  /** The next N calls fail. @default 0 */
  readonly next?: number;
  /** The fraction of the calls (0 to 1) that fail once the `next` ones have. @default 0 */
  readonly rate?: number;
  /** @default every action */
  readonly actions?: readonly Ec2Action[];
  /** Source of randomness for `rate`, returning [0, 1). @default Math.random */
  readonly random?: () => number;
}

/** The instance ID used in the project's documentation and examples. */
export const DEMO_INSTANCE_ID = "i-0123456789abcdef0";
export const DEFAULT_TRANSITION_DELAY_MS = 200;
const DEFAULT_AVAILABILITY_ZONE = "us-east-1a";

/**
 * An error EC2 returned: `code` is EC2's error code (e.g. `InvalidInstanceID.NotFound`), `message`
 * EC2's message text. Like the AWS SDK for JavaScript v3, `name` is the error code too.
 */
export class Ec2Error extends Error {
  /** EC2's error code, e.g. `InvalidInstanceID.NotFound`. */
  readonly code: string;
  /** HTTP status of the EC2 response: 400 for client errors, 5xx for throttling (503) and server errors. */
  readonly statusCode: number;
  /** A request ID, as EC2 gives one with every response. */
  readonly requestId: string;

  constructor(code: string, message: string, statusCode = 400) {
    super(message);
    this.name = code;
    this.code = code;
    this.statusCode = statusCode;
    this.requestId = randomUUID();
  }
}

const INSTANCE_ID_PATTERN = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** True when `id` has the form of an EC2 instance ID: `i-` then 8 or 17 lowercase hex digits. */
export function isWellFormedInstanceId(id: string): boolean {
  return INSTANCE_ID_PATTERN.test(id);
}

interface InstanceRecord {
  readonly instanceId: string;
  state: InstanceStateName;
  timer?: NodeJS.Timeout;
}

function stateOfName(name: InstanceStateName): InstanceState {
  return { Code: INSTANCE_STATE_CODES[name], Name: name };
}

/** What each non-final state becomes once its transition ends. */
const TRANSITION_TARGET: Partial<Record<InstanceStateName, InstanceStateName>> = {
  pending: "running",
  stopping: "stopped",
  "shutting-down": "terminated",
};

/**
 * Reads fault options from text, as `npm run local` takes them from the environment variable
 * LOCAL_EC2_FAULTS: comma-separated `key=value` pairs among `code`, `next`, `rate` and
 * `actions` (joined with `+`), e.g. `rate=0.2` or `code=InternalError,next=3`.
 */
export function parseEc2Faults(text: string): Ec2FaultOptions {
  const options: { code?: Ec2FaultCode; next?: number; rate?: number; actions?: Ec2Action[] } = {};
  for (const pair of text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [key, value = ""] = pair.split("=").map((p) => p.trim());
    if (key === "code") options.code = value as Ec2FaultCode;
    else if (key === "next") options.next = Number(value);
    else if (key === "rate") options.rate = Number(value);
    else if (key === "actions") options.actions = value.split("+") as Ec2Action[];
    else
      throw new TypeError(`EC2 faults: unknown key ${JSON.stringify(key)} in ${JSON.stringify(text)} (known: code, next, rate, actions)`);
  }
  return checkFaults(options);
}

const ACTIONS: readonly Ec2Action[] = ["DescribeInstanceStatus", "StartInstances", "StopInstances"];

function checkFaults(options: Ec2FaultOptions): Ec2FaultOptions {
  const { code = "RequestLimitExceeded", next = 0, rate = 0, actions = ACTIONS } = options;
  if (!Object.hasOwn(EC2_FAULTS, code)) {
    throw new TypeError(`EC2 faults: code must be one of ${Object.keys(EC2_FAULTS).join(", ")}, got ${JSON.stringify(code)}`);
  }
  if (!Number.isInteger(next) || next < 0) throw new RangeError(`EC2 faults: next must be a whole number >= 0, got ${String(next)}`);
  if (!Number.isFinite(rate) || rate < 0 || rate > 1)
    throw new RangeError(`EC2 faults: rate must be a number from 0 to 1, got ${String(rate)}`);
  const unknown = actions.find((action) => !ACTIONS.includes(action));
  if (unknown !== undefined) throw new TypeError(`EC2 faults: unknown action ${JSON.stringify(unknown)} (known: ${ACTIONS.join(", ")})`);
  return { ...options, code, next, rate, actions };
}

export class SimulatedEc2 {
  private readonly records = new Map<string, InstanceRecord>();
  private readonly transitionDelayMs: number;
  private readonly availabilityZone: string;
  private idleWaiters: Array<() => void> = [];
  private faults: { code: Ec2FaultCode; next: number; rate: number; actions: readonly Ec2Action[]; random: () => number } = {
    code: "RequestLimitExceeded",
    next: 0,
    rate: 0,
    actions: ACTIONS,
    random: Math.random,
  };
  private faultCount = 0;

  constructor(options: SimulatedEc2Options = {}) {
    const delay = options.transitionDelayMs ?? DEFAULT_TRANSITION_DELAY_MS;
    if (!Number.isFinite(delay) || delay < 0) {
      throw new RangeError(`transitionDelayMs must be a finite number >= 0, got ${String(delay)}`);
    }
    this.transitionDelayMs = delay;
    this.availabilityZone = options.availabilityZone ?? DEFAULT_AVAILABILITY_ZONE;
    const instances = options.instances ?? [{ instanceId: DEMO_INSTANCE_ID, state: "stopped" as const }];
    for (const { instanceId, state } of instances) {
      if (!isWellFormedInstanceId(instanceId)) {
        throw new TypeError(`Not an EC2 instance ID: ${JSON.stringify(instanceId)} (expected i- and 8 or 17 hex digits)`);
      }
      if (!Object.hasOwn(INSTANCE_STATE_CODES, state)) {
        throw new TypeError(`Initial state must be one of ${Object.keys(INSTANCE_STATE_CODES).join(", ")}, got ${JSON.stringify(state)}`);
      }
      if (this.records.has(instanceId)) throw new TypeError(`Duplicate instance ${instanceId}`);
      const record: InstanceRecord = { instanceId, state };
      this.records.set(instanceId, record);
      const target = TRANSITION_TARGET[state];
      if (target !== undefined) this.schedule(record, target);
    }
    if (options.faults !== undefined) this.injectFaults(options.faults);
  }

  /**
   * From now on, calls fail as `options` says (replacing earlier fault options): e.g.
   * `{ next: 2 }` makes the next two calls fail with RequestLimitExceeded, `{ rate: 0.2 }` one
   * call in five on average. `{}` stops injecting faults.
   */
  injectFaults(options: Ec2FaultOptions): void {
    const checked = checkFaults(options);
    this.faults = {
      code: checked.code!,
      next: checked.next!,
      rate: checked.rate!,
      actions: checked.actions!,
      random: options.random ?? Math.random,
    };
  }

  /** How many calls failed with an injected fault so far. */
  get injectedFaults(): number {
    return this.faultCount;
  }

  // -------------------------------------------------------------------------------------------
  // EC2 API actions
  // -------------------------------------------------------------------------------------------

  /** DescribeInstanceStatus: running instances only, unless `IncludeAllInstances` is true. */
  describeInstanceStatus(params: DescribeInstanceStatusParams = {}): DescribeInstanceStatusResult {
    this.maybeFail("DescribeInstanceStatus");
    checkParams(params, ["InstanceIds", "IncludeAllInstances", "DryRun"]);
    const includeAll = optionalBoolean(params, "IncludeAllInstances") ?? false;
    // No (or an empty) InstanceIds list means every instance.
    const ids = instanceIdList(params.InstanceIds, false);
    const records = ids.length > 0 ? this.lookUp(ids) : [...this.records.values()];
    checkDryRun(params);
    return {
      InstanceStatuses: records.filter((record) => includeAll || record.state === "running").map((record) => this.statusOf(record)),
    };
  }

  /** StartInstances: stopped -> pending (-> running after the delay). */
  startInstances(params: StartInstancesParams): StartInstancesResult {
    this.maybeFail("StartInstances");
    checkParams(params, ["InstanceIds", "AdditionalInfo", "DryRun"]);
    const records = this.lookUp(instanceIdList(params?.InstanceIds, true));
    for (const record of records) {
      if (record.state === "stopping" || record.state === "shutting-down" || record.state === "terminated") {
        throw new Ec2Error("IncorrectInstanceState", `The instance '${record.instanceId}' is not in a state from which it can be started.`);
      }
    }
    checkDryRun(params);
    return {
      StartingInstances: records.map((record) => {
        const previous = record.state;
        if (previous === "stopped") {
          record.state = "pending";
          this.schedule(record, "running");
        }
        return { InstanceId: record.instanceId, CurrentState: stateOfName(record.state), PreviousState: stateOfName(previous) };
      }),
    };
  }

  /** StopInstances: running -> stopping (-> stopped after the delay). */
  stopInstances(params: StopInstancesParams): StopInstancesResult {
    this.maybeFail("StopInstances");
    checkParams(params, ["InstanceIds", "Force", "DryRun"]);
    optionalBoolean(params, "Force");
    const records = this.lookUp(instanceIdList(params?.InstanceIds, true));
    for (const record of records) {
      if (record.state === "pending") {
        throw new Ec2Error(
          "IncorrectInstanceState",
          `Instance '${record.instanceId}' cannot be stopped as it has never reached the 'running' state.`,
        );
      }
      if (record.state === "shutting-down" || record.state === "terminated") {
        throw new Ec2Error(
          "IncorrectInstanceState",
          `This instance '${record.instanceId}' is not in a state from which it can be stopped.`,
        );
      }
    }
    checkDryRun(params);
    return {
      StoppingInstances: records.map((record) => {
        const previous = record.state;
        if (previous === "running") {
          record.state = "stopping";
          this.schedule(record, "stopped");
        }
        return { InstanceId: record.instanceId, CurrentState: stateOfName(record.state), PreviousState: stateOfName(previous) };
      }),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Inspection and lifecycle
  // -------------------------------------------------------------------------------------------

  /** A snapshot of every instance, in creation order (for printing). */
  instances(): InstanceSnapshot[] {
    return [...this.records.values()].map(({ instanceId, state }) => ({
      instanceId,
      state,
      code: INSTANCE_STATE_CODES[state],
    }));
  }

  /** The current state of an instance, or undefined if there is no such instance. */
  stateOf(instanceId: string): InstanceStateName | undefined {
    return this.records.get(instanceId)?.state;
  }

  /**
   * Resolves once no transition is under way (every pending instance is running, every stopping
   * one stopped). The timers are unref'd: await this only while something else keeps the process
   * alive (a test runner, a server).
   */
  idle(): Promise<void> {
    if (!this.hasPendingTransitions()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Cancels the transitions under way (instances stay in their current state) and releases idle() waiters. */
  dispose(): void {
    for (const record of this.records.values()) {
      if (record.timer !== undefined) {
        clearTimeout(record.timer);
        record.timer = undefined;
      }
    }
    this.releaseIdleWaiters();
  }

  // -------------------------------------------------------------------------------------------
  // Internals
  // -------------------------------------------------------------------------------------------

  /** Throws the injected fault when this call is one that fails. */
  private maybeFail(action: Ec2Action): void {
    const faults = this.faults;
    if (!faults.actions.includes(action)) return;
    let fail = false;
    if (faults.next > 0) {
      faults.next -= 1;
      fail = true;
    } else if (faults.rate > 0) {
      fail = faults.random() < faults.rate;
    }
    if (!fail) return;
    this.faultCount += 1;
    const { status, message } = EC2_FAULTS[faults.code];
    throw new Ec2Error(faults.code, message, status);
  }

  private statusOf(record: InstanceRecord): InstanceStatus {
    const checks: InstanceStatusSummary =
      record.state === "running" ? { Status: "ok", Details: [{ Name: "reachability", Status: "passed" }] } : { Status: "not-applicable" };
    return {
      InstanceId: record.instanceId,
      AvailabilityZone: this.availabilityZone,
      InstanceState: stateOfName(record.state),
      InstanceStatus: checks,
      SystemStatus: checks,
    };
  }

  /** Malformed IDs first (EC2 rejects the request before looking anything up), then unknown ones. */
  private lookUp(ids: string[]): InstanceRecord[] {
    const malformed = ids.find((id) => !isWellFormedInstanceId(id));
    if (malformed !== undefined) {
      throw new Ec2Error("InvalidInstanceID.Malformed", `Invalid id: "${malformed}"`);
    }
    const unique = [...new Set(ids)];
    const missing = unique.filter((id) => !this.records.has(id));
    if (missing.length === 1) {
      throw new Ec2Error("InvalidInstanceID.NotFound", `The instance ID '${missing[0]}' does not exist`);
    }
    if (missing.length > 1) {
      throw new Ec2Error("InvalidInstanceID.NotFound", `The instance IDs '${missing.join(", ")}' do not exist`);
    }
    return unique.map((id) => this.records.get(id) as InstanceRecord);
  }

  private schedule(record: InstanceRecord, target: InstanceStateName): void {
    if (record.timer !== undefined) clearTimeout(record.timer);
    record.timer = setTimeout(() => {
      record.timer = undefined;
      record.state = target;
      if (!this.hasPendingTransitions()) this.releaseIdleWaiters();
    }, this.transitionDelayMs);
    record.timer.unref();
  }

  private hasPendingTransitions(): boolean {
    for (const record of this.records.values()) if (record.timer !== undefined) return true;
    return false;
  }

  private releaseIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

// ---------------------------------------------------------------------------------------------
// Parameter checks (EC2's own error codes)
// ---------------------------------------------------------------------------------------------

function checkParams(params: unknown, allowed: readonly string[]): void {
  if (params === undefined) return;
  if (params === null || typeof params !== "object" || Array.isArray(params)) {
    throw new Ec2Error("InvalidParameterValue", `The request parameters must be an object, got ${JSON.stringify(params)}`);
  }
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) {
      throw new Ec2Error("UnknownParameter", `The parameter ${key} is not recognized`);
    }
  }
}

function instanceIdList(value: unknown, required: boolean): string[] {
  if (value === undefined || value === null) {
    if (required) throw new Ec2Error("MissingParameter", "The request must contain the parameter InstanceId");
    return [];
  }
  if (!Array.isArray(value) || value.some((id) => typeof id !== "string")) {
    throw new Ec2Error("InvalidParameterValue", `InstanceIds must be a list of strings, got ${JSON.stringify(value)}`);
  }
  if (required && value.length === 0) {
    throw new Ec2Error("MissingParameter", "The request must contain the parameter InstanceId");
  }
  return value as string[];
}

function optionalBoolean(params: object | undefined, key: string): boolean | undefined {
  const value = (params as Record<string, unknown> | undefined)?.[key];
  if (value === undefined) return undefined;
  if (typeof value !== "boolean") {
    throw new Ec2Error("InvalidParameterValue", `Value (${JSON.stringify(value)}) for parameter ${key} is invalid. Expected a boolean.`);
  }
  return value;
}

/** DryRun: everything above was checked, so the request would have succeeded. */
function checkDryRun(params: object | undefined): void {
  if (optionalBoolean(params, "DryRun") === true) {
    throw new Ec2Error("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412);
  }
}
