/**
 * local/step-functions.ts: the Step Functions API actions as API Gateway's integration calls them,
 * answering with Step Functions' status codes and JSON bodies, errors included.
 */
import { afterEach, describe, expect, it } from "vitest";
import { SimulatedEc2 } from "../../local/ec2";
import { LocalStepFunctions, MAX_INPUT_BYTES } from "../../local/step-functions";

const REGION_ACCOUNT = "arn:aws:states:us-east-1:123456789012";
const STANDARD = `${REGION_ACCOUNT}:stateMachine:local-standard`;
const EXPRESS = `${REGION_ACCOUNT}:stateMachine:local-express`;
const WAIT_THEN_ECHO = {
  StartAt: "Pause",
  States: { Pause: { Type: "Wait", Seconds: 10, Next: "Echo" }, Echo: { Type: "Pass", End: true } },
};

let services: Array<{ sfn: LocalStepFunctions; ec2: SimulatedEc2 }> = [];

/** Waits x0.01: the 10-second Wait takes 100 ms. */
function service(): LocalStepFunctions {
  const ec2 = new SimulatedEc2({ instances: [] });
  const sfn = new LocalStepFunctions({
    ec2,
    waitScale: 0.01,
    stateMachines: [
      { name: "local-standard", type: "STANDARD", arn: STANDARD, definition: WAIT_THEN_ECHO },
      { name: "local-express", type: "EXPRESS", arn: EXPRESS, definition: WAIT_THEN_ECHO },
    ],
  });
  services.push({ sfn, ec2 });
  return sfn;
}

afterEach(async () => {
  for (const { sfn, ec2 } of services) {
    await sfn.close();
    ec2.dispose();
  }
  services = [];
});

async function call(sfn: LocalStepFunctions, action: string, request: object) {
  const answer = await sfn.call(action, JSON.stringify(request));
  return { status: answer.status, body: JSON.parse(answer.body) };
}

function errorOf(code: string, message: string | RegExp) {
  return {
    __type: `com.amazonaws.swf.service.v2.model#${code}`,
    message: typeof message === "string" ? message : expect.stringMatching(message),
  };
}

describe("StartExecution", () => {
  it("answers at once with the execution's ARN and its start date in epoch seconds", async () => {
    const sfn = service();
    const reply = await call(sfn, "StartExecution", { stateMachineArn: STANDARD, input: "{}", name: "first" });
    expect(reply).toEqual({
      status: 200,
      body: { executionArn: `${REGION_ACCOUNT}:execution:local-standard:first`, startDate: expect.any(Number) },
    });
    expect(Math.abs(reply.body.startDate - Date.now() / 1000)).toBeLessThan(5);
    expect(sfn.runningCount).toBe(1);
  });

  it("answers the same name and input, while the execution runs, with the same execution", async () => {
    const sfn = service();
    const first = await call(sfn, "StartExecution", { stateMachineArn: STANDARD, input: '{"a":1}', name: "again" });
    const second = await call(sfn, "StartExecution", { stateMachineArn: STANDARD, input: '{"a":1}', name: "again" });
    expect(second).toEqual(first);
    expect(sfn.runningCount).toBe(1);
  });

  it("refuses the same name with another input: ExecutionAlreadyExists", async () => {
    const sfn = service();
    await call(sfn, "StartExecution", { stateMachineArn: STANDARD, input: '{"a":1}', name: "taken" });
    const reply = await call(sfn, "StartExecution", { stateMachineArn: STANDARD, input: '{"a":2}', name: "taken" });
    expect(reply).toEqual({
      status: 400,
      body: errorOf("ExecutionAlreadyExists", `Execution Already Exists: '${REGION_ACCOUNT}:execution:local-standard:taken'`),
    });
  });

  it("refuses the name of an execution that has ended: ExecutionAlreadyExists", async () => {
    const sfn = service();
    await call(sfn, "StartExecution", { stateMachineArn: STANDARD, input: "{}", name: "done" });
    await sfn.idle();
    const reply = await call(sfn, "StartExecution", { stateMachineArn: STANDARD, input: "{}", name: "done" });
    expect(reply.body.__type).toMatch(/#ExecutionAlreadyExists$/);
  });

  it("answers another input while it runs, and any input once it ended, with one and the same error, as AWS does", async () => {
    // AWS cannot tell a retry of an ended execution from a name reused for another input: both get
    // ExecutionAlreadyExists, "Execution Already Exists: '<execution ARN>'" (as moto records AWS's
    // answer to a restart after the end), so neither can the local emulator.
    const sfn = service();
    const arn = `${REGION_ACCOUNT}:execution:local-standard:same`;
    await call(sfn, "StartExecution", { stateMachineArn: STANDARD, input: '{"a":1}', name: "same" });
    const otherWhileRunning = await call(sfn, "StartExecution", { stateMachineArn: STANDARD, input: '{"a":2}', name: "same" });
    await sfn.idle();
    const sameAfterEnd = await call(sfn, "StartExecution", { stateMachineArn: STANDARD, input: '{"a":1}', name: "same" });
    const otherAfterEnd = await call(sfn, "StartExecution", { stateMachineArn: STANDARD, input: '{"a":2}', name: "same" });
    const expected = { status: 400, body: errorOf("ExecutionAlreadyExists", `Execution Already Exists: '${arn}'`) };
    expect([otherWhileRunning, sameAfterEnd, otherAfterEnd]).toEqual([expected, expected, expected]);
  });

  it.each(["with space", "a/b", "x".repeat(81), "", "semi;colon"])("refuses the name %j: InvalidName", async (name) => {
    const reply = await call(service(), "StartExecution", { stateMachineArn: STANDARD, input: "{}", name });
    expect(reply).toEqual({ status: 400, body: errorOf("InvalidName", `Invalid Name: '${name}'`) });
  });

  it("refuses an input that is not JSON: InvalidExecutionInput", async () => {
    const reply = await call(service(), "StartExecution", { stateMachineArn: STANDARD, input: "{not json" });
    expect(reply).toEqual({ status: 400, body: errorOf("InvalidExecutionInput", /^Invalid State Machine Execution Input: /) });
  });

  it("refuses an input over 256 KiB: InvalidExecutionInput", async () => {
    const input = JSON.stringify({ big: "x".repeat(MAX_INPUT_BYTES) });
    const reply = await call(service(), "StartExecution", { stateMachineArn: STANDARD, input });
    expect(reply.body).toEqual(errorOf("InvalidExecutionInput", /more than the maximum of 262144 bytes/));
  });

  it("refuses an unknown state machine: StateMachineDoesNotExist", async () => {
    const arn = `${REGION_ACCOUNT}:stateMachine:nope`;
    const reply = await call(service(), "StartExecution", { stateMachineArn: arn, input: "{}" });
    expect(reply).toEqual({ status: 400, body: errorOf("StateMachineDoesNotExist", `State Machine Does Not Exist: '${arn}'`) });
  });

  it("refuses something that is not a state machine ARN: InvalidArn", async () => {
    const reply = await call(service(), "StartExecution", { stateMachineArn: "my-machine", input: "{}" });
    expect(reply.body.__type).toMatch(/#InvalidArn$/);
  });

  it("refuses a body that is not a JSON object with Step Functions' SerializationException", async () => {
    const answer = await service().call("StartExecution", "[1, 2");
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).__type).toBe("com.amazon.coral.service#SerializationException");
  });
});

