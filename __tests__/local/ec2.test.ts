/**
 * The simulated EC2 service: state transitions, answers in the AWS SDK shapes a Step Functions
 * `aws-sdk:ec2` Task sees, and EC2's errors where EC2 raises them.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  DEFAULT_TRANSITION_DELAY_MS,
  DEMO_INSTANCE_ID,
  Ec2Error,
  INSTANCE_STATE_CODES,
  SimulatedEc2,
  isWellFormedInstanceId,
  parseEc2Faults,
} from "../../local/ec2";

const STOPPED = "i-0123456789abcdef0";
const RUNNING = "i-0123456789abcdef1";
const UNKNOWN = "i-0123456789abcdef9";
const DELAY = 100;

function makeEc2(transitionDelayMs = DELAY): SimulatedEc2 {
  return new SimulatedEc2({
    transitionDelayMs,
    instances: [
      { instanceId: STOPPED, state: "stopped" },
      { instanceId: RUNNING, state: "running" },
    ],
  });
}

/** The Ec2Error `action` throws (fails the test if it throws nothing or something else). */
function ec2ErrorOf(action: () => unknown): Ec2Error {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(Ec2Error);
    return error as Ec2Error;
  }
  throw new Error("expected an Ec2Error, but the call succeeded");
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("construction", () => {
  it("has the stopped demo instance i-0123456789abcdef0 when no instances are given", () => {
    const ec2 = new SimulatedEc2();
    expect(DEMO_INSTANCE_ID).toBe("i-0123456789abcdef0");
    expect(ec2.instances()).toEqual([{ instanceId: DEMO_INSTANCE_ID, state: "stopped", code: 80 }]);
  });

  it("waits 200 ms for a transition by default", () => {
    vi.useFakeTimers();
    const ec2 = new SimulatedEc2();
    expect(DEFAULT_TRANSITION_DELAY_MS).toBe(200);
    ec2.startInstances({ InstanceIds: [DEMO_INSTANCE_ID] });
    vi.advanceTimersByTime(199);
    expect(ec2.stateOf(DEMO_INSTANCE_ID)).toBe("pending");
    vi.advanceTimersByTime(1);
    expect(ec2.stateOf(DEMO_INSTANCE_ID)).toBe("running");
  });

  it("rejects an initial instance whose ID is not an EC2 instance ID", () => {
    expect(() => new SimulatedEc2({ instances: [{ instanceId: "web-1", state: "running" }] })).toThrow(TypeError);
  });

  it("rejects the same instance given twice", () => {
    const twice = [
      { instanceId: STOPPED, state: "stopped" as const },
      { instanceId: STOPPED, state: "running" as const },
    ];
    expect(() => new SimulatedEc2({ instances: twice })).toThrow(/Duplicate/);
  });

  it("rejects a negative transition delay", () => {
    expect(() => new SimulatedEc2({ transitionDelayMs: -1 })).toThrow(RangeError);
  });
});

describe("state codes and instance IDs", () => {
  it("uses EC2's state codes", () => {
    expect(INSTANCE_STATE_CODES).toEqual({
      pending: 0,
      running: 16,
      "shutting-down": 32,
      terminated: 48,
      stopping: 64,
      stopped: 80,
    });
  });

  it("accepts i- followed by 8 or 17 lowercase hex digits as an instance ID", () => {
    expect(isWellFormedInstanceId("i-0123abcd")).toBe(true);
    expect(isWellFormedInstanceId("i-0123456789abcdef0")).toBe(true);
  });

  it("does not accept other lengths, other prefixes, uppercase or non-hex digits as an instance ID", () => {
    for (const id of ["i-0123abc", "i-0123456789abcdef", "i-0123456789abcdef01", "x-0123abcd", "i-0123ABCD", "i-0123abcg", "", "i-"]) {
      expect(isWellFormedInstanceId(id), id).toBe(false);
    }
  });
});

