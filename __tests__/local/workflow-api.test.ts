/**
 * The instance workflows through the local API, as clients meet them: many clients toggling one
 * instance at once, each EC2 instance state, a throttled EC2, and Idempotency-Key retries.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_INSTANCE_ID } from "../../local/ec2";
import { startLocalApi, type LocalApi } from "../../local/server";
import { type Reply, request as send } from "../support/http";
import { synthStack } from "../support/synth";

const SECOND = "i-0123456789abcdef1";
const PENDING = "i-0123456789abcdef2";
const STOPPING = "i-0123456789abcdef3";
const SHUTTING_DOWN = "i-0123456789abcdef4";
const TERMINATED = "i-0123456789abcdef5";
const RUNNING = "i-0123456789abcdef6";
const STOPPED = "i-0123456789abcdef7";
const UNKNOWN = "i-0123456789abcdef9";

/** EC2 transitions take 5 ms: the instance keeps changing state under the concurrent requests. */
let churning: LocalApi;
/** EC2 transitions take a minute: pending and stopping instances stay so. */
let steady: LocalApi;
/** The synthesized stack every API of this file serves. */
let stackDir: string;

beforeAll(async () => {
  ({ stackDir } = synthStack());
  // 0.1: the EXPRESS timeout (25 s) is 2.5 s, far above what 60 executions at once take here.
  churning = await startLocalApi({
    stackDir,
    port: 0,
    log: false,
    waitScale: 0.1,
    ec2TransitionDelayMs: 5,
    instances: [
      { instanceId: DEMO_INSTANCE_ID, state: "stopped" },
      { instanceId: SECOND, state: "stopped" },
    ],
  });
  steady = await startLocalApi({
    stackDir,
    port: 0,
    log: false,
    waitScale: 0.01,
    ec2TransitionDelayMs: 60_000,
    instances: [
      { instanceId: PENDING, state: "pending" },
      { instanceId: STOPPING, state: "stopping" },
      { instanceId: SHUTTING_DOWN, state: "shutting-down" },
      { instanceId: TERMINATED, state: "terminated" },
      { instanceId: RUNNING, state: "running" },
      { instanceId: STOPPED, state: "stopped" },
    ],
  });
});

afterAll(async () => {
  await Promise.all([churning?.close(), steady?.close()]);
});

/** A request to `api`, the body sent as JSON. */
function request(api: LocalApi, method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  if (body === undefined) return send(api.origin, method, urlPath, undefined, headers);
  return send(api.origin, method, urlPath, JSON.stringify(body), { "Content-Type": "application/json", ...headers });
}

const post = (api: LocalApi, route: string, body: unknown, headers: Record<string, string> = {}) =>
  request(api, "POST", `/v1/${route}`, body, headers);

function countStatuses(replies: readonly Reply[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const reply of replies) counts[reply.status] = (counts[reply.status] ?? 0) + 1;
  return counts;
}

describe("60 clients toggling one instance at once", () => {
  it("POST /express-instance: every request answers 200, none 5xx, within a bounded time", async () => {
    const began = Date.now();
    const replies = await Promise.all(
      Array.from({ length: 60 }, () => post(churning, "express-instance", { instance_id: DEMO_INSTANCE_ID })),
    );
    const elapsed = Date.now() - began;
    expect(countStatuses(replies)).toEqual({ 200: 60 });
    for (const reply of replies) {
      const [change] = reply.json.StartingInstances ?? reply.json.StoppingInstances;
      expect(change.InstanceId).toBe(DEMO_INSTANCE_ID);
    }
    expect(elapsed).toBeLessThan(20_000);
    await churning.ec2.idle();
    expect(["running", "stopped"]).toContain(churning.ec2.stateOf(DEMO_INSTANCE_ID));
  }, 30_000);

  it("POST /standard-instance: every request answers 202, and every execution ends SUCCEEDED", async () => {
    const began = Date.now();
    const replies = await Promise.all(Array.from({ length: 60 }, () => post(churning, "standard-instance", { instance_id: SECOND })));
    expect(countStatuses(replies)).toEqual({ 202: 60 });
    await churning.stepFunctions.idle();
    const statuses = await Promise.all(replies.map((reply) => request(churning, "GET", reply.headers.location as string)));
    expect(countStatuses(statuses)).toEqual({ 200: 60 });
    const outcomes: Record<string, number> = {};
    for (const { json } of statuses) outcomes[json.status] = (outcomes[json.status] ?? 0) + 1;
    expect(outcomes).toEqual({ SUCCEEDED: 60 });
    expect(Date.now() - began).toBeLessThan(25_000);
  }, 30_000);
});