describe("StartSyncExecution", () => {
  it("answers once the EXPRESS execution has ended, with its status and output", async () => {
    const reply = await call(service(), "StartSyncExecution", { stateMachineArn: EXPRESS, input: '{"x":"y"}' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: "SUCCEEDED", output: '{"x":"y"}', input: '{"x":"y"}', stateMachineArn: EXPRESS });
    expect(reply.body.executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:express:local-express:[^:]+:[^:]+$/);
    expect(reply.body.stopDate).toBeGreaterThanOrEqual(reply.body.startDate);
  });

  it("refuses a STANDARD state machine: StateMachineTypeNotSupported", async () => {
    const reply = await call(service(), "StartSyncExecution", { stateMachineArn: STANDARD, input: "{}" });
    expect(reply).toEqual({
      status: 400,
      body: errorOf("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine"),
    });
  });
});

describe("DescribeExecution", () => {
  it("reports a running execution as RUNNING, then SUCCEEDED with its output", async () => {
    const sfn = service();
    const { body: started } = await call(sfn, "StartExecution", { stateMachineArn: STANDARD, input: '{"n":1}' });
    const running = await call(sfn, "DescribeExecution", { executionArn: started.executionArn });
    expect(running.body).toMatchObject({ status: "RUNNING", input: '{"n":1}', startDate: started.startDate });
    expect(running.body.stopDate).toBeUndefined();
    await sfn.idle();
    const done = await call(sfn, "DescribeExecution", { executionArn: started.executionArn });
    expect(done.body).toMatchObject({ status: "SUCCEEDED", output: '{"n":1}', name: started.executionArn.split(":").pop() });
  });

  it("answers an unknown execution with ExecutionDoesNotExist", async () => {
    const arn = `${REGION_ACCOUNT}:execution:local-standard:unknown`;
    const reply = await call(service(), "DescribeExecution", { executionArn: arn });
    expect(reply).toEqual({ status: 400, body: errorOf("ExecutionDoesNotExist", `Execution Does Not Exist: '${arn}'`) });
  });

  it("answers an execution ARN with a name Step Functions refuses with InvalidArn", async () => {
    const reply = await call(service(), "DescribeExecution", { executionArn: `${REGION_ACCOUNT}:execution:local-standard:a b` });
    expect(reply.body.__type).toMatch(/#InvalidArn$/);
  });
});

describe("StopExecution", () => {
  it("aborts a running execution, which DescribeExecution then reports ABORTED with the given error", async () => {
    const sfn = service();
    const { body: started } = await call(sfn, "StartExecution", { stateMachineArn: STANDARD, input: "{}" });
    await call(sfn, "StopExecution", { executionArn: started.executionArn, error: "Stopped", cause: "by a test" });
    await sfn.idle();
    const reply = await call(sfn, "DescribeExecution", { executionArn: started.executionArn });
    expect(reply.body).toMatchObject({ status: "ABORTED", error: "Stopped", cause: "by a test" });
  });
});
