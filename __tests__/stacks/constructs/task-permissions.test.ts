import { describe, expect, it } from "vitest";
import { taskResources } from "../../../lang/asl";
import { iamActionOf, taskStatements } from "../../../stacks/constructs/task-permissions";

describe("task permissions", () => {
  it.each([
    ["arn:aws:states:::aws-sdk:ec2:startInstances", "ec2:StartInstances"],
    ["arn:aws:states:::aws-sdk:ec2:describeInstanceStatus", "ec2:DescribeInstanceStatus"],
    ["arn:aws:states:::aws-sdk:sfn:describeExecution", "states:DescribeExecution"],
    ["arn:aws:states:::aws-sdk:s3:getObject.waitForTaskToken", "s3:GetObject"],
    ["arn:aws:states:::lambda:invoke", "lambda:InvokeFunction"],
    ["arn:aws:states:::sqs:sendMessage.waitForTaskToken", "sqs:SendMessage"],
    ["arn:aws:states:::states:startExecution.sync:2", "states:StartExecution"],
    ["arn:aws:lambda:us-east-1:123456789012:function:toggle", "lambda:InvokeFunction"],
  ])("derives the IAM action of %s: %s", (resource, action) => {
    expect(iamActionOf(resource)).toBe(action);
  });

  it("refuses a Task resource whose action it cannot derive, naming it", () => {
    expect(() => iamActionOf("arn:aws:states:::glue:startJobRun.sync")).toThrow(
      /cannot derive the IAM action of the Task resource "arn:aws:states:::glue:startJobRun.sync"/,
    );
  });

  it("finds tasks inside Parallel branches and Map iterators", () => {
    const task = (resource: string) => ({ Type: "Task", Resource: resource, End: true });
    const definition = {
      StartAt: "P",
      States: {
        P: { Type: "Parallel", Branches: [{ StartAt: "A", States: { A: task("arn:aws:states:::sns:publish") } }], Next: "M" },
        M: { Type: "Map", ItemProcessor: { StartAt: "B", States: { B: task("arn:aws:states:::aws-sdk:ec2:stopInstances") } }, Next: "I" },
        I: { Type: "Map", Iterator: { StartAt: "C", States: { C: task("arn:aws:states:::lambda:invoke") } }, End: true },
      },
    };
    expect(taskResources(definition).sort()).toEqual([
      "arn:aws:states:::aws-sdk:ec2:stopInstances",
      "arn:aws:states:::lambda:invoke",
      "arn:aws:states:::sns:publish",
    ]);
  });

  it("needs no statement for a workflow without tasks", () => {
    expect(taskStatements("w", { StartAt: "Done", States: { Done: { Type: "Succeed" } } }, [])).toEqual([]);
  });
});
