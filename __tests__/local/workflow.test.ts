/**
 * The project's Step Functions workflows run offline, in-process, with the project's own ASL
 * interpreter (local/asl/) and the simulated EC2, answering as Step Functions' DescribeExecution / StartSyncExecution would.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SimulatedEc2, type InstanceStateName } from "../../local/ec2";
import { DEFAULT_STATE_MACHINE_ARN, EC2_SDK_ERROR_NAME, runWorkflow, startWorkflow, type RunWorkflowOptions } from "../../local/workflow";

const TEMPLATES = path.join(__dirname, "..", "..", "templates", "state-machines");
const STOPPED = "i-0123456789abcdef0";
const RUNNING = "i-0123456789abcdef1";
const UNKNOWN = "i-0123456789abcdef9";
const TRANSITION_MS = 30;
/** Makes the standard workflow's 29-second wait 29 ms. */
const FAST = 0.001;
/**
 * For the express workflow, whose 25-second TimeoutSeconds is scaled too: 0.02 makes it 500 ms,
 * room enough on a loaded machine for its retries (at most 60 ms of waits here).
 */
const EXPRESS_SCALE = 0.02;

function loadTemplate(kind: "express" | "standard"): object {
  const text = readFileSync(path.join(TEMPLATES, `${kind}.asl.json.tftpl`), "utf8");
  return JSON.parse(text.split("${wait_seconds}").join("29")) as object;
}

let ec2s: SimulatedEc2[] = [];
function makeEc2(transitionDelayMs = TRANSITION_MS): SimulatedEc2 {
  const ec2 = new SimulatedEc2({
    transitionDelayMs,
    instances: [
      { instanceId: STOPPED, state: "stopped" },
      { instanceId: RUNNING, state: "running" },
    ],
  });
  ec2s.push(ec2);
  return ec2;
}

afterEach(() => {
  for (const ec2 of ec2s) ec2.dispose();
  ec2s = [];
  vi.restoreAllMocks();
});

function baseOptions(ec2: SimulatedEc2, extra: Partial<RunWorkflowOptions> = {}): RunWorkflowOptions {
  return { ec2, waitScale: FAST, ...extra };
}

