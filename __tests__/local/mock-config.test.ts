/**
 * Mock configurations in AWS's Step Functions Local format: read, checked, and answering per
 * attempt; a Task with neither a mock nor a simulation fails naming the missing mock.
 */
import { afterEach, describe, expect, it } from "vitest";
import { SimulatedEc2 } from "../../local/ec2";
import { MockConfig, parseDefaultTestCases } from "../../local/mock-config";
import { runWorkflow } from "../../local/workflow";

const CONFIG = {
  StateMachines: {
    toggle: { TestCases: { HappyPath: { Put: "Ok" }, Flaky: { Put: "FailThenOk" } } },
    single: { TestCases: { Only: { Put: "Ok" } } },
  },
  MockedResponses: {
    Ok: { "0": { Return: { done: true } } },
    FailThenOk: { "0-1": { Throw: { Error: "DynamoDB.InternalServerErrorException", Cause: "busy" } }, "2": { Return: { done: true } } },
  },
};

describe("MockConfig", () => {
  it("answers each attempt from its number or range", () => {
    const testCase = MockConfig.from(CONFIG, "mocks.json").testCase("toggle", "Flaky");
    expect([0, 1, 2, 3].map((attempt) => testCase?.answer("Put", attempt))).toEqual([
      { Throw: { Error: "DynamoDB.InternalServerErrorException", Cause: "busy" } },
      { Throw: { Error: "DynamoDB.InternalServerErrorException", Cause: "busy" } },
      { Return: { done: true } },
      "no such attempt",
    ]);
  });

  it("uses the named test case, else the machine's default, else its only one", () => {
    const config = MockConfig.from(CONFIG, "mocks.json", { toggle: "Flaky" });
    expect(config.testCase("toggle", "HappyPath")?.name).toBe("HappyPath");
    expect(config.testCase("toggle", undefined)?.name).toBe("Flaky");
    expect(config.testCase("single", undefined)?.name).toBe("Only");
    expect(MockConfig.from(CONFIG, "mocks.json").testCase("toggle", undefined)).toBeUndefined();
  });

  it("refuses a test case it does not have, naming the file and the machine", () => {
    expect(() => MockConfig.from(CONFIG, "mocks.json").testCase("toggle", "Nope")).toThrow(
      "The mock configuration mocks.json has no test case 'Nope' for the state machine 'toggle'",
    );
  });

  it.each([
    [
      "an unknown response",
      { ...CONFIG, MockedResponses: {} },
      'mock configuration m.json: StateMachines.toggle.TestCases.HappyPath.Put names "Ok", which is not in MockedResponses',
    ],
    [
      "a bad attempt key",
      { StateMachines: {}, MockedResponses: { R: { first: { Return: 1 } } } },
      'mock configuration m.json: MockedResponses.R."first" is not an attempt number or range ("0", "1-2")',
    ],
    [
      "both Return and Throw",
      { StateMachines: {}, MockedResponses: { R: { "0": { Return: 1, Throw: { Error: "E" } } } } },
      'mock configuration m.json: MockedResponses.R."0" must hold exactly one of Return or Throw',
    ],
    [
      "overlapping attempts",
      { StateMachines: {}, MockedResponses: { R: { "0-2": { Return: 1 }, "2": { Return: 2 } } } },
      'mock configuration m.json: MockedResponses.R."0-2" overlaps another attempt',
    ],
  ])("refuses %s in one line", (_what, json, message) => {
    expect(() => MockConfig.from(json, "m.json")).toThrow(message);
  });

  it("reads LOCAL_MOCK_TEST_CASES pairs and refuses a malformed one", () => {
    expect(parseDefaultTestCases("toggle=HappyPath, other = Flaky")).toEqual({ toggle: "HappyPath", other: "Flaky" });
    expect(() => parseDefaultTestCases("toggle")).toThrow('"toggle" is not <state machine>=<test case>');
  });
});

describe("a workflow with mocked Tasks", () => {
  const ec2s: SimulatedEc2[] = [];
  afterEach(() => {
    for (const ec2 of ec2s.splice(0)) ec2.dispose();
  });
  const ec2 = () => {
    const made = new SimulatedEc2({ instances: [] });
    ec2s.push(made);
    return made;
  };
  const definition = (retry: object[] = []) => ({
    StartAt: "Put",
    States: {
      Put: { Type: "Task", Resource: "arn:aws:states:::dynamodb:putItem", Parameters: { TableName: "t" }, Retry: retry, End: true },
    },
  });

  it("meets the next answer on each Retry", async () => {
    const mocks = MockConfig.from(CONFIG, "mocks.json").testCase("toggle", "Flaky");
    const result = await runWorkflow(
      definition([{ ErrorEquals: ["States.ALL"], MaxAttempts: 2 }]),
      {},
      { ec2: ec2(), waitScale: 0, mocks },
    );
    expect(result).toMatchObject({ status: "SUCCEEDED", output: '{"done":true}' });
  });

  it("fails with the mocked error when the retries are used up", async () => {
    const mocks = MockConfig.from(CONFIG, "mocks.json").testCase("toggle", "Flaky");
    const result = await runWorkflow(
      definition([{ ErrorEquals: ["States.ALL"], MaxAttempts: 1 }]),
      {},
      { ec2: ec2(), waitScale: 0, mocks },
    );
    expect(result).toMatchObject({ status: "FAILED", error: "DynamoDB.InternalServerErrorException", cause: "busy" });
  });

  it("fails with States.TaskFailed naming the missing mock when the test case does not mock the state", async () => {
    const mocks = MockConfig.from({ ...CONFIG, StateMachines: { toggle: { TestCases: { Other: {} } } } }, "mocks.json").testCase(
      "toggle",
      "Other",
    );
    const result = await runWorkflow(definition(), {}, { ec2: ec2(), waitScale: 0, mocks });
    expect(result.error).toBe("States.TaskFailed");
    expect(result.cause).toContain("'arn:aws:states:::dynamodb:putItem'");
    expect(result.cause).toContain("the test case 'Other' of the state machine 'toggle' in mocks.json has no mock for it");
  });

  it("fails with States.TaskFailed saying no test case applies when there are no mocks", async () => {
    const result = await runWorkflow(definition(), {}, { ec2: ec2(), waitScale: 0 });
    expect(result.error).toBe("States.TaskFailed");
    expect(result.cause).toContain("no mock test case applies to this execution (see LOCAL_MOCK_CONFIG)");
  });
});