describe("DescribeInstanceStatus", () => {
  it("lists only running instances when IncludeAllInstances is not set", () => {
    const ec2 = makeEc2();
    expect(ec2.describeInstanceStatus({}).InstanceStatuses.map((s) => s.InstanceId)).toEqual([RUNNING]);
  });

  it("lists instances in every state when IncludeAllInstances is true", () => {
    const ec2 = makeEc2();
    const statuses = ec2.describeInstanceStatus({ IncludeAllInstances: true }).InstanceStatuses;
    expect(statuses.map((s) => [s.InstanceId, s.InstanceState])).toEqual([
      [STOPPED, { Code: 80, Name: "stopped" }],
      [RUNNING, { Code: 16, Name: "running" }],
    ]);
  });

  it("lists only running instances when IncludeAllInstances is false", () => {
    const ec2 = makeEc2();
    const statuses = ec2.describeInstanceStatus({ IncludeAllInstances: false }).InstanceStatuses;
    expect(statuses.map((s) => s.InstanceId)).toEqual([RUNNING]);
  });

  it("returns an empty list for a named instance that exists but is not running", () => {
    const ec2 = makeEc2();
    expect(ec2.describeInstanceStatus({ InstanceIds: [STOPPED] })).toEqual({ InstanceStatuses: [] });
  });

  it("lists a named stopped instance when IncludeAllInstances is true", () => {
    const ec2 = makeEc2();
    const statuses = ec2.describeInstanceStatus({ InstanceIds: [STOPPED], IncludeAllInstances: true }).InstanceStatuses;
    expect(statuses.map((s) => s.InstanceId)).toEqual([STOPPED]);
  });

  it("describes a running instance in the AWS SDK shape", () => {
    const ec2 = makeEc2();
    expect(ec2.describeInstanceStatus({ InstanceIds: [RUNNING] })).toEqual({
      InstanceStatuses: [
        {
          InstanceId: RUNNING,
          AvailabilityZone: "us-east-1a",
          InstanceState: { Code: 16, Name: "running" },
          InstanceStatus: { Status: "ok", Details: [{ Name: "reachability", Status: "passed" }] },
          SystemStatus: { Status: "ok", Details: [{ Name: "reachability", Status: "passed" }] },
        },
      ],
    });
  });

  it("reports not-applicable status checks for an instance that is not running", () => {
    const ec2 = makeEc2();
    const [status] = ec2.describeInstanceStatus({ InstanceIds: [STOPPED], IncludeAllInstances: true }).InstanceStatuses;
    expect(status.InstanceStatus).toEqual({ Status: "not-applicable" });
    expect(status.SystemStatus).toEqual({ Status: "not-applicable" });
  });

  it("treats an empty InstanceIds list as every instance", () => {
    const ec2 = makeEc2();
    expect(ec2.describeInstanceStatus({ InstanceIds: [] }).InstanceStatuses.map((s) => s.InstanceId)).toEqual([RUNNING]);
  });

  it("does not list a starting instance before it is running", () => {
    const ec2 = makeEc2();
    ec2.startInstances({ InstanceIds: [STOPPED] });
    expect(ec2.describeInstanceStatus({ InstanceIds: [STOPPED] }).InstanceStatuses).toEqual([]);
    ec2.dispose();
  });

  it("reports the Availability Zone given to the constructor", () => {
    const ec2 = new SimulatedEc2({ availabilityZone: "eu-west-3b", instances: [{ instanceId: RUNNING, state: "running" }] });
    expect(ec2.describeInstanceStatus().InstanceStatuses[0].AvailabilityZone).toBe("eu-west-3b");
  });
});