describe.each(["express", "standard"] as const)("the %s workflow", (kind) => {
  const definition = loadTemplate(kind);
  const options = (ec2: SimulatedEc2, extra: Partial<RunWorkflowOptions> = {}) =>
    baseOptions(ec2, { waitScale: kind === "express" ? EXPRESS_SCALE : FAST, ...extra });

  it("starts a stopped instance: pending when the execution ends, running after the transition delay", async () => {
    const ec2 = makeEc2();
    const result = await runWorkflow(definition, { instance_id: STOPPED }, options(ec2));
    expect(result.status).toBe("SUCCEEDED");
    expect(ec2.stateOf(STOPPED)).toBe("pending");
    await ec2.idle();
    expect(ec2.stateOf(STOPPED)).toBe("running");
  });

  it("stops a running instance: stopping when the execution ends, stopped after the transition delay", async () => {
    const ec2 = makeEc2();
    const result = await runWorkflow(definition, { instance_id: RUNNING }, options(ec2));
    expect(result.status).toBe("SUCCEEDED");
    expect(ec2.stateOf(RUNNING)).toBe("stopping");
    await ec2.idle();
    expect(ec2.stateOf(RUNNING)).toBe("stopped");
  });

  it("outputs the StartInstances answer when it starts an instance", async () => {
    const result = await runWorkflow(definition, { instance_id: STOPPED }, options(makeEc2()));
    expect(JSON.parse(result.output ?? "null")).toEqual({
      StartingInstances: [
        { InstanceId: STOPPED, CurrentState: { Code: 0, Name: "pending" }, PreviousState: { Code: 80, Name: "stopped" } },
      ],
    });
  });

  it("outputs the StopInstances answer when it stops an instance", async () => {
    const result = await runWorkflow(definition, { instance_id: RUNNING }, options(makeEc2()));
    expect(JSON.parse(result.output ?? "null")).toEqual({
      StoppingInstances: [
        { InstanceId: RUNNING, CurrentState: { Code: 64, Name: "stopping" }, PreviousState: { Code: 16, Name: "running" } },
      ],
    });
  });

  it("fails with Instance.NotFound for an unknown instance, after retrying the EC2 error", async () => {
    const ec2 = makeEc2();
    const described = vi.spyOn(ec2, "describeInstanceStatus");
    const result = await runWorkflow(definition, { instance_id: UNKNOWN }, options(ec2));
    expect(result).toMatchObject({
      status: "FAILED",
      error: "Instance.NotFound",
      cause: "EC2 knows no instance with this ID in this account and region.",
    });
    expect(result.output).toBeUndefined();
    // Every EC2 error is Ec2.Ec2Exception, so a not-found is retried like throttling (twice).
    expect(described).toHaveBeenCalledTimes(3);
  });

  it("passes on any other EC2 error unchanged: Ec2.Ec2Exception with EC2's message as the SDK writes it", async () => {
    const result = await runWorkflow(definition, { instance_id: "i-123" }, options(makeEc2()));
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("Ec2.Ec2Exception");
    expect(result.cause).toMatch(/^Invalid id: "i-123" \(Service: Ec2, Status Code: 400, Request ID: [0-9a-f-]{36}\)$/);
  });

  it("fails with States.Runtime naming the path $.instance_id when the input has no instance_id", async () => {
    const ec2 = makeEc2();
    const described = vi.spyOn(ec2, "describeInstanceStatus");
    const result = await runWorkflow(definition, { instanceId: STOPPED }, options(ec2));
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("States.Runtime");
    expect(result.cause).toContain("$.instance_id");
    expect(result.cause).toContain("CheckInstanceStatus");
    expect(described).not.toHaveBeenCalled();
  });

  it("describes the instance with the ID in InstanceIds and IncludeAllInstances, so that every state is seen", async () => {
    const ec2 = makeEc2();
    const described = vi.spyOn(ec2, "describeInstanceStatus");
    await runWorkflow(definition, { instance_id: STOPPED }, options(ec2));
    expect(described).toHaveBeenCalledWith({ InstanceIds: [STOPPED], IncludeAllInstances: true });
  });

  /** What each action does in each state: the EC2 call made (if any), the outcome, and the state after. */
  const MATRIX: ReadonlyArray<[InstanceStateName, "start" | "stop" | "toggle" | undefined, string | undefined, string, InstanceStateName]> =
    [
      ["stopped", undefined, "startInstances", "Starting pending<-stopped", "pending"],
      ["stopped", "toggle", "startInstances", "Starting pending<-stopped", "pending"],
      ["stopped", "start", "startInstances", "Starting pending<-stopped", "pending"],
      ["stopped", "stop", undefined, "Stopping stopped<-stopped", "stopped"],
      ["running", undefined, "stopInstances", "Stopping stopping<-running", "stopping"],
      ["running", "toggle", "stopInstances", "Stopping stopping<-running", "stopping"],
      ["running", "start", undefined, "Starting running<-running", "running"],
      ["running", "stop", "stopInstances", "Stopping stopping<-running", "stopping"],
      ["pending", undefined, undefined, "Starting pending<-pending", "pending"],
      ["pending", "start", undefined, "Starting pending<-pending", "pending"],
      ["pending", "stop", undefined, "Instance.IncorrectState", "pending"],
      ["stopping", undefined, undefined, "Stopping stopping<-stopping", "stopping"],
      ["stopping", "stop", undefined, "Stopping stopping<-stopping", "stopping"],
      ["stopping", "start", undefined, "Instance.IncorrectState", "stopping"],
      ["shutting-down", undefined, undefined, "Instance.Terminated", "shutting-down"],
      ["shutting-down", "start", undefined, "Instance.Terminated", "shutting-down"],
      ["terminated", "toggle", undefined, "Instance.Terminated", "terminated"],
      ["terminated", "stop", undefined, "Instance.Terminated", "terminated"],
    ];

  it.each(MATRIX)("in state %s, action %s: calls %s and answers %s", async (state, action, call, outcome, after) => {
    const ec2 = new SimulatedEc2({ transitionDelayMs: 60_000, instances: [{ instanceId: STOPPED, state }] });
    ec2s.push(ec2);
    const started = vi.spyOn(ec2, "startInstances");
    const stopped = vi.spyOn(ec2, "stopInstances");
    const input = action === undefined ? { instance_id: STOPPED } : { instance_id: STOPPED, action };
    const result = await runWorkflow(definition, input, options(ec2));
    expect(started).toHaveBeenCalledTimes(call === "startInstances" ? 1 : 0);
    expect(stopped).toHaveBeenCalledTimes(call === "stopInstances" ? 1 : 0);
    if (result.status === "SUCCEEDED") {
      const output = JSON.parse(result.output ?? "null") as Record<
        string,
        Array<{ InstanceId: string; CurrentState: { Name: string }; PreviousState: { Name: string } }>
      >;
      const [key] = Object.keys(output);
      const [change] = output[key];
      expect(change.InstanceId).toBe(STOPPED);
      expect(`${key.replace("Instances", "")} ${change.CurrentState.Name}<-${change.PreviousState.Name}`).toBe(outcome);
    } else {
      expect(result.status).toBe("FAILED");
      expect(result.error).toBe(outcome);
    }
    expect(ec2.stateOf(STOPPED)).toBe(after);
  });

  it("answers a state it did not change with EC2's state codes, as StartInstances / StopInstances would", async () => {
    const ec2 = new SimulatedEc2({ transitionDelayMs: 60_000, instances: [{ instanceId: STOPPED, state: "pending" }] });
    ec2s.push(ec2);
    const result = await runWorkflow(definition, { instance_id: STOPPED }, options(ec2));
    expect(JSON.parse(result.output ?? "null")).toEqual(ec2.startInstances({ InstanceIds: [STOPPED] }));
  });

  it("fails with Request.InvalidAction, without calling StartInstances or StopInstances, for an unknown action", async () => {
    const ec2 = makeEc2();
    const started = vi.spyOn(ec2, "startInstances");
    const result = await runWorkflow(definition, { instance_id: STOPPED, action: "reboot" }, options(ec2));
    expect(result).toMatchObject({ status: "FAILED", error: "Request.InvalidAction" });
    expect(started).not.toHaveBeenCalled();
  });
});

