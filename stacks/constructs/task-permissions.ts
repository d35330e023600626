/**
 * The IAM permissions a workflow needs, derived from its own ASL: every Task's Resource names a
 * service integration, and so the action its execution role must be allowed. Adding a template
 * never means hand-writing a policy.
 */
import { forEachState } from "../../lang/asl";
import type { PolicyStatement } from "./iam";

/** Optimized integrations (arn:aws:states:::<service>:<api>) and the IAM action each calls. */
const OPTIMIZED: Readonly<Record<string, string>> = {
  "lambda:invoke": "lambda:InvokeFunction",
  "sns:publish": "sns:Publish",
  "sqs:sendMessage": "sqs:SendMessage",
  "dynamodb:getItem": "dynamodb:GetItem",
  "dynamodb:putItem": "dynamodb:PutItem",
  "dynamodb:updateItem": "dynamodb:UpdateItem",
  "dynamodb:deleteItem": "dynamodb:DeleteItem",
  "events:putEvents": "events:PutEvents",
  "states:startExecution": "states:StartExecution",
};

/** aws-sdk integration service names whose IAM prefix differs. */
const IAM_PREFIX: Readonly<Record<string, string>> = {
  sfn: "states",
  cloudwatchlogs: "logs",
  eventbridge: "events",
  elasticloadbalancingv2: "elasticloadbalancing",
};

/** Actions that support no resource-level permissions: AWS documents "*" as their resource. */
const NO_RESOURCE_LEVEL = [/^ec2:Describe/, /^ec2:Get/, /^s3:ListAllMyBuckets$/, /^sqs:ListQueues$/, /^sns:ListTopics$/];

/** The IAM action of one Task Resource; throws when it cannot be derived. */
export function iamActionOf(resource: string): string {
  const sdk = /^arn:aws[a-z-]*:states:::aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)(\.waitForTaskToken)?$/.exec(resource);
  if (sdk) {
    const [, service, api] = sdk;
    return `${IAM_PREFIX[service] ?? service}:${api[0].toUpperCase()}${api.slice(1)}`;
  }
  const optimized = /^arn:aws[a-z-]*:states:::([a-z0-9]+:[A-Za-z0-9]+)(\.sync(:2)?|\.waitForTaskToken)?$/.exec(resource);
  if (optimized && OPTIMIZED[optimized[1]]) return OPTIMIZED[optimized[1]];
  if (/^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:/.test(resource)) return "lambda:InvokeFunction";
  throw new Error(
    `cannot derive the IAM action of the Task resource "${resource}": supported are aws-sdk integrations ` +
      `(arn:aws:states:::aws-sdk:<service>:<action>), Lambda function ARNs and ${Object.keys(OPTIMIZED).join(", ")}`,
  );
}

/** A resource ARN, or a token that Terraform resolves to one. */
export type ResourceArn = string;

/**
 * The statements a workflow's execution role needs for its tasks: actions without resource-level
 * permissions on "*", every other action on exactly the resources the workflow may act on.
 * @param workflow name used in messages
 */
export function taskStatements(
  workflow: string,
  definition: Record<string, unknown>,
  resources: readonly ResourceArn[],
): PolicyStatement[] {
  const found = new Set<string>();
  forEachState(definition, (name, state) => {
    if (state.Type !== "Task" || typeof state.Resource !== "string") return;
    try {
      found.add(iamActionOf(state.Resource));
    } catch (error) {
      throw new Error(`workflow "${workflow}": state "${name}": ${(error as Error).message}`);
    }
  });
  const actions = [...found].sort();
  const unscoped = actions.filter((action) => NO_RESOURCE_LEVEL.some((pattern) => pattern.test(action)));
  const scoped = actions.filter((action) => !unscoped.includes(action));
  const statements: PolicyStatement[] = [];
  if (unscoped.length > 0) {
    statements.push({
      Sid: `${unscoped
        .map((a) =>
          a
            .split(":")
            .map((w) => w[0].toUpperCase() + w.slice(1))
            .join(""),
        )
        .join("")}HasNoResourceLevelPermissions`.slice(0, 100),
      Effect: "Allow",
      Action: unscoped,
      Resource: ["*"],
    });
  }
  if (scoped.length > 0) {
    if (resources.length === 0) {
      throw new Error(
        `workflow "${workflow}": its tasks call ${scoped.join(", ")}, which must be limited to the resources ` +
          `the workflow may act on: list them in its "resources"`,
      );
    }
    statements.push({ Sid: "TasksOnConfiguredResourcesOnly", Effect: "Allow", Action: scoped, Resource: [...resources] });
  }
  return statements;
}
