import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, TerraformOutput, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { afterEach, describe, expect, it } from "vitest";
import { ApigwSfnStack } from "../../../stacks/apigw-sfn-stack";
import { WorkflowTemplate, validateWorkflowTemplate } from "../../../stacks/constructs/workflow-template";
import { TemplateError } from "../../../lang/terraform-template";
import { DEFAULT_WORKFLOWS } from "../../../stacks/workflows";
import { testConfig } from "../../support/synth";

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-template-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function templateFile(text: string): string {
  const file = path.join(tempDir(), "workflow.asl.json.tftpl");
  fs.writeFileSync(file, text);
  return file;
}

describe("WorkflowTemplate", () => {
  it("accepts the article's two templates with their variables", () => {
    for (const workflow of DEFAULT_WORKFLOWS) {
      expect(() =>
        validateWorkflowTemplate(path.resolve(__dirname, "../../../templates", workflow.templateFile), workflow.templateVariables),
      ).not.toThrow();
    }
  });

  it("stops on a missing file, naming it", () => {
    const missing = path.join(tempDir(), "nope.asl.json.tftpl");
    expect(() => validateWorkflowTemplate(missing, {})).toThrow(TemplateError);
    expect(() => validateWorkflowTemplate(missing, {})).toThrow(`${missing}: cannot read template: file not found`);
  });

  it("stops on a template that does not render to JSON, naming the file", () => {
    const file = templateFile('{"StartAt": "Done", ');
    expect(() => validateWorkflowTemplate(file, {})).toThrow(new RegExp(`${file}: does not render to valid JSON`));
  });

  it("stops on invalid ASL naming the file, the state and the field", () => {
    const file = templateFile(JSON.stringify({ StartAt: "Check", States: { Check: { Type: "Pass", Next: "Missing" } } }));
    expect(() => validateWorkflowTemplate(file, {})).toThrow(
      `${file}: is not a valid Amazon States Language definition: state "Check", field Next: Missing 'Next' target: Missing`,
    );
  });

  it("stops on what asl-validator refuses, naming the state and the field", () => {
    const file = templateFile(JSON.stringify({ StartAt: "W", States: { W: { Type: "Wait", Seconds: "ten", End: true } } }));
    expect(() => validateWorkflowTemplate(file, {})).toThrow(
      /: is not a valid Amazon States Language definition: state "W", field Seconds: is invalid/,
    );
  });

  it("refuses in an EXPRESS workflow an integration only STANDARD ones run", () => {
    const definition = {
      StartAt: "T",
      States: { T: { Type: "Task", Resource: "arn:aws:states:::states:startExecution.sync:2", End: true } },
    };
    const file = templateFile(JSON.stringify(definition));
    expect(() => validateWorkflowTemplate(file, {})).not.toThrow();
    expect(() => validateWorkflowTemplate(file, {}, "EXPRESS")).toThrow(
      /state "T", field Resource: Express state machine does not support '\.sync'/,
    );
  });

  it("stops on a variable the template uses but is not given", () => {
    const file = templateFile('{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": ${wait_seconds}, "End": true}}}');
    expect(() => validateWorkflowTemplate(file, {})).toThrow(/uses \$\{wait_seconds\} but no value is passed/);
  });

  it("validates a template whose variable is a Terraform reference and passes the reference on", () => {
    const file = templateFile('{"StartAt": "W", "States": {"W": {"Type": "Pass", "Result": "${instance_arn}", "End": true}}}');
    const stack = new TerraformStack(Testing.app(), "test");
    const arn = new TerraformVariable(stack, "instance_arn", { type: "string" });
    const template = new WorkflowTemplate(stack, "T", { file, variables: { instance_arn: arn.stringValue } });
    new TerraformOutput(stack, "definition", { value: template.definition });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.output.definition.value).toMatch(
      /^\$\{templatefile\("\$\{path\.module\}\/assets\/.*", \{"instance_arn" = var.instance_arn\}\)\}$/,
    );
  });

  it("writes no stack when a template is invalid", () => {
    const outdir = tempDir();
    const file = templateFile('{"StartAt": "Nowhere", "States": {}}');
    const app = new App({ outdir });
    expect(
      () =>
        new ApigwSfnStack(app, "apigw-sfn", {
          config: testConfig({ workflows: [{ ...DEFAULT_WORKFLOWS[0], templateFile: file }], templatesDir: path.dirname(file) }),
        }),
    ).toThrow(TemplateError);
    const written = fs.readdirSync(outdir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(written).toEqual([]);
  });

  it("is checked as the type of its workflow: an EXPRESS workflow's .sync task stops synth", () => {
    const definition = {
      StartAt: "T",
      States: { T: { Type: "Task", Resource: "arn:aws:states:::states:startExecution.sync:2", End: true } },
    };
    const file = templateFile(JSON.stringify(definition));
    const express = DEFAULT_WORKFLOWS.find((workflow) => workflow.type === "EXPRESS");
    expect(express).toBeDefined();
    expect(
      () =>
        new ApigwSfnStack(new App({ outdir: tempDir() }), "apigw-sfn", {
          config: testConfig({ workflows: [{ ...express!, templateFile: file }], templatesDir: path.dirname(file) }),
        }),
    ).toThrow(/state "T", field Resource: Express state machine does not support '\.sync'/);
  });
});
