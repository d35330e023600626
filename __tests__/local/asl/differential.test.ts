/**
 * The differential test of the interpreter: each case is run and its outcome compared with what
 * AWS answered in the recording the case names (./cases.ts), area by area as issue 17's table
 * counts them, plus the definitions AWS refuses at creation.
 */
import { describe, expect, it } from "vitest";
import { runStateMachine, type TaskHandler } from "../../../local/asl/interpreter";
import { assertValidDefinition } from "../../../lang/asl-validation";
import { CASES, REFUSED } from "./cases";

const EXECUTION = {
  executionArn: "arn:aws:states:us-east-1:123456789012:execution:machine:run",
  executionName: "run",
  stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:machine",
  stateMachineName: "machine",
  startTime: "2026-01-01T00:00:00.000Z",
  input: {},
};

const noTask: TaskHandler = async (request) => {
  throw new Error(`no task expected (${request.resource})`);
};

const areas = [...new Set(CASES.map((c) => c.area))];

describe.each(areas)("%s, as recorded on AWS", (area) => {
  it.each(CASES.filter((c) => c.area === area).map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const outcome = await runStateMachine(
      c.definition,
      c.input as never,
      { ...EXECUTION, input: c.input as never },
      { task: c.task ?? noTask, timeScale: 0 },
    );
    if ("output" in c.expected) {
      expect(outcome, c.recording).toEqual({ status: "SUCCEEDED", output: c.expected.output });
    } else {
      expect(outcome.status, c.recording).toBe("FAILED");
      const failed = outcome as { error?: string; cause?: string };
      expect(failed.error, c.recording).toBe(c.expected.error);
      if ("cause" in c.expected) expect(failed.cause, c.recording).toBe(c.expected.cause);
      else expect(failed.cause, c.recording).toBeUndefined();
    }
  });
});

describe("the context object, as recorded on AWS", () => {
  it("has Execution, StateMachine and State {Name, EnteredTime} in a Pass state", async () => {
    // context_object/test_context_object.snapshot.json::test_input_path[$$]
    const outcome = await runStateMachine(
      { StartAt: "TestState", States: { TestState: { Type: "Pass", InputPath: "$$", End: true } } },
      { "input-value": 0 },
      { ...EXECUTION, input: { "input-value": 0 } },
      { task: noTask },
    );
    const output = (outcome as { output: Record<string, Record<string, unknown>> }).output;
    expect(Object.keys(output)).toEqual(["Execution", "StateMachine", "State"]);
    expect(Object.keys(output.Execution)).toEqual(["Id", "Input", "StartTime", "Name", "RoleArn", "RedriveCount"]);
    expect(output.Execution.Input).toEqual({ "input-value": 0 });
    expect(output.StateMachine).toEqual({ Id: EXECUTION.stateMachineArn, Name: "machine" });
    expect(Object.keys(output.State)).toEqual(["Name", "EnteredTime"]);
    expect(output.State.Name).toBe("TestState");
  });

  it("gives ErrorPath and CausePath the state's and the machine's names", async () => {
    // context_object/test_context_object.snapshot.json::test_error_cause_path
    const outcome = await runStateMachine(
      { StartAt: "StartState", States: { StartState: { Type: "Fail", ErrorPath: "$$.State.Name", CausePath: "$$.StateMachine.Name" } } },
      {},
      EXECUTION,
      { task: noTask },
    );
    expect(outcome).toEqual({ status: "FAILED", error: "StartState", cause: "machine" });
  });
});

describe("definitions AWS refuses at creation", () => {
  it.each(REFUSED.map((c) => [c.name, c] as const))("refuses %s with AWS's message", (_name, c) => {
    expect(() => assertValidDefinition(c.definition, c.type), c.recording).toThrow(c.message);
  });
});

describe("the cases", () => {
  it("cover every area of issue 17's table", () => {
    expect(new Set(areas)).toEqual(
      new Set([
        "choice operators",
        "intrinsic functions",
        "Map and Parallel",
        "base data flow",
        "variables",
        "Output",
        "query language",
        "JSONata",
      ]),
    );
  });
});