describe("StartInstances", () => {
  it("moves a stopped instance to pending and answers with the current and previous state", () => {
    vi.useFakeTimers();
    const ec2 = makeEc2();
    expect(ec2.startInstances({ InstanceIds: [STOPPED] })).toEqual({
      StartingInstances: [
        { InstanceId: STOPPED, CurrentState: { Code: 0, Name: "pending" }, PreviousState: { Code: 80, Name: "stopped" } },
      ],
    });
    expect(ec2.stateOf(STOPPED)).toBe("pending");
  });

  it("makes a pending instance running once the transition delay has passed", () => {
    vi.useFakeTimers();
    const ec2 = makeEc2();
    ec2.startInstances({ InstanceIds: [STOPPED] });
    vi.advanceTimersByTime(DELAY - 1);
    expect(ec2.stateOf(STOPPED)).toBe("pending");
    vi.advanceTimersByTime(1);
    expect(ec2.stateOf(STOPPED)).toBe("running");
  });

  it("leaves a running instance running and answers running as both states, as AWS does", () => {
    const ec2 = makeEc2();
    expect(ec2.startInstances({ InstanceIds: [RUNNING] })).toEqual({
      StartingInstances: [
        { InstanceId: RUNNING, CurrentState: { Code: 16, Name: "running" }, PreviousState: { Code: 16, Name: "running" } },
      ],
    });
    expect(ec2.stateOf(RUNNING)).toBe("running");
  });

  it("leaves a pending instance pending and answers pending as both states", () => {
    vi.useFakeTimers();
    const ec2 = makeEc2();
    ec2.startInstances({ InstanceIds: [STOPPED] });
    vi.advanceTimersByTime(DELAY / 2);
    expect(ec2.startInstances({ InstanceIds: [STOPPED] }).StartingInstances[0]).toEqual({
      InstanceId: STOPPED,
      CurrentState: { Code: 0, Name: "pending" },
      PreviousState: { Code: 0, Name: "pending" },
    });
    vi.advanceTimersByTime(DELAY / 2);
    expect(ec2.stateOf(STOPPED)).toBe("running");
  });

  it("refuses to start a stopping instance with IncorrectInstanceState and AWS's message", () => {
    vi.useFakeTimers();
    const ec2 = makeEc2();
    ec2.stopInstances({ InstanceIds: [RUNNING] });
    const error = ec2ErrorOf(() => ec2.startInstances({ InstanceIds: [RUNNING] }));
    expect(error.code).toBe("IncorrectInstanceState");
    expect(error.message).toBe(`The instance '${RUNNING}' is not in a state from which it can be started.`);
    expect(ec2.stateOf(RUNNING)).toBe("stopping");
  });

  it("starts every instance of a request naming several", () => {
    vi.useFakeTimers();
    const ec2 = makeEc2();
    const answer = ec2.startInstances({ InstanceIds: [STOPPED, RUNNING] });
    expect(answer.StartingInstances.map((c) => [c.InstanceId, c.CurrentState.Name])).toEqual([
      [STOPPED, "pending"],
      [RUNNING, "running"],
    ]);
  });

  it("changes nothing when one instance of the request cannot be started", () => {
    vi.useFakeTimers();
    const ec2 = makeEc2();
    ec2.stopInstances({ InstanceIds: [RUNNING] });
    ec2ErrorOf(() => ec2.startInstances({ InstanceIds: [STOPPED, RUNNING] }));
    expect(ec2.stateOf(STOPPED)).toBe("stopped");
  });
});

