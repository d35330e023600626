/**
 * The differential test of the interpreter: each case is run and its outcome compared with what
 * AWS answered in the recording the case names (./cases.ts), area by area as issue 17's table
 * counts them, plus the definitions AWS refuses at creation.
 */
import { describe, expect, it } from "vitest";
import { runStateMachine, type TaskHandler } from "../../../local/asl/interpreter";
import { assertValidDefinition } from "../../../local/asl/validate";
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
