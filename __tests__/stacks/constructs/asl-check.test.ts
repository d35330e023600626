/**
 * Synth's ASL check against what AWS did: every definition of the emulator's differential test
 * (AWS accepted each, in the recording the case names) passes the check WorkflowTemplate runs, and
 * every definition AWS refused at CreateStateMachine is refused, naming the file, the state and
 * the field. The definitions are imported from the differential test, not copied.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { asValidatorInput } from "../../../stacks/constructs/asl-check";
import { validateWorkflowTemplate } from "../../../stacks/constructs/workflow-template";
import { CASES, REFUSED } from "../../local/asl/cases";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-asl-check-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** A template file whose rendering is exactly the definition (Terraform's template escapes applied). */
function templateOf(definition: unknown): string {
  const file = path.join(dir, `workflow-${files++}.asl.json.tftpl`);
  fs.writeFileSync(file, JSON.stringify(definition).replaceAll("${", "$${").replaceAll("%{", "%%{"));
  return file;
}

describe("synth's ASL check, on the definitions AWS accepted", () => {
  // As EXPRESS workflows, as the issue ran them: EXPRESS is refused all STANDARD is, and more.
  it.each(CASES.map((c) => [c.name, c] as const))("accepts %s", (_name, c) => {
    const file = templateOf(c.definition);
    expect(validateWorkflowTemplate(file, {}, "EXPRESS"), c.recording).toEqual(c.definition);
  });

  it("covers the 127 recorded cases", () => {
    expect(CASES).toHaveLength(127);
  });
});

/** Where each refusal must point: the state (undefined: the top level) and the field. */
const WHERE: Readonly<Record<string, { readonly state?: string; readonly field: string }>> = {
  "an empty definition": { field: "StartAt" },
  "a definition without StartAt": { field: "StartAt" },
  "a JSONPath state in a JSONata machine": { state: "Pass", field: "QueryLanguage" },
  "a .sync integration in an EXPRESS machine": { state: "StartExecution", field: "Resource" },
  "an unknown state type": { state: "ExistingButInvalidState", field: "Type" },
  "a Parallel without branches": { state: "StateName", field: "Branches" },
  "Credentials without RoleArn": { state: "State0", field: "Credentials" },
};

describe("synth's ASL check, on the definitions AWS refused", () => {
  it.each(REFUSED.map((c) => [c.name, c] as const))("refuses %s, naming the file, the state and the field", (name, c) => {
    const file = templateOf(c.definition);
    const where = WHERE[name];
    expect(where, `no expected location for ${name}`).toBeDefined();
    let message = "";
    try {
      validateWorkflowTemplate(file, {}, c.type);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message, c.recording).toMatch(new RegExp(`^${file}: is not a valid Amazon States Language definition: `));
    expect(message).toContain(where.state === undefined ? "the top level" : `state "${where.state}"`);
    expect(message).toContain(where.field);
    expect(message.split("\n")).toHaveLength(1);
  });

  it("has an expected location for each refused definition", () => {
    expect(Object.keys(WHERE).sort()).toEqual(REFUSED.map((c) => c.name).sort());
  });
});

describe("what asl-validator is shown", () => {
  const jsonataPass = (fields: Record<string, unknown>) => ({
    QueryLanguage: "JSONata",
    StartAt: "S",
    States: { S: { Type: "Pass", ...fields, End: true } },
  });

  it("still has every JSONata string of an Output array checked: a broken expression in one is refused", () => {
    const file = templateOf(jsonataPass({ Output: [1, ["{% $states.input %}", "{% ( %}"]] }));
    expect(() => validateWorkflowTemplate(file, {})).toThrow(/: state "S", field Output\/1\/1: is invalid/);
  });

  it("still has an Output string that opens an expression it does not close refused", () => {
    const file = templateOf(jsonataPass({ Output: "{% $states.input" }));
    expect(() => validateWorkflowTemplate(file, {})).toThrow(/: state "S", field Output: is invalid/);
  });

  it("still has a Choice Condition that is neither a boolean nor an expression refused", () => {
    const definition = {
      QueryLanguage: "JSONata",
      StartAt: "C",
      States: { C: { Type: "Choice", Choices: [{ Condition: 1, Next: "T" }], Default: "T" }, T: { Type: "Succeed" } },
    };
    expect(() => validateWorkflowTemplate(templateOf(definition), {})).toThrow(/: state "C", field Choices\/0\/Condition: is invalid/);
  });

  it("is a copy: the definition synth goes on with is left as written", () => {
    const definition = jsonataPass({ Output: 0, Assign: { list: [[1]] } });
    const written = structuredClone(definition);
    asValidatorInput(definition);
    expect(validateWorkflowTemplate(templateOf(definition), {})).toEqual(written);
    expect(definition).toEqual(written);
  });

  it("relaxes nothing in JSONPath states: a nested array in a JSONPath Assign is shown as written", () => {
    const definition = { StartAt: "S", States: { S: { Type: "Pass", Assign: { list: [[1]] }, End: true } } };
    expect(asValidatorInput(definition)).toEqual(definition);
  });
});
