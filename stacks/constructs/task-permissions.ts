/**
 * The IAM permissions a workflow needs, derived from its own ASL: every Task's Resource names a
 * service integration, and so the action its execution role must be allowed. Adding a template
 * never means hand-writing a policy. Only the Resource is read, never a Task's Parameters
 * (JSONPath) or Arguments (JSONata): the resources acted on are the workflow's `resources`, so a
 * JSONata task gets the permissions of its JSONPath twin.
 */
import { Fn, Token } from "cdktf";
import { forEachState } from "../../lang/asl";
import { NO_RESOURCE_LEVEL_SID, type PolicyStatement } from "./iam";
import { declareWorstCaseList, isListReference, worstCaseList } from "./worst-case";

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

/**
 * A resource ARN, a reference that Terraform resolves to one, or a list reference (one element of
 * a list standing for a whole list): references are classified by their declared worst case.
 */
export type ResourceArn = string;

/** A kind of resource IAM expects for some actions: its ARN's resource part, and the format AWS documents. */
interface ResourceType {
  /** Plural, in PascalCase, for statement ids and messages. */
  readonly label: string;
  /** The resource part of the ARN (after `arn:partition:service:region:account:`). */
  readonly pattern: RegExp;
  /** The ARN format of the Service Authorization Reference. */
  readonly format: string;
}

/**
 * Resource types, each from the service's "Resource types defined by ..." table of the Service
 * Authorization Reference (pages "Actions, resources, and condition keys for Amazon S3",
 * "... for Amazon DynamoDB", "... for Amazon SQS", "... for Amazon SNS", "... for AWS Lambda",
 * "... for AWS Step Functions", "... for Amazon EventBridge", "... for Amazon EC2").
 */
const TYPES = {
  s3Object: { label: "S3Objects", pattern: /^[^/]+\/.+$/, format: "arn:${Partition}:s3:::${BucketName}/${ObjectName}" },
  s3Bucket: { label: "S3Buckets", pattern: /^[^/]+$/, format: "arn:${Partition}:s3:::${BucketName}" },
  dynamodbTable: {
    label: "DynamodbTables",
    pattern: /^table\/[^/]+$/,
    format: "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}",
  },
  dynamodbIndex: {
    label: "DynamodbIndexes",
    pattern: /^table\/[^/]+\/index\/[^/]+$/,
    format: "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}/index/${IndexName}",
  },
  sqsQueue: { label: "SqsQueues", pattern: /^[^:/]+$/, format: "arn:${Partition}:sqs:${Region}:${Account}:${QueueName}" },
  snsTopic: { label: "SnsTopics", pattern: /^[^:/]+$/, format: "arn:${Partition}:sns:${Region}:${Account}:${TopicName}" },
  lambdaFunction: {
    label: "LambdaFunctions",
    pattern: /^function:[^:]+(:[^:]+)?$/,
    format: "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}",
  },
  stateMachine: {
    label: "StateMachines",
    pattern: /^stateMachine:[^:]+$/,
    format: "arn:${Partition}:states:${Region}:${Account}:stateMachine:${StateMachineName}",
  },
  execution: {
    label: "Executions",
    pattern: /^execution:[^:]+:[^:]+$/,
    format: "arn:${Partition}:states:${Region}:${Account}:execution:${StateMachineName}:${ExecutionId}",
  },
  eventBus: {
    label: "EventBuses",
    pattern: /^event-bus\/[^/]+$/,
    format: "arn:${Partition}:events:${Region}:${Account}:event-bus/${EventBusName}",
  },
  ec2Instance: {
    label: "Ec2Instances",
    pattern: /^instance\/[^/]+$/,
    format: "arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId}",
  },
} as const satisfies Record<string, ResourceType>;

/** The resource types an action accepts, where the project knows them (the same tables); else any resource of its service. */
function resourceTypesOf(action: string): readonly ResourceType[] | undefined {
  const [service, name] = action.split(":");
  switch (service) {
    case "s3":
      if (/Object|^AbortMultipartUpload$|^ListMultipartUploadParts$/.test(name)) return [TYPES.s3Object];
      if (/Bucket/.test(name)) return [TYPES.s3Bucket];
      return undefined;
    case "dynamodb":
      if (/^(Query|Scan)$/.test(name)) return [TYPES.dynamodbTable, TYPES.dynamodbIndex];
      if (/Item$|^DescribeTable$/.test(name)) return [TYPES.dynamodbTable];
      return undefined;
    case "sqs":
      return [TYPES.sqsQueue];
    case "sns":
      return /^Publish(Batch)?$/.test(name) ? [TYPES.snsTopic] : undefined;
    case "lambda":
      return name === "InvokeFunction" ? [TYPES.lambdaFunction] : undefined;
    case "states":
      if (/^Start(Sync)?Execution$/.test(name)) return [TYPES.stateMachine];
      if (/^(Describe|Stop)Execution$/.test(name)) return [TYPES.execution];
      return undefined;
    case "events":
      return name === "PutEvents" ? [TYPES.eventBus] : undefined;
    case "ec2":
      return /^(Start|Stop|Reboot|Terminate|Monitor|Unmonitor)Instances$/.test(name) ? [TYPES.ec2Instance] : undefined;
    default:
      return undefined;
  }
}