describe.each(["express", "standard"] as const)("the %s workflow against a faulty EC2", (kind) => {
  const definition = loadTemplate(kind);
  const options = (ec2: SimulatedEc2, extra: Partial<RunWorkflowOptions> = {}) =>
    baseOptions(ec2, { waitScale: kind === "express" ? EXPRESS_SCALE : FAST, ...extra });

  it.each(["RequestLimitExceeded", "InternalError", "Unavailable", "ServiceUnavailable"] as const)(
    "retries %s and succeeds when the retries outlast it",
    async (code) => {
      const ec2 = makeEc2();
      ec2.injectFaults({ code, next: 2 });
      const result = await runWorkflow(definition, { instance_id: STOPPED }, options(ec2));
      expect(result.status).toBe("SUCCEEDED");
      expect(ec2.injectedFaults).toBe(2);
      expect(ec2.stateOf(STOPPED)).toBe("pending");
    },
  );

  it("retries a throttled StartInstances, then starts the instance once", async () => {
    const ec2 = makeEc2();
    ec2.injectFaults({ next: 2, actions: ["StartInstances"] });
    const started = vi.spyOn(ec2, "startInstances");
    const result = await runWorkflow(definition, { instance_id: STOPPED }, options(ec2));
    expect(result.status).toBe("SUCCEEDED");
    expect(started).toHaveBeenCalledTimes(3);
    expect(JSON.parse(result.output ?? "null").StartingInstances[0].PreviousState.Name).toBe("stopped");
  });

  it("fails with Ec2.Unavailable and EC2's message once the retries are used up, and changes nothing", async () => {
    const ec2 = makeEc2();
    ec2.injectFaults({ next: 1000 });
    const result = await runWorkflow(definition, { instance_id: STOPPED }, options(ec2));
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("Ec2.Unavailable");
    expect(result.cause).toMatch(/^Request limit exceeded\. \(Service: Ec2, Status Code: 503, Request ID: [0-9a-f-]{36}\)$/);
    expect(ec2.injectedFaults).toBe(3); // the first call and its two retries
    expect(ec2.stateOf(STOPPED)).toBe("stopped");
  });

  it("retries within the backoff the definition gives (1 s, then 2 s, full jitter), scaled by waitScale", async () => {
    const ec2 = makeEc2();
    ec2.injectFaults({ next: 1000 });
    const describe = vi.spyOn(ec2, "describeInstanceStatus");
    const scale = kind === "express" ? EXPRESS_SCALE : FAST;
    // The waits the runner asks for, read from its timers rather than from the clock, so that a
    // loaded machine cannot make the test fail: every timer but the Task timeout (5 s), the
    // EXPRESS execution's timeout (25 s) and the STANDARD workflow's Wait state (29 s).
    const timers = vi.spyOn(globalThis, "setTimeout");
    // Full jitter draws the wait from 0 to the backoff: drawing the top makes the waits the backoff itself.
    vi.spyOn(Math, "random").mockReturnValue(0.9999);
    const result = await runWorkflow(definition, { instance_id: STOPPED }, options(ec2));
    const others = [5000, 25_000, 29_000].map((ms) => ms * scale);
    const waits = timers.mock.calls.map(([, ms]) => Number(ms ?? 0)).filter((ms) => !others.includes(ms));
    timers.mockRestore();
    expect(result.error).toBe("Ec2.Unavailable");
    expect(describe).toHaveBeenCalledTimes(3);
    expect(waits).toHaveLength(2);
    // 1 s, then 2 s (scaled), each at the top of its jitter range.
    expect(waits[0]).toBeCloseTo(1000 * scale, 0);
    expect(waits[1]).toBeCloseTo(2000 * scale, 0);
  });

  it("stops without error when another client's stop got there first (StopInstances on stopping succeeds)", async () => {
    const ec2 = makeEc2(60_000);
    // Describe reports the instance running, as it was, but another client stops it right after.
    const describe = ec2.describeInstanceStatus.bind(ec2);
    let calls = 0;
    vi.spyOn(ec2, "describeInstanceStatus").mockImplementation((params) => {
      calls += 1;
      if (calls === 1) {
        const stale = describe(params);
        ec2.stopInstances({ InstanceIds: [RUNNING] });
        return stale;
      }
      return describe(params);
    });
    const started = vi.spyOn(ec2, "startInstances");
    const result = await runWorkflow(definition, { instance_id: RUNNING, action: "stop" }, options(ec2));
    expect(started).not.toHaveBeenCalled();
    expect(result.status).toBe("SUCCEEDED");
    expect(calls).toBe(1);
    expect(JSON.parse(result.output ?? "null").StoppingInstances[0]).toMatchObject({
      CurrentState: { Name: "stopping" },
      PreviousState: { Name: "stopping" },
    });
  });

  it("decides again after IncorrectInstanceState: a stale 'stopped' turns into the stop under way", async () => {
    const ec2 = makeEc2(60_000);
    const described = vi.spyOn(ec2, "describeInstanceStatus");
    // The first answer is stale: the instance (running) looked stopped, so the toggle starts it.
    described.mockImplementationOnce(() => ({
      InstanceStatuses: [
        {
          InstanceId: RUNNING,
          AvailabilityZone: "us-east-1a",
          InstanceState: { Code: 80, Name: "stopped" },
          InstanceStatus: { Status: "not-applicable" },
          SystemStatus: { Status: "not-applicable" },
        },
      ],
    }));
    ec2.stopInstances({ InstanceIds: [RUNNING] }); // now stopping: StartInstances fails with IncorrectInstanceState
    const started = vi.spyOn(ec2, "startInstances");
    const result = await runWorkflow(definition, { instance_id: RUNNING }, options(ec2));
    expect(started).toHaveBeenCalledTimes(3); // the call and its two retries
    expect(described).toHaveBeenCalledTimes(2); // then the state is read again
    expect(result.status).toBe("SUCCEEDED");
    expect(JSON.parse(result.output ?? "null")).toEqual({
      StoppingInstances: [
        { InstanceId: RUNNING, CurrentState: { Code: 64, Name: "stopping" }, PreviousState: { Code: 64, Name: "stopping" } },
      ],
    });
  });
});

