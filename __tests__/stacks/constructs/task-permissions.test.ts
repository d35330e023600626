import { describe, expect, it } from "vitest";
import { App, Fn, TerraformStack, Token } from "cdktf";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { taskResources } from "../../../lang/asl";
import { iamActionOf, taskStatements } from "../../../stacks/constructs/task-permissions";
import { declareWorstCase, declareWorstCaseList, worstCaseList } from "../../../stacks/constructs/worst-case";

/** A definition whose states call these Task resources, one state each (named by the map's keys). */
function calling(tasks: Record<string, string>): Record<string, unknown> {
  const names = Object.keys(tasks);
  return {
    StartAt: names[0],
    States: Object.fromEntries(
      names.map((name, index) => [
        name,
        { Type: "Task", Resource: tasks[name], ...(index + 1 < names.length ? { Next: names[index + 1] } : { End: true }) },
      ]),
    ),
  };
}

const QUEUE = "arn:aws:sqs:us-east-1:123456789012:orders";
const TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders";
const BUCKET = "arn:aws:s3:::reports";
const OBJECTS = "arn:aws:s3:::reports/*";
const TOPIC = "arn:aws:sns:us-east-1:123456789012:alerts";
const FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:score";
const BUS = "arn:aws:events:us-east-1:123456789012:event-bus/orders";
const MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:child";
const INSTANCE = "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0";

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

  it("grants each action only on the resources of its own kind, one statement per kind", () => {
    const definition = calling({
      Save: "arn:aws:states:::dynamodb:putItem",
      Queue: "arn:aws:states:::sqs:sendMessage",
      Read: "arn:aws:states:::aws-sdk:s3:getObject",
      List: "arn:aws:states:::aws-sdk:s3:listBucket",
      Notify: "arn:aws:states:::sns:publish",
      Score: "arn:aws:states:::lambda:invoke",
      Emit: "arn:aws:states:::events:putEvents",
      Child: "arn:aws:states:::states:startExecution.sync:2",
      Stop: "arn:aws:states:::aws-sdk:ec2:stopInstances",
    });
    const statements = taskStatements("orders", definition, [QUEUE, TABLE, BUCKET, OBJECTS, TOPIC, FUNCTION, BUS, MACHINE, INSTANCE]);
    expect(statements.map(({ Sid, Action, Resource }) => ({ Sid, Action, Resource }))).toEqual([
      { Sid: "TasksOnDynamodbTablesOnly", Action: ["dynamodb:PutItem"], Resource: [TABLE] },
      { Sid: "TasksOnEc2InstancesOnly", Action: ["ec2:StopInstances"], Resource: [INSTANCE] },
      { Sid: "TasksOnEventBusesOnly", Action: ["events:PutEvents"], Resource: [BUS] },
      { Sid: "TasksOnLambdaFunctionsOnly", Action: ["lambda:InvokeFunction"], Resource: [FUNCTION] },
      { Sid: "TasksOnS3ObjectsOnly", Action: ["s3:GetObject"], Resource: [OBJECTS] },
      { Sid: "TasksOnS3BucketsOnly", Action: ["s3:ListBucket"], Resource: [BUCKET] },
      { Sid: "TasksOnSnsTopicsOnly", Action: ["sns:Publish"], Resource: [TOPIC] },
      { Sid: "TasksOnSqsQueuesOnly", Action: ["sqs:SendMessage"], Resource: [QUEUE] },
      { Sid: "TasksOnStateMachinesOnly", Action: ["states:StartExecution"], Resource: [MACHINE] },
    ]);
  });

  it("derives from a JSONata task (Arguments) the statements of its JSONPath twin (Parameters): both read only the Resource", () => {
    const task = (language: "JSONPath" | "JSONata") => ({
      QueryLanguage: language,
      StartAt: "Save",
      States: {
        Save: {
          Type: "Task",
          Resource: "arn:aws:states:::dynamodb:putItem",
          ...(language === "JSONata"
            ? { Arguments: { TableName: "Orders", Item: "{% $states.input.item %}" } }
            : { Parameters: { TableName: "Orders", "Item.$": "$.item" } }),
          End: true,
        },
      },
    });
    const jsonata = taskStatements("orders", task("JSONata"), [TABLE]);
    expect(jsonata).toEqual(taskStatements("orders", task("JSONPath"), [TABLE]));
    expect(jsonata.map(({ Action, Resource }) => ({ Action, Resource }))).toEqual([{ Action: ["dynamodb:PutItem"], Resource: [TABLE] }]);
  });

  it("stops at a DynamoDB item action given only an SQS queue, naming the workflow, the state, the action and the ARN", () => {
    expect(() => taskStatements("orders", calling({ Save: "arn:aws:states:::dynamodb:putItem" }), [QUEUE])).toThrow(
      `workflow "orders": state "Save" calls dynamodb:PutItem, which acts on arn:\${Partition}:dynamodb:\${Region}:\${Account}:table/\${TableName}, and none of its resources is one: ${QUEUE}`,
    );
  });

  it("stops at an S3 object action given only the bucket's ARN (objects are bucket/*)", () => {
    expect(() => taskStatements("reports", calling({ Read: "arn:aws:states:::aws-sdk:s3:getObject" }), [BUCKET])).toThrow(
      `workflow "reports": state "Read" calls s3:GetObject, which acts on arn:\${Partition}:s3:::\${BucketName}/\${ObjectName}, and none of its resources is one: ${BUCKET}`,
    );
  });

  it("stops at a resource no task acts on, naming it and what each state calls", () => {
    expect(() => taskStatements("orders", calling({ Save: "arn:aws:states:::dynamodb:putItem" }), [TABLE, QUEUE])).toThrow(
      `workflow "orders": resource ${QUEUE} is of no kind its tasks act on (state "Save" calls dynamodb:PutItem on arn:\${Partition}:dynamodb:\${Region}:\${Account}:table/\${TableName}): remove it or correct the ARN`,
    );
  });

  it("keeps actions AWS cannot scope on * with a Sid that says so, besides the scoped ones", () => {
    const definition = calling({
      Check: "arn:aws:states:::aws-sdk:ec2:describeInstanceStatus",
      Stop: "arn:aws:states:::aws-sdk:ec2:stopInstances",
    });
    expect(taskStatements("w", definition, [INSTANCE])[0]).toMatchObject({
      Sid: "Ec2DescribeInstanceStatusHasNoResourceLevelPermissions",
      Action: ["ec2:DescribeInstanceStatus"],
      Resource: ["*"],
    });
  });

  it("reads the kind of a Terraform reference from its declared worst case: the demo instance's ARN is an instance", () => {
    const stack = new TerraformStack(new App(), "s");
    const instance = new Instance(stack, "i", { ami: "a", instanceType: "t3.nano" });
    const arn = declareWorstCase(instance.arn, INSTANCE);
    const stop = calling({ Stop: "arn:aws:states:::aws-sdk:ec2:stopInstances" });
    expect(taskStatements("w", stop, [arn])[0].Resource).toEqual([arn]);
    expect(() => taskStatements("w", calling({ Save: "arn:aws:states:::dynamodb:putItem" }), [arn])).toThrow(
      `none of its resources is one: a Terraform reference to ARNs such as ${INSTANCE}`,
    );
  });

  it("concatenates a list reference with the other resources of its kind", () => {
    const stack = new TerraformStack(new App(), "s");
    const instance = new Instance(stack, "i", { ami: "a", instanceType: "t3.nano", count: 1 });
    const list = declareWorstCaseList(Token.asList(Fn.concat([[instance.arn]])), [INSTANCE]);
    const other = "arn:aws:ec2:us-east-1:123456789012:instance/i-0fedcba9876543210";
    const resource = taskStatements("w", calling({ Stop: "arn:aws:states:::aws-sdk:ec2:stopInstances" }), [...list, other])[0].Resource;
    expect(Token.isUnresolved(resource)).toBe(true);
    expect(worstCaseList(resource)).toEqual([INSTANCE, other]);
  });
});