describe("StopInstances", () => {
  it("moves a running instance to stopping and answers with the current and previous state", () => {
    vi.useFakeTimers();
    const ec2 = makeEc2();
    expect(ec2.stopInstances({ InstanceIds: [RUNNING] })).toEqual({
      StoppingInstances: [
        { InstanceId: RUNNING, CurrentState: { Code: 64, Name: "stopping" }, PreviousState: { Code: 16, Name: "running" } },
      ],
    });
    expect(ec2.stateOf(RUNNING)).toBe("stopping");
  });

  it("makes a stopping instance stopped once the transition delay has passed", () => {
    vi.useFakeTimers();
    const ec2 = makeEc2();
    ec2.stopInstances({ InstanceIds: [RUNNING] });
    vi.advanceTimersByTime(DELAY - 1);
    expect(ec2.stateOf(RUNNING)).toBe("stopping");
    vi.advanceTimersByTime(1);
    expect(ec2.stateOf(RUNNING)).toBe("stopped");
  });

  it("leaves a stopped instance stopped and answers stopped as both states, as AWS does", () => {
    const ec2 = makeEc2();
    expect(ec2.stopInstances({ InstanceIds: [STOPPED] })).toEqual({
      StoppingInstances: [
        { InstanceId: STOPPED, CurrentState: { Code: 80, Name: "stopped" }, PreviousState: { Code: 80, Name: "stopped" } },
      ],
    });
  });

  it("leaves a stopping instance stopping and answers stopping as both states", () => {
    vi.useFakeTimers();
    const ec2 = makeEc2();
    ec2.stopInstances({ InstanceIds: [RUNNING] });
    expect(ec2.stopInstances({ InstanceIds: [RUNNING] }).StoppingInstances[0]).toEqual({
      InstanceId: RUNNING,
      CurrentState: { Code: 64, Name: "stopping" },
      PreviousState: { Code: 64, Name: "stopping" },
    });
  });

  it("refuses to stop a pending instance with IncorrectInstanceState and AWS's message", () => {
    vi.useFakeTimers();
    const ec2 = makeEc2();
    ec2.startInstances({ InstanceIds: [STOPPED] });
    const error = ec2ErrorOf(() => ec2.stopInstances({ InstanceIds: [STOPPED] }));
    expect(error.code).toBe("IncorrectInstanceState");
    expect(error.message).toBe(`Instance '${STOPPED}' cannot be stopped as it has never reached the 'running' state.`);
    expect(ec2.stateOf(STOPPED)).toBe("pending");
  });

  it("accepts Force and stops the instance as usual", () => {
    vi.useFakeTimers();
    const ec2 = makeEc2();
    expect(ec2.stopInstances({ InstanceIds: [RUNNING], Force: true }).StoppingInstances[0].CurrentState.Name).toBe("stopping");
  });

  it("stops a restarted instance again once it is running", () => {
    vi.useFakeTimers();
    const ec2 = makeEc2();
    ec2.startInstances({ InstanceIds: [STOPPED] });
    vi.advanceTimersByTime(DELAY);
    ec2.stopInstances({ InstanceIds: [STOPPED] });
    vi.advanceTimersByTime(DELAY);
    expect(ec2.stateOf(STOPPED)).toBe("stopped");
  });
});

