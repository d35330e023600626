/**
 * What the interpreter does not implement is found before a run, naming the state and the feature.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { firstUnsupportedFeature } from "../../../local/asl/support";

const machine = (state: Record<string, unknown>) => ({ StartAt: "S", States: { S: { ...state, End: true } } });
const inline = { StartAt: "I", States: { I: { Type: "Pass", End: true } } };

describe("firstUnsupportedFeature", () => {
  it.each([
    [
      "a distributed Map",
      { Type: "Map", ItemProcessor: { ...inline, ProcessorConfig: { Mode: "DISTRIBUTED" } } },
      "a distributed Map (ProcessorConfig.Mode DISTRIBUTED)",
    ],
    [
      "an ItemReader",
      { Type: "Map", ItemProcessor: inline, ItemReader: { Resource: "arn:aws:states:::s3:getObject" } },
      "the Map field ItemReader",
    ],
    [
      "tolerated failures",
      { Type: "Map", ItemProcessor: inline, ToleratedFailureCount: 1 },
      "the Map field ToleratedFailureCount (tolerated failures)",
    ],
    [
      "a .sync Task",
      { Type: "Task", Resource: "arn:aws:states:::states:startExecution.sync" },
      "the .sync integration pattern (arn:aws:states:::states:startExecution.sync)",
    ],
    ["a Jayway path function", { Type: "Pass", Parameters: { "n.$": "$.items.length()" } }, "the JSONPath '$.items.length()' of n.$"],
  ])("names %s", (_what, state, feature) => {
    expect(firstUnsupportedFeature(machine(state))).toEqual({ state: "S", feature });
  });

  it("looks inside Parallel branches and Map processors", () => {
    const nested = {
      StartAt: "T",
      States: { T: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", End: true } },
    };
    expect(firstUnsupportedFeature(machine({ Type: "Parallel", Branches: [nested] }))?.state).toBe("T");
    expect(firstUnsupportedFeature(machine({ Type: "Map", ItemProcessor: nested }))?.state).toBe("T");
  });

  it.each(["express", "standard"])("finds nothing in the project's %s workflow", (kind) => {
    const file = path.join(__dirname, "..", "..", "..", "templates", "state-machines", `${kind}.asl.json.tftpl`);
    const definition = JSON.parse(readFileSync(file, "utf8").split("${wait_seconds}").join("29")) as object;
    expect(firstUnsupportedFeature(definition)).toBeUndefined();
  });
});
