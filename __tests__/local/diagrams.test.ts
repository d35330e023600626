/**
 * Workflow diagrams (local/diagrams.ts, npm run diagrams): drawn from the definitions of the
 * synthesized stack (the tests' configuration), and docs/workflows.md kept up to date with what the
 * checkout's own configuration generates (scripts/diagrams.ts workflowsDoc(), what `npm run docs`
 * and `npm run diagrams -- --check` compare with).
 */
import * as fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { describeRule, mermaidFlowchart } from "../../local/diagrams";
import { readStack, type ApiModel } from "../../local/stack-reader";
import { WORKFLOWS_DOC, workflowsDoc } from "../../scripts/diagrams";
import { synthStack } from "../support/synth";

let model: ApiModel;

beforeAll(() => {
  model = readStack(synthStack().stackDir);
});

describe("the committed diagrams", () => {
  it("docs/workflows.md is what npm run docs generates from the checkout's workflows and templates", () => {
    const committed = fs.readFileSync(WORKFLOWS_DOC, "utf8");
    expect(committed === workflowsDoc(), "docs/workflows.md is out of date: run npm run docs").toBe(true);
  });
});

describe("a diagram", () => {
  const diagramOf = (type: string) => mermaidFlowchart(model.stateMachines.find((m) => m.type === type)!.definition);

  it("starts at the definition's StartAt state", () => {
    expect(diagramOf("STANDARD")).toMatch(/start_node --> s0\n\s+s0\["Wait<br\/>Wait 29 s"\]/);
  });

  it("labels each Choice edge with its rule and the default edge with Default", () => {
    const diagram = diagramOf("EXPRESS");
    expect(diagram).toContain('-->|"$.InstanceStatus.InstanceStatuses[0] is not present"|');
    expect(diagram).toContain('-->|"$.InstanceStatus.InstanceStatuses[0].InstanceState.Name == #quot;running#quot;"|');
    expect(diagram).toContain('-->|"Default"|');
  });

  it("names each Task's service action", () => {
    expect(diagramOf("EXPRESS")).toContain('["StartInstance<br/>Task: ec2:startInstances"]');
  });

  it("ends End states and Succeed states at the End terminal, and draws Fail states as terminals", () => {
    const diagram = mermaidFlowchart({
      StartAt: "A",
      States: {
        A: { Type: "Choice", Choices: [{ Variable: "$.ok", BooleanEquals: true, Next: "B" }], Default: "F" },
        B: { Type: "Succeed" },
        F: { Type: "Fail", Error: "Nope" },
      },
    });
    expect(diagram).toContain("s1 --> end_node");
    expect(diagram).toContain('s2(["F<br/>Fail: Nope"]):::fail');
    expect(diagram).not.toMatch(/s2 -->/);
  });

  it("draws Catch edges dotted, with the errors they catch", () => {
    const diagram = mermaidFlowchart({
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: "arn:aws:states:::aws-sdk:ec2:stopInstances",
          Catch: [{ ErrorEquals: ["States.ALL"], Next: "F" }],
          End: true,
        },
        F: { Type: "Fail" },
      },
    });
    expect(diagram).toContain('s0 -.->|"Catch: States.ALL"| s1');
  });

  it("words composite and path rules", () => {
    expect(describeRule({ And: [{ Variable: "$.a", NumericGreaterThan: 1 }, { Not: { Variable: "$.b", StringEqualsPath: "$.c" } }] })).toBe(
      "($.a > 1) and (not ($.b == $.c))",
    );
  });

  it("draws a JSONata Condition as its expression, and the literal true as true", () => {
    expect(describeRule({ Condition: "{% $states.input.count > 3 %}", Next: "N" })).toBe("$states.input.count > 3");
    expect(describeRule({ Condition: true, Next: "N" })).toBe("true");
  });

  it("names the variables a state, a Choice rule and a Catch assign", () => {
    const diagram = mermaidFlowchart({
      QueryLanguage: "JSONata",
      StartAt: "Count",
      States: {
        Count: {
          Type: "Task",
          Resource: "arn:aws:states:::dynamodb:getItem",
          Assign: { count: "{% $states.result.Item.n %}", "seen.$": "$.x" },
          Catch: [{ ErrorEquals: ["States.ALL"], Assign: { failure: "{% $states.errorOutput %}" }, Next: "Done" }],
          Next: "Big",
        },
        Big: { Type: "Choice", Choices: [{ Condition: "{% $count > 3 %}", Assign: { big: true }, Next: "Done" }], Default: "Done" },
        Done: { Type: "Succeed" },
      },
    });
    expect(diagram).toContain('s0["Count<br/>Task: dynamodb:getItem<br/>assign count, seen"]');
    expect(diagram).toContain('s1 -->|"$count #gt; 3 / assign big"| s2');
    expect(diagram).toContain('s0 -.->|"Catch: States.ALL / assign failure"| s2');
  });
});