/** The service and resource part of an ARN; undefined for anything else. */
function parseArn(arn: string): { service: string; resource: string } | undefined {
  const match = /^arn:[^:]+:([^:]+):[^:]*:[^:]*:(.+)$/.exec(arn);
  return match ? { service: match[1], resource: match[2] } : undefined;
}

/** Whether the action can act on every ARN `entry` stands for. */
function accepts(action: string, entry: ResourceArn): boolean {
  const service = action.split(":")[0];
  const types = resourceTypesOf(action);
  return worstCaseList([entry]).every((arn) => {
    const parsed = parseArn(arn);
    if (!parsed || parsed.service !== service) return false;
    return types ? types.some((type) => type.pattern.test(parsed.resource)) : true;
  });
}

/** An entry of `resources` as a message shows it: a reference by what it stands for. */
function shown(entry: ResourceArn): string {
  if (!Token.isUnresolved(entry) && !isListReference(entry)) return entry;
  const arns = worstCaseList([entry]);
  return arns.length > 0 ? `a Terraform reference to ARNs such as ${arns[0]}` : "a Terraform reference to no ARN";
}

/** What the action acts on, for messages. */
function expected(action: string): string {
  const types = resourceTypesOf(action);
  return types
    ? types.map((type) => type.format).join(" or ")
    : `resources of ${action.split(":")[0]} (arn:\${Partition}:${action.split(":")[0]}:...)`;
}

/**
 * The statements a workflow's execution role needs for its tasks: actions without resource-level
 * permissions on "*"; every other action on exactly those of the workflow's resources it can act
 * on (its service's, of the resource type IAM expects). An action with none of its kind, or a
 * resource no action acts on, is refused naming the state, the action and the ARN.
 * @param workflow name used in messages
 */
export function taskStatements(
  workflow: string,
  definition: Record<string, unknown>,
  resources: readonly ResourceArn[],
): PolicyStatement[] {
  /** The states that call each action, in order of first use. */
  const callers = new Map<string, string[]>();
  forEachState(definition, (name, state) => {
    if (state.Type !== "Task" || typeof state.Resource !== "string") return;
    let action: string;
    try {
      action = iamActionOf(state.Resource);
    } catch (error) {
      throw new Error(`workflow "${workflow}": state "${name}": ${(error as Error).message}`);
    }
    callers.set(action, [...(callers.get(action) ?? []), name]);
  });
  const actions = [...callers.keys()].sort();
  const unscoped = actions.filter((action) => NO_RESOURCE_LEVEL.some((pattern) => pattern.test(action)));
  const scoped = actions.filter((action) => !unscoped.includes(action));
  const states = (action: string): string =>
    callers
      .get(action)!
      .map((state) => `"${state}"`)
      .join(", ");
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
      mergedSid: NO_RESOURCE_LEVEL_SID,
      Effect: "Allow",
      Action: unscoped,
      Resource: ["*"],
    });
  }
  if (scoped.length > 0 && resources.length === 0) {
    throw new Error(
      `workflow "${workflow}": its tasks call ${scoped.join(", ")}, which must be limited to the resources ` +
        `the workflow may act on: list them in its "resources"`,
    );
  }
  // Actions grouped by the exact resources they get: one statement per group.
  const groups = new Map<string, { actions: string[]; entries: ResourceArn[] }>();
  for (const action of scoped) {
    const entries = resources.filter((entry) => accepts(action, entry));
    if (entries.length === 0) {
      throw new Error(
        `workflow "${workflow}": state ${states(action)} calls ${action}, which acts on ${expected(action)}, and none of its ` +
          `resources is one: ${resources.map(shown).join(", ")}`,
      );
    }
    const key = JSON.stringify(entries);
    const group = groups.get(key) ?? { actions: [], entries };
    group.actions.push(action);
    groups.set(key, group);
  }
  for (const entry of resources) {
    if (scoped.some((action) => accepts(action, entry))) continue;
    const calls = scoped.map((action) => `state ${states(action)} calls ${action} on ${expected(action)}`).join("; ");
    throw new Error(
      `workflow "${workflow}": resource ${shown(entry)} is of no kind its tasks act on (${calls || "no task needs a resource"}): ` +
        "remove it or correct the ARN",
    );
  }
  for (const { actions: groupActions, entries } of groups.values()) {
    statements.push({
      Sid: `TasksOn${labelOf(groupActions[0], entries[0])}Only`,
      Effect: "Allow",
      Action: groupActions,
      Resource: asResourceList(entries),
    });
  }
  return statements;
}

/** "Ec2Instances", "DynamodbTables"...: what a statement's resources are, for its Sid. */
function labelOf(action: string, entry: ResourceArn): string {
  const arn = parseArn(worstCaseList([entry])[0] ?? "");
  const type = resourceTypesOf(action)?.find((candidate) => arn && candidate.pattern.test(arn.resource));
  const service = action.split(":")[0];
  return type?.label ?? `${service[0].toUpperCase()}${service.slice(1)}Resources`;
}

/** The entries as one Resource list: list references are concatenated by Terraform. */
function asResourceList(entries: readonly ResourceArn[]): string[] {
  if (entries.length === 1 || !entries.some(isListReference)) return [...entries];
  return declareWorstCaseList(Token.asList(Fn.concat(entries.map((entry) => [entry]))), worstCaseList(entries));
}