describe("each instance state, through POST /express-instance", () => {
  it.each([
    [
      PENDING,
      undefined,
      200,
      {
        StartingInstances: [
          { InstanceId: PENDING, CurrentState: { Code: 0, Name: "pending" }, PreviousState: { Code: 0, Name: "pending" } },
        ],
      },
    ],
    [
      PENDING,
      "start",
      200,
      {
        StartingInstances: [
          { InstanceId: PENDING, CurrentState: { Code: 0, Name: "pending" }, PreviousState: { Code: 0, Name: "pending" } },
        ],
      },
    ],
    [
      STOPPING,
      undefined,
      200,
      {
        StoppingInstances: [
          { InstanceId: STOPPING, CurrentState: { Code: 64, Name: "stopping" }, PreviousState: { Code: 64, Name: "stopping" } },
        ],
      },
    ],
    [
      STOPPING,
      "stop",
      200,
      {
        StoppingInstances: [
          { InstanceId: STOPPING, CurrentState: { Code: 64, Name: "stopping" }, PreviousState: { Code: 64, Name: "stopping" } },
        ],
      },
    ],
    [
      RUNNING,
      "start",
      200,
      {
        StartingInstances: [
          { InstanceId: RUNNING, CurrentState: { Code: 16, Name: "running" }, PreviousState: { Code: 16, Name: "running" } },
        ],
      },
    ],
    [
      STOPPED,
      "stop",
      200,
      {
        StoppingInstances: [
          { InstanceId: STOPPED, CurrentState: { Code: 80, Name: "stopped" }, PreviousState: { Code: 80, Name: "stopped" } },
        ],
      },
    ],
  ] as const)("%s, action %s: %i with the transition as it is, and no EC2 call", async (instanceId, action, status, body) => {
    const before = steady.ec2.stateOf(instanceId);
    const reply = await post(
      steady,
      "express-instance",
      action === undefined ? { instance_id: instanceId } : { instance_id: instanceId, action },
    );
    expect(reply.status).toBe(status);
    expect(reply.json).toEqual(body);
    expect(steady.ec2.stateOf(instanceId)).toBe(before);
  });

  it.each([
    [PENDING, "stop", 409, "Instance.IncorrectState", "The instance is pending: it can be stopped once it is running. Try again later."],
    [STOPPING, "start", 409, "Instance.IncorrectState", "The instance is stopping: it can be started once it is stopped. Try again later."],
    [
      SHUTTING_DOWN,
      "toggle",
      409,
      "Instance.Terminated",
      "The instance is shutting down or terminated: it can no longer be started or stopped.",
    ],
    [
      TERMINATED,
      undefined,
      409,
      "Instance.Terminated",
      "The instance is shutting down or terminated: it can no longer be started or stopped.",
    ],
    [
      TERMINATED,
      "start",
      409,
      "Instance.Terminated",
      "The instance is shutting down or terminated: it can no longer be started or stopped.",
    ],
    [UNKNOWN, undefined, 404, "Instance.NotFound", "EC2 knows no instance with this ID in this account and region."],
  ] as const)("%s, action %s: %i %s with its cause", async (instanceId, action, status, error, cause) => {
    const reply = await post(
      steady,
      "express-instance",
      action === undefined ? { instance_id: instanceId } : { instance_id: instanceId, action },
    );
    expect(reply.status).toBe(status);
    expect(reply.json).toEqual({
      status: "FAILED",
      error,
      cause,
      executionArn: expect.stringMatching(/^arn:aws:states:us-east-1:123456789012:express:apigw-sfn-express:/),
    });
  });

  it("refuses an action other than start, stop or toggle with 400 before any execution starts", async () => {
    const reply = await post(steady, "express-instance", { instance_id: STOPPED, action: "reboot" });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({
      error: "BadRequestBody",
      message: "Invalid request body",
      detail: '[instance value ("reboot") not found in enum (possible values: ["start","stop","toggle"])]',
    });
    expect(steady.ec2.stateOf(STOPPED)).toBe("stopped");
  });

  it("names the missing field of a refused body in its 400 answer", async () => {
    const reply = await post(steady, "express-instance", { action: "start" });
    expect(reply.status).toBe(400);
    expect(reply.json.detail).toBe('[object has missing required properties (["instance_id"])]');
  });
});