describe("EC2 errors", () => {
  const actions = {
    DescribeInstanceStatus: (ec2: SimulatedEc2, ids: string[]) => ec2.describeInstanceStatus({ InstanceIds: ids }),
    StartInstances: (ec2: SimulatedEc2, ids: string[]) => ec2.startInstances({ InstanceIds: ids }),
    StopInstances: (ec2: SimulatedEc2, ids: string[]) => ec2.stopInstances({ InstanceIds: ids }),
  };

  for (const [action, call] of Object.entries(actions)) {
    it(`${action} raises InvalidInstanceID.Malformed with AWS's message for an ID that is not i- and 8 or 17 hex digits`, () => {
      const error = ec2ErrorOf(() => call(makeEc2(), ["i-123"]));
      expect(error.code).toBe("InvalidInstanceID.Malformed");
      expect(error.message).toBe('Invalid id: "i-123"');
    });

    it(`${action} raises InvalidInstanceID.NotFound with AWS's message for an unknown ID`, () => {
      const error = ec2ErrorOf(() => call(makeEc2(), [UNKNOWN]));
      expect(error.code).toBe("InvalidInstanceID.NotFound");
      expect(error.message).toBe(`The instance ID '${UNKNOWN}' does not exist`);
    });
  }

  it("names every unknown ID when several do not exist", () => {
    const other = "i-0123abcd";
    const error = ec2ErrorOf(() => makeEc2().describeInstanceStatus({ InstanceIds: [UNKNOWN, STOPPED, other] }));
    expect(error.message).toBe(`The instance IDs '${UNKNOWN}, ${other}' do not exist`);
  });

  it("reports a malformed ID before an unknown one", () => {
    const error = ec2ErrorOf(() => makeEc2().startInstances({ InstanceIds: [UNKNOWN, "web-1"] }));
    expect(error.code).toBe("InvalidInstanceID.Malformed");
  });

  it("changes nothing when one ID of a StartInstances request is unknown", () => {
    const ec2 = makeEc2();
    ec2ErrorOf(() => ec2.startInstances({ InstanceIds: [STOPPED, UNKNOWN] }));
    expect(ec2.stateOf(STOPPED)).toBe("stopped");
  });

  it("raises MissingParameter when StartInstances or StopInstances gets no InstanceIds", () => {
    const ec2 = makeEc2();
    for (const call of [
      () => ec2.startInstances({ InstanceIds: [] }),
      () => ec2.stopInstances({} as never),
      () => ec2.startInstances(undefined as never),
    ]) {
      expect(ec2ErrorOf(call).code).toBe("MissingParameter");
    }
  });

  it("raises UnknownParameter for a parameter the action does not take, such as a camelCase one", () => {
    const error = ec2ErrorOf(() => makeEc2().startInstances({ instanceIds: [STOPPED] } as never));
    expect(error.code).toBe("UnknownParameter");
    expect(error.message).toContain("instanceIds");
  });

  it("raises InvalidParameterValue when InstanceIds is not a list of strings", () => {
    expect(ec2ErrorOf(() => makeEc2().stopInstances({ InstanceIds: STOPPED } as never)).code).toBe("InvalidParameterValue");
  });

  it("raises DryRunOperation for a valid DryRun request and changes nothing", () => {
    const ec2 = makeEc2();
    const error = ec2ErrorOf(() => ec2.startInstances({ InstanceIds: [STOPPED], DryRun: true }));
    expect(error.code).toBe("DryRunOperation");
    expect(error.message).toBe("Request would have succeeded, but DryRun flag is set.");
    expect(ec2.stateOf(STOPPED)).toBe("stopped");
  });

  it("raises errors as an Error subclass carrying EC2's code, as name and code, and a 400 status", () => {
    const error = ec2ErrorOf(() => makeEc2().stopInstances({ InstanceIds: [UNKNOWN] }));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("InvalidInstanceID.NotFound");
    expect(error.code).toBe("InvalidInstanceID.NotFound");
    expect(error.statusCode).toBe(400);
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("inspection and timers", () => {
  it("gives a snapshot of the instances that later changes do not alter", () => {
    vi.useFakeTimers();
    const ec2 = makeEc2();
    const before = ec2.instances();
    ec2.startInstances({ InstanceIds: [STOPPED] });
    expect(before).toEqual([
      { instanceId: STOPPED, state: "stopped", code: 80 },
      { instanceId: RUNNING, state: "running", code: 16 },
    ]);
    expect(ec2.instances()[0]).toEqual({ instanceId: STOPPED, state: "pending", code: 0 });
  });

  it("answers undefined for the state of an unknown instance", () => {
    expect(makeEc2().stateOf(UNKNOWN)).toBeUndefined();
  });

  it("uses timers that do not keep the process alive", () => {
    const timers: NodeJS.Timeout[] = [];
    const realSetTimeout = globalThis.setTimeout;
    vi.spyOn(globalThis, "setTimeout").mockImplementation(((callback: () => void, ms?: number) => {
      const timer = realSetTimeout(callback, ms);
      timers.push(timer);
      return timer;
    }) as typeof setTimeout);
    const ec2 = makeEc2();
    ec2.startInstances({ InstanceIds: [STOPPED] });
    ec2.stopInstances({ InstanceIds: [RUNNING] });
    expect(timers).toHaveLength(2);
    expect(timers.every((timer) => !timer.hasRef())).toBe(true);
    ec2.dispose();
  });

  it("cancels the transitions under way on dispose, leaving the instances where they are", () => {
    vi.useFakeTimers();
    const ec2 = makeEc2();
    ec2.startInstances({ InstanceIds: [STOPPED] });
    ec2.stopInstances({ InstanceIds: [RUNNING] });
    ec2.dispose();
    vi.advanceTimersByTime(DELAY * 10);
    expect(ec2.stateOf(STOPPED)).toBe("pending");
    expect(ec2.stateOf(RUNNING)).toBe("stopping");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("completes a transition on the next timer tick when the delay is 0", async () => {
    const ec2 = makeEc2(0);
    ec2.startInstances({ InstanceIds: [STOPPED] });
    expect(ec2.stateOf(STOPPED)).toBe("pending");
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(ec2.stateOf(STOPPED)).toBe("running");
  });

  it("resolves idle() once every transition under way has completed", async () => {
    const ec2 = makeEc2(20);
    ec2.startInstances({ InstanceIds: [STOPPED] });
    ec2.stopInstances({ InstanceIds: [RUNNING] });
    await ec2.idle();
    expect(ec2.instances().map((i) => i.state)).toEqual(["running", "stopped"]);
  });

  it("resolves idle() waiters when disposed", async () => {
    const ec2 = makeEc2(60_000);
    ec2.startInstances({ InstanceIds: [STOPPED] });
    const idle = ec2.idle();
    ec2.dispose();
    await expect(idle).resolves.toBeUndefined();
  });
});

describe("instances created in any state", () => {
  const ALL = "i-0123456789abcdefa";

  it("accepts every EC2 state and lists each with IncludeAllInstances, only the running one without", () => {
    const states = ["pending", "running", "shutting-down", "terminated", "stopping", "stopped"] as const;
    const ids = states.map((_, i) => `i-0000000000000000${i}`);
    const ec2 = new SimulatedEc2({ transitionDelayMs: 60_000, instances: states.map((state, i) => ({ instanceId: ids[i], state })) });
    const listed = ec2.describeInstanceStatus({ InstanceIds: ids, IncludeAllInstances: true }).InstanceStatuses;
    expect(listed.map((s) => [s.InstanceId, s.InstanceState])).toEqual(
      states.map((state, i) => [ids[i], { Code: INSTANCE_STATE_CODES[state], Name: state }]),
    );
    expect(ec2.describeInstanceStatus({ InstanceIds: ids }).InstanceStatuses.map((s) => s.InstanceState.Name)).toEqual(["running"]);
    ec2.dispose();
  });

  it("completes the transition a pending, stopping or shutting-down instance is in", () => {
    vi.useFakeTimers();
    const ec2 = new SimulatedEc2({
      transitionDelayMs: DELAY,
      instances: [
        { instanceId: STOPPED, state: "pending" },
        { instanceId: RUNNING, state: "stopping" },
        { instanceId: ALL, state: "shutting-down" },
      ],
    });
    vi.advanceTimersByTime(DELAY);
    expect([ec2.stateOf(STOPPED), ec2.stateOf(RUNNING), ec2.stateOf(ALL)]).toEqual(["running", "stopped", "terminated"]);
  });

  it.each(["shutting-down", "terminated"] as const)("refuses to start or stop a %s instance with IncorrectInstanceState", (state) => {
    const ec2 = new SimulatedEc2({ transitionDelayMs: 60_000, instances: [{ instanceId: ALL, state }] });
    const start = ec2ErrorOf(() => ec2.startInstances({ InstanceIds: [ALL] }));
    expect([start.code, start.message]).toEqual([
      "IncorrectInstanceState",
      `The instance '${ALL}' is not in a state from which it can be started.`,
    ]);
    const stop = ec2ErrorOf(() => ec2.stopInstances({ InstanceIds: [ALL] }));
    expect([stop.code, stop.message]).toEqual([
      "IncorrectInstanceState",
      `This instance '${ALL}' is not in a state from which it can be stopped.`,
    ]);
    expect(ec2.stateOf(ALL)).toBe(state);
    ec2.dispose();
  });

  it("rejects a state EC2 does not have", () => {
    expect(() => new SimulatedEc2({ instances: [{ instanceId: STOPPED, state: "rebooting" as never }] })).toThrow(TypeError);
  });
});

describe("injected faults (throttling and server errors)", () => {
  it("fails the next N calls with RequestLimitExceeded, HTTP 503 and EC2's message, then answers again", () => {
    const ec2 = makeEc2();
    ec2.injectFaults({ next: 2 });
    for (let i = 0; i < 2; i++) {
      const error = ec2ErrorOf(() => ec2.describeInstanceStatus({ InstanceIds: [STOPPED] }));
      expect([error.code, error.statusCode, error.message]).toEqual(["RequestLimitExceeded", 503, "Request limit exceeded."]);
    }
    expect(ec2.describeInstanceStatus({ InstanceIds: [RUNNING] }).InstanceStatuses).toHaveLength(1);
    expect(ec2.injectedFaults).toBe(2);
  });

  it.each([
    ["InternalError", 500, "An internal error has occurred."],
    ["Unavailable", 503, "The server is overloaded and can't handle the request."],
    ["ServiceUnavailable", 503, "The request has failed due to a temporary failure of the server."],
  ] as const)("fails with the server error %s, HTTP %i", (code, status, message) => {
    const ec2 = makeEc2();
    ec2.injectFaults({ code, next: 1 });
    const error = ec2ErrorOf(() => ec2.startInstances({ InstanceIds: [STOPPED] }));
    expect([error.code, error.statusCode, error.message]).toEqual([code, status, message]);
  });

  it("refuses a faulty call before checking or changing anything", () => {
    const ec2 = makeEc2();
    ec2.injectFaults({ next: 2 });
    expect(ec2ErrorOf(() => ec2.startInstances({ InstanceIds: [STOPPED] })).code).toBe("RequestLimitExceeded");
    expect(ec2ErrorOf(() => ec2.startInstances({ InstanceIds: ["not-an-id"] })).code).toBe("RequestLimitExceeded");
    expect(ec2.stateOf(STOPPED)).toBe("stopped");
  });

  it("fails a fraction of the calls with rate, drawing from the given random source", () => {
    const draws = [0.1, 0.9, 0.2, 0.5];
    const ec2 = new SimulatedEc2({
      instances: [{ instanceId: STOPPED, state: "stopped" }],
      faults: { rate: 0.3, random: () => draws.shift()! },
    });
    const outcomes = [1, 2, 3, 4].map(() => {
      try {
        ec2.describeInstanceStatus({});
        return "ok";
      } catch {
        return "throttled";
      }
    });
    expect(outcomes).toEqual(["throttled", "ok", "throttled", "ok"]);
  });

  it("fails only the actions listed", () => {
    const ec2 = makeEc2();
    ec2.injectFaults({ next: 1, actions: ["StopInstances"] });
    expect(ec2.describeInstanceStatus({}).InstanceStatuses).toHaveLength(1);
    ec2.startInstances({ InstanceIds: [STOPPED] });
    expect(ec2ErrorOf(() => ec2.stopInstances({ InstanceIds: [RUNNING] })).code).toBe("RequestLimitExceeded");
    ec2.dispose();
  });

  it("stops injecting faults when given none", () => {
    const ec2 = makeEc2();
    ec2.injectFaults({ rate: 1 });
    expect(() => ec2.describeInstanceStatus({})).toThrow(Ec2Error);
    ec2.injectFaults({});
    expect(() => ec2.describeInstanceStatus({})).not.toThrow();
  });

  it("rejects fault options that make no sense", () => {
    const ec2 = makeEc2();
    expect(() => ec2.injectFaults({ rate: 1.5 })).toThrow(RangeError);
    expect(() => ec2.injectFaults({ next: -1 })).toThrow(RangeError);
    expect(() => ec2.injectFaults({ code: "Throttling" as never })).toThrow(TypeError);
    expect(() => ec2.injectFaults({ actions: ["RebootInstances" as never] })).toThrow(TypeError);
  });

  it("reads fault options from text, as npm run local takes them from LOCAL_EC2_FAULTS", () => {
    expect(parseEc2Faults("rate=0.2")).toMatchObject({ code: "RequestLimitExceeded", next: 0, rate: 0.2 });
    expect(parseEc2Faults(" code=InternalError , next=3 ,actions=StartInstances+StopInstances")).toMatchObject({
      code: "InternalError",
      next: 3,
      actions: ["StartInstances", "StopInstances"],
    });
    expect(() => parseEc2Faults("ratio=0.2")).toThrow(/unknown key/);
    expect(() => parseEc2Faults("rate=lots")).toThrow(RangeError);
  });
});
