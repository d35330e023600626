/**
 * The local API over HTTP on a hand-written stack that uses every API Gateway feature the local
 * API reads (see fixture-stack.ts): request validation against a draft-4 model, gateway responses,
 * response parameters and header overrides, path parameters, DescribeExecution, and the
 * StartExecution `name` semantics (an Idempotency-Key header).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalApi, type LocalApi } from "../../local/server";
import { writeFixtureStack } from "./fixture-stack";

let api: LocalApi;

beforeAll(async () => {
  // Waits x0.5: the fixture's 2-second Wait takes 1 s, long enough to see executions run.
  api = await startLocalApi({ stackDir: writeFixtureStack(), port: 0, log: false, waitScale: 0.5, ec2TransitionDelayMs: 10 });
});

afterAll(async () => {
  await api?.close();
});

async function post(body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${api.url}/jobs`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });
  return { status: response.status, headers: response.headers, json: (await response.json()) as any };
}

async function status(name: string) {
  const response = await fetch(`${api.url}/jobs/${encodeURIComponent(name)}`);
  return { status: response.status, json: (await response.json()) as any };
}

describe("request validation", () => {
  it("refuses a body that does not match the model with the stack's BAD_REQUEST_BODY response, before any execution", async () => {
    const reply = await post(JSON.stringify({ task: "UPPER" }));
    expect(reply.status).toBe(422);
    expect(reply.json).toEqual({
      error: "BadRequestBody",
      message: "Invalid request body",
      detail: expect.stringContaining("does not match"),
    });
    expect(api.stepFunctions.runningCount).toBe(0);
  });

  it("names the missing property in $context.error.validationErrorString", async () => {
    const reply = await post(JSON.stringify({}));
    expect(reply.json.detail).toBe('[object has missing required properties (["task"])]');
  });

  it("escapes what the validator's reason quotes, so that a JSON body holding it stays JSON", async () => {
    const reply = await post(JSON.stringify({ task: "build", priority: 'say "urgent"\\' }));
    expect(reply.status).toBe(422);
    expect(reply.json.detail).toBe(
      `[instance value (${JSON.stringify('say "urgent"\\')}) not found in enum (possible values: ["low","high"])]`,
    );
  });

  it("names the value and the allowed values of an enum in $context.error.validationErrorString", async () => {
    const reply = await post(JSON.stringify({ task: "build", priority: "urgent" }));
    expect(reply.status).toBe(422);
    expect(reply.json.detail).toBe('[instance value ("urgent") not found in enum (possible values: ["low","high"])]');
  });

  it("refuses malformed JSON as an invalid body", async () => {
    const reply = await post('{"task": ');
    expect(reply.status).toBe(422);
    expect(reply.json.message).toBe("Invalid request body");
  });

  it("adds the gateway response's headers", async () => {
    const reply = await post("[]");
    expect(reply.headers.get("x-error")).toBe("bad-body");
  });

  it("answers other API Gateway errors through the stack's DEFAULT_4XX response", async () => {
    const response = await fetch(`${api.url}/nowhere`, { method: "POST" });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: "MISSING_AUTHENTICATION_TOKEN", message: "Missing Authentication Token" });
  });
});

describe("starting an execution", () => {
  it("answers 202 with the response parameters' headers and the template's header override", async () => {
    const reply = await post(JSON.stringify({ task: "one" }));
    expect(reply.status).toBe(202);
    expect(reply.headers.get("location")).toBe(reply.json.executionArn);
    expect(reply.headers.get("x-api")).toBe("fixture");
    expect(reply.json.executionArn).toBe(
      `arn:aws:states:eu-west-1:123456789012:execution:fixture-jobs:${reply.headers.get("x-execution-name")}`,
    );
  });

  it("uses the Idempotency-Key as the execution name", async () => {
    const reply = await post(JSON.stringify({ task: "two" }), { "Idempotency-Key": "key-two" });
    expect(reply.json.executionArn).toMatch(/:execution:fixture-jobs:key-two$/);
  });

  it("answers a retry with the same key and body, while the execution runs, with the same execution", async () => {
    const first = await post(JSON.stringify({ task: "three" }), { "Idempotency-Key": "key-three" });
    const retry = await post(JSON.stringify({ task: "three" }), { "Idempotency-Key": "key-three" });
    expect(retry.status).toBe(202);
    expect(retry.json).toEqual(first.json);
  });

  it("refuses the same key with another body: ExecutionAlreadyExists, mapped by the stack's template", async () => {
    await post(JSON.stringify({ task: "four" }), { "Idempotency-Key": "key-four" });
    const other = await post(JSON.stringify({ task: "other" }), { "Idempotency-Key": "key-four" });
    expect(other.status).toBe(409);
    expect(other.json).toEqual({
      error: "ExecutionAlreadyExists",
      message: expect.stringMatching(/^Execution Already Exists: 'arn:aws:states:.*:key-four'$/),
    });
  });

  it("refuses the same key once its execution has ended", async () => {
    const first = await post(JSON.stringify({ task: "five" }), { "Idempotency-Key": "key-five" });
    await api.stepFunctions.idle();
    const again = await post(JSON.stringify({ task: "five" }), { "Idempotency-Key": "key-five" });
    expect(first.status).toBe(202);
    expect(again.status).toBe(409);
  });

  it("refuses a name Step Functions would refuse: InvalidName", async () => {
    const reply = await post(JSON.stringify({ task: "six" }), { "Idempotency-Key": "not a name" });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ error: "InvalidName", message: "Invalid Name: 'not a name'" });
  });
});

describe("reading an execution (DescribeExecution)", () => {
  it("reports RUNNING, then SUCCEEDED with the output, the definition's references resolved", async () => {
    const started = await post(JSON.stringify({ task: "seven" }), { "Idempotency-Key": "key-seven" });
    expect(started.status).toBe(202);
    expect(await status("key-seven")).toEqual({ status: 200, json: { status: "RUNNING" } });
    await api.stepFunctions.idle();
    expect(await status("key-seven")).toEqual({
      status: 200,
      json: { status: "SUCCEEDED", output: { task: "seven", ran: { account: "123456789012" } } },
    });
  });

  it("answers an unknown execution with ExecutionDoesNotExist, mapped to 404 by the stack's template", async () => {
    const reply = await status("never-started");
    expect(reply.status).toBe(404);
    expect(reply.json.error).toBe("ExecutionDoesNotExist");
  });
});