describe("the standard workflow's wait", () => {
  const standard = loadTemplate("standard");

  it("is scaled by waitScale: 29 s at 0.01 lasts about 0.29 s before EC2 is asked", async () => {
    const ec2 = makeEc2();
    let describedAt = 0;
    const describe = ec2.describeInstanceStatus.bind(ec2);
    vi.spyOn(ec2, "describeInstanceStatus").mockImplementation((params) => {
      describedAt = Date.now();
      return describe(params);
    });
    const startedAt = Date.now();
    const result = await runWorkflow(standard, { instance_id: STOPPED }, { ec2, waitScale: 0.01 });
    expect(result.status).toBe("SUCCEEDED");
    expect(describedAt - startedAt).toBeGreaterThanOrEqual(285);
    // Far below the unscaled 29 s, with room for a loaded CI machine.
    expect(describedAt - startedAt).toBeLessThan(15_000);
  });

  it("has not asked EC2 anything while it is still waiting", async () => {
    const ec2 = makeEc2();
    const described = vi.spyOn(ec2, "describeInstanceStatus");
    const started = startWorkflow(standard, { instance_id: STOPPED }, { ec2, waitScale: 0.01 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(described).not.toHaveBeenCalled();
    await started.result;
    expect(described).toHaveBeenCalledTimes(1);
  });
});

describe("execution results", () => {
  const express = loadTemplate("express");

  it("has the DescribeExecution fields, with the input as a JSON string and dates in epoch seconds", async () => {
    const before = Date.now() / 1000;
    const result = await runWorkflow(
      express,
      { instance_id: STOPPED },
      {
        ec2: makeEc2(),
        stateMachineArn: "arn:aws:states:eu-west-1:111122223333:stateMachine:toggle",
        executionName: "run-1",
      },
    );
    const after = Date.now() / 1000;
    expect(result).toMatchObject({
      executionArn: "arn:aws:states:eu-west-1:111122223333:execution:toggle:run-1",
      stateMachineArn: "arn:aws:states:eu-west-1:111122223333:stateMachine:toggle",
      name: "run-1",
      status: "SUCCEEDED",
      input: '{"instance_id":"i-0123456789abcdef0"}',
    });
    expect(result.startDate).toBeGreaterThanOrEqual(before - 0.001);
    expect(result.stopDate).toBeGreaterThanOrEqual(result.startDate);
    expect(result.stopDate).toBeLessThanOrEqual(after + 0.001);
    expect(result.error).toBeUndefined();
    expect(result.cause).toBeUndefined();
  });

  it("names the execution with a UUID under the default state machine ARN when no name is given", async () => {
    const result = await runWorkflow(express, { instance_id: STOPPED }, { ec2: makeEc2() });
    expect(result.stateMachineArn).toBe(DEFAULT_STATE_MACHINE_ARN);
    expect(result.name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(result.executionArn).toBe(`arn:aws:states:us-east-1:123456789012:execution:local-workflow:${result.name}`);
  });

  it("exposes the execution ID and name to the definition through the context object", async () => {
    const definition = {
      StartAt: "P",
      States: { P: { Type: "Pass", Parameters: { "id.$": "$$.Execution.Id", "name.$": "$$.Execution.Name" }, End: true } },
    };
    const result = await runWorkflow(definition, {}, { ec2: makeEc2(), executionName: "ctx" });
    expect(JSON.parse(result.output ?? "null")).toEqual({ id: result.executionArn, name: "ctx" });
  });

  it("uses {} as the input when none is given", async () => {
    const definition = { StartAt: "P", States: { P: { Type: "Pass", End: true } } };
    const result = await runWorkflow(definition, undefined, { ec2: makeEc2() });
    expect(result.input).toBe("{}");
    expect(result.output).toBe("{}");
  });

  it("starts without waiting: the ARN is known at once and the result settles later", async () => {
    const ec2 = makeEc2();
    const started = startWorkflow(loadTemplate("standard"), { instance_id: STOPPED }, { ec2, waitScale: 0.01, executionName: "async-1" });
    expect(started.executionArn).toBe(`arn:aws:states:us-east-1:123456789012:execution:local-workflow:async-1`);
    expect(ec2.stateOf(STOPPED)).toBe("stopped");
    const result = await started.result;
    expect(result.status).toBe("SUCCEEDED");
    expect(result.startDate).toBe(started.startDate);
    expect(ec2.stateOf(STOPPED)).toBe("pending");
  });

  it("reports ABORTED, without output, for an execution that is stopped", async () => {
    const ec2 = makeEc2();
    const started = startWorkflow(loadTemplate("standard"), { instance_id: STOPPED }, { ec2, waitScale: 0.01 });
    started.abort();
    const result = await started.result;
    expect(result.status).toBe("ABORTED");
    expect(result.output).toBeUndefined();
    expect(ec2.stateOf(STOPPED)).toBe("stopped");
  });

  it("reports the Error and Cause of a Fail state", async () => {
    const definition = { StartAt: "F", States: { F: { Type: "Fail", Error: "Custom.Error", Cause: "because" } } };
    const result = await runWorkflow(definition, {}, { ec2: makeEc2() });
    expect(result).toMatchObject({ status: "FAILED", error: "Custom.Error", cause: "because" });
  });

  it("rejects an invalid definition when starting, like CreateStateMachine", () => {
    expect(() => startWorkflow({ StartAt: "Missing", States: {} }, {}, { ec2: makeEc2() })).toThrow(/invalid/i);
  });

  it("rejects a negative waitScale", () => {
    expect(() => startWorkflow(loadTemplate("express"), {}, { ec2: makeEc2(), waitScale: -1 })).toThrow(RangeError);
  });

  it("does not modify the definition it is given", async () => {
    const definition = loadTemplate("standard");
    const copy = JSON.parse(JSON.stringify(definition)) as object;
    await runWorkflow(definition, { instance_id: STOPPED }, baseOptions(makeEc2()));
    expect(definition).toEqual(copy);
  });
});

describe("TimeoutSeconds", () => {
  it("gives TIMED_OUT with States.Timeout when the execution outlasts its TimeoutSeconds", async () => {
    // At 0.01: a 1-second wait that the 10 ms timeout cuts short.
    const definition = { TimeoutSeconds: 1, StartAt: "W", States: { W: { Type: "Wait", Seconds: 100, End: true } } };
    const result = await runWorkflow(definition, {}, { ec2: makeEc2(), waitScale: 0.01 });
    expect(result.status).toBe("TIMED_OUT");
    expect(result.error).toBe("States.Timeout");
    expect(result.output).toBeUndefined();
    expect(result.stopDate - result.startDate).toBeLessThan(0.5);
  });

  it("lets an execution that ends within its TimeoutSeconds succeed", async () => {
    const definition = { TimeoutSeconds: 60, StartAt: "W", States: { W: { Type: "Wait", Seconds: 1, End: true } } };
    const result = await runWorkflow(definition, {}, { ec2: makeEc2(), waitScale: 0.01 });
    expect(result.status).toBe("SUCCEEDED");
  });

  it("stops the execution at the timeout, so later states do not run", async () => {
    const ec2 = makeEc2();
    const definition = {
      TimeoutSeconds: 1,
      StartAt: "W",
      States: {
        W: { Type: "Wait", Seconds: 3, Next: "Start" },
        Start: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:ec2:startInstances", Parameters: { InstanceIds: [STOPPED] }, End: true },
      },
    };
    const result = await runWorkflow(definition, {}, { ec2, waitScale: 0.01 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(result.status).toBe("TIMED_OUT");
    expect(ec2.stateOf(STOPPED)).toBe("stopped");
  });

  it("lets the express workflow, which sets TimeoutSeconds, succeed well within it", async () => {
    const result = await runWorkflow(loadTemplate("express"), { instance_id: STOPPED }, { ec2: makeEc2() });
    expect(result.status).toBe("SUCCEEDED");
  });
});

describe("EC2 errors in Retry and Catch", () => {
  function withHandlers(handlers: { Retry?: object[]; Catch?: object[] }): object {
    return {
      StartAt: "Describe",
      States: {
        Describe: {
          Type: "Task",
          Resource: "arn:aws:states:::aws-sdk:ec2:describeInstanceStatus",
          Parameters: { "InstanceIds.$": "States.Array($.instance_id)" },
          ...handlers,
          End: true,
        },
        ...(handlers.Catch ? { Handled: { Type: "Pass", End: true } } : {}),
      },
    };
  }

  it("are caught by a Catch on Ec2.Ec2Exception, with Error and Cause in the result", async () => {
    const definition = withHandlers({ Catch: [{ ErrorEquals: [EC2_SDK_ERROR_NAME], ResultPath: "$.error", Next: "Handled" }] });
    const result = await runWorkflow(definition, { instance_id: UNKNOWN }, { ec2: makeEc2() });
    expect(result.status).toBe("SUCCEEDED");
    const output = JSON.parse(result.output ?? "null") as { error: { Error: string; Cause: string } };
    expect(output.error.Error).toBe("Ec2.Ec2Exception");
    expect(output.error.Cause).toContain(`The instance ID '${UNKNOWN}' does not exist`);
  });

  it("are caught by a Catch on States.TaskFailed, as every Task error is", async () => {
    const definition = withHandlers({ Catch: [{ ErrorEquals: ["States.TaskFailed"], Next: "Handled" }] });
    const result = await runWorkflow(definition, { instance_id: UNKNOWN }, { ec2: makeEc2() });
    expect(result.status).toBe("SUCCEEDED");
  });

  it("are not caught by a Catch on EC2's own error code", async () => {
    const definition = withHandlers({ Catch: [{ ErrorEquals: ["InvalidInstanceID.NotFound"], Next: "Handled" }] });
    const result = await runWorkflow(definition, { instance_id: UNKNOWN }, { ec2: makeEc2() });
    expect(result.status).toBe("FAILED");
  });

  it("are retried by a Retry on Ec2.Ec2Exception, with the pauses scaled by waitScale", async () => {
    const ec2 = makeEc2();
    const described = vi.spyOn(ec2, "describeInstanceStatus");
    const definition = withHandlers({ Retry: [{ ErrorEquals: [EC2_SDK_ERROR_NAME], MaxAttempts: 2, IntervalSeconds: 2 }] });
    const startedAt = Date.now();
    const result = await runWorkflow(definition, { instance_id: UNKNOWN }, { ec2, waitScale: 0.01 });
    const elapsed = Date.now() - startedAt;
    expect(elapsed).toBeGreaterThanOrEqual(58); // 2 s, then 4 s (BackoffRate 2), at 0.01
    // Far below the unscaled 6 s, with room for a loaded CI machine.
    expect(elapsed).toBeLessThan(4_500);
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("Ec2.Ec2Exception");
    expect(described).toHaveBeenCalledTimes(3);
  });
});

describe("unsupported Task resources", () => {
  const lambdaTask = (extra: { Catch?: object[] } = {}) => ({
    StartAt: "Invoke",
    States: {
      Invoke: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:toggle", ...extra, End: true },
      ...(extra.Catch ? { Handled: { Type: "Pass", End: true } } : {}),
    },
  });

  it("fail the execution with States.TaskFailed naming the resource", async () => {
    const result = await runWorkflow(lambdaTask(), {}, { ec2: makeEc2() });
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("States.TaskFailed");
    expect(result.cause).toContain("arn:aws:lambda:us-east-1:123456789012:function:toggle");
  });

  it("fail the execution even under a Catch on States.ALL", async () => {
    const result = await runWorkflow(lambdaTask({ Catch: [{ ErrorEquals: ["States.ALL"], Next: "Handled" }] }), {}, { ec2: makeEc2() });
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("States.TaskFailed");
  });

  it("are never sent to AWS, nested ones included: no network call is made", async () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch").mockImplementation(() => {
      throw new Error("network call attempted");
    });
    const inParallel = {
      StartAt: "Both",
      States: {
        Both: {
          Type: "Parallel",
          Branches: [
            lambdaTask(),
            { StartAt: "X", States: { X: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", End: true } } },
          ],
          End: true,
        },
      },
    };
    const results = await Promise.all([runWorkflow(lambdaTask(), {}, { ec2: makeEc2() }), runWorkflow(inParallel, {}, { ec2: makeEc2() })]);
    expect(results.map((r) => r.error)).toEqual(["States.TaskFailed", "States.TaskFailed"]);
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

describe("Choice rules with IsX: false", () => {
  it("match: IsPresent false on the absent action routes the express workflow to its default toggle", async () => {
    const ec2 = makeEc2();
    const started = vi.spyOn(ec2, "startInstances");
    const result = await runWorkflow(loadTemplate("express"), { instance_id: STOPPED }, { ec2 });
    expect(result.status).toBe("SUCCEEDED");
    expect(started).toHaveBeenCalledTimes(1);
  });

  const TYPE_TEST_OPERATORS = ["IsPresent", "IsNull", "IsString", "IsNumeric", "IsBoolean", "IsTimestamp"] as const;
  const values: Record<(typeof TYPE_TEST_OPERATORS)[number], object> = {
    IsPresent: {},
    IsNull: { v: 1 },
    IsString: { v: 1 },
    IsNumeric: { v: "1" },
    IsBoolean: { v: "true" },
    IsTimestamp: { v: "yesterday" },
  };
  for (const operator of TYPE_TEST_OPERATORS) {
    it(`match for ${operator}: false when the value fails the test`, async () => {
      const definition = {
        StartAt: "C",
        States: {
          C: { Type: "Choice", Choices: [{ Variable: "$.v", [operator]: false, Next: "Matched" }], Default: "Unmatched" },
          Matched: { Type: "Pass", Result: "matched", End: true },
          Unmatched: { Type: "Pass", Result: "unmatched", End: true },
        },
      };
      const result = await runWorkflow(definition, values[operator], { ec2: makeEc2() });
      expect(result.output).toBe('"matched"');
    });
  }

  it("match inside a Parallel branch when the workflow runs", async () => {
    const definition = {
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          End: true,
          Branches: [
            {
              StartAt: "C",
              States: {
                C: { Type: "Choice", Choices: [{ Variable: "$.missing", IsPresent: false, Next: "Yes" }], Default: "No" },
                Yes: { Type: "Pass", Result: "absent", End: true },
                No: { Type: "Pass", Result: "present", End: true },
              },
            },
          ],
        },
      },
    };
    const result = await runWorkflow(definition, {}, { ec2: makeEc2() });
    expect(result.output).toBe('["absent"]');
  });
});