describe("a throttled EC2", () => {
  it("is retried: two throttled calls still give 200", async () => {
    try {
      steady.ec2.injectFaults({ next: 2 });
      const reply = await post(steady, "express-instance", { instance_id: RUNNING, action: "start" });
      expect(reply.status).toBe(200);
      expect(steady.ec2.injectedFaults).toBeGreaterThanOrEqual(2);
    } finally {
      steady.ec2.injectFaults({});
    }
  });

  it("answers 503 Ec2.Unavailable with EC2's message once the retries are used up", async () => {
    try {
      steady.ec2.injectFaults({ rate: 1 });
      const reply = await post(steady, "express-instance", { instance_id: STOPPED });
      expect(reply.status).toBe(503);
      expect(reply.json).toMatchObject({
        status: "FAILED",
        error: "Ec2.Unavailable",
        cause: expect.stringMatching(/^Request limit exceeded\. \(Service: Ec2, Status Code: 503, Request ID: [0-9a-f-]{36}\)$/),
      });
    } finally {
      steady.ec2.injectFaults({});
    }
    expect(steady.ec2.stateOf(STOPPED)).toBe("stopped");
  });
});

describe("Idempotency-Key on POST /standard-instance", () => {
  it("starts one execution for a key sent twice in upper case, and once more in lower case", async () => {
    // The three requests must land while the execution still runs (its 29 s wait, scaled): an API of
    // its own whose wait (2.9 s) outlasts three requests even on a loaded machine, where 0.29 s did not.
    const patient = await startLocalApi({
      stackDir,
      port: 0,
      log: false,
      waitScale: 0.1,
      ec2TransitionDelayMs: 60_000,
      instances: [{ instanceId: STOPPED, state: "stopped" }],
    });
    try {
      const body = { instance_id: STOPPED, action: "stop" };
      const first = await post(patient, "standard-instance", body, { "IDEMPOTENCY-KEY": "upper-case-key" });
      const second = await post(patient, "standard-instance", body, { "IDEMPOTENCY-KEY": "upper-case-key" });
      const third = await post(patient, "standard-instance", body, { "idempotency-key": "upper-case-key" });
      expect([first.status, second.status, third.status]).toEqual([202, 202, 202]);
      expect(first.json.name).toBe("upper-case-key");
      expect(second.json).toEqual(first.json);
      expect(third.json).toEqual(first.json);
      expect(second.headers.location).toBe("/v1/executions/upper-case-key");
      await patient.stepFunctions.idle();
    } finally {
      await patient.close();
    }
  });

  /**
   * What a client does with a 409: read the execution it names, and compare that execution's input
   * with the body it sent. Equal: its own request, already done (the outcome is there). Different:
   * the key was used for another request.
   */
  async function resolveConflict(conflict: Reply, sent: unknown): Promise<"already done" | "key used for another body"> {
    expect(conflict.status).toBe(409);
    const execution = await request(steady, "GET", `/v1/executions/${conflict.json.name}`);
    expect(execution.status).toBe(200);
    return JSON.stringify(execution.json.input) === JSON.stringify(sent) ? "already done" : "key used for another body";
  }

  it("answers the retry of an ended execution, and a key reused with another body, so that the client can tell them apart", async () => {
    const body = { instance_id: RUNNING, action: "start" };
    const started = await post(steady, "standard-instance", body, { "Idempotency-Key": "order-7" });
    expect(started.status).toBe(202);
    await steady.stepFunctions.idle();

    const retry = await post(steady, "standard-instance", body, { "Idempotency-Key": "order-7" });
    const other = { instance_id: RUNNING, action: "stop" };
    const reused = await post(steady, "standard-instance", other, { "Idempotency-Key": "order-7" });
    // Step Functions answers both with the same ExecutionAlreadyExists; the 409 names the execution.
    for (const conflict of [retry, reused]) {
      expect(conflict.status).toBe(409);
      expect(conflict.json).toMatchObject({ error: "ExecutionAlreadyExists", executionArn: started.json.executionArn, name: "order-7" });
    }
    expect(await resolveConflict(retry, body)).toBe("already done");
    expect(await resolveConflict(reused, other)).toBe("key used for another body");
    // The ended execution's outcome is what the retried request wanted.
    const execution = await request(steady, "GET", "/v1/executions/order-7");
    expect(execution.json).toMatchObject({ status: "SUCCEEDED", input: body });
    expect(steady.ec2.stateOf(RUNNING)).toBe("running");
  });

  it("answers 409 for another body while the execution still runs, and 202 (the same execution) for the same body", async () => {
    const body = { instance_id: PENDING };
    const first = await post(steady, "standard-instance", body, { "Idempotency-Key": "order-8" });
    const same = await post(steady, "standard-instance", body, { "Idempotency-Key": "order-8" });
    const other = await post(steady, "standard-instance", { instance_id: PENDING, action: "stop" }, { "Idempotency-Key": "order-8" });
    expect([first.status, same.status, other.status]).toEqual([202, 202, 409]);
    expect(same.json.executionArn).toBe(first.json.executionArn);
    expect(await resolveConflict(other, { instance_id: PENDING, action: "stop" })).toBe("key used for another body");
    await steady.stepFunctions.idle();
  });
});
