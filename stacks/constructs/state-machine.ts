import { Construct } from "constructs";
import { Fn, Token } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { SfnStateMachine } from "@cdktf/provider-aws/lib/sfn-state-machine";
import { EXECUTION_ARN_RULE, stateMachineArn } from "../../lang/aws";
import { type Constraint, checkConstraint } from "../../lang/constraints";
import { type Grant, type IGrantable, NO_RESOURCE_LEVEL_SID, type PolicyStatement, assumeRolePolicy, pascalCase } from "./iam";
import { Role } from "./role";
import { type Tags, resourceTags } from "./tags";
import { taskStatements } from "./task-permissions";
import { WorkflowTemplate, type WorkflowTemplateProps } from "./workflow-template";
import { ACCOUNT_ID, LONGEST_PARTITION, LONGEST_REGION, declareWorstCase, worstCaseOr } from "./worst-case";

/** The two kinds of Step Functions workflow. */
export type WorkflowType = "EXPRESS" | "STANDARD";
export const WORKFLOW_TYPES: readonly WorkflowType[] = ["EXPRESS", "STANDARD"];

/** Step Functions log levels. */
export type LogLevel = "ALL" | "ERROR" | "FATAL" | "OFF";
export const LOG_LEVELS: readonly LogLevel[] = ["ALL", "ERROR", "FATAL", "OFF"];

/** The retention periods CloudWatch Logs accepts, in days. */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
/** Days a log group keeps events when none is given (FSBP CloudWatch.16 asks for at least a year): the one place of this default. */
export const DEFAULT_RETENTION_DAYS = 365;
/** Log level of each type of workflow when none is given: an EXPRESS workflow's history exists only in its logs. */
export const DEFAULT_LOG_LEVEL: Readonly<Record<WorkflowType, LogLevel>> = { EXPRESS: "ALL", STANDARD: "ERROR" };
export const RETENTION_DAYS_CONSTRAINT: Constraint = {
  oneOf: RETENTION_DAYS,
  problem: `is not a CloudWatch retention period (${RETENTION_DAYS.join(", ")})`,
};

/** The longest state machine name (Step Functions API Reference, CreateStateMachine: name, 1 to 80 characters). */
const STATE_MACHINE_NAME_MAX = 80;

/** What a state machine's name must be. */
export const STATE_MACHINE_NAME: Constraint = {
  pattern: "^[A-Za-z0-9_-]{1,80}$",
  problem: "must hold 1 to 80 letters, digits, hyphens or underscores",
};

export interface StateMachineProps {
  /** Name of the state machine (1 to 80 letters, digits, hyphens or underscores); may be a Terraform expression. */
  readonly name: string;
  /**
   * Short name of the workflow in policy names and statement ids (letters, digits and hyphens).
   * @default the construct's id
   */
  readonly label?: string;
  /** EXPRESS (short, can run synchronously) or STANDARD (up to a year, asynchronous only). */
  readonly type: WorkflowType;
  /** The ASL template and its variables. */
  readonly template: WorkflowTemplateProps;
  /**
   * ARNs the workflow's tasks may act on. The actions come from the definition's own Task
   * resources (see task-permissions.ts); actions without resource-level permissions get "*".
   * @default []
   */
  readonly resources?: readonly string[];
  /** Execution logging to a CloudWatch log group of the state machine's own. @default see StateMachineLogging */
  readonly logging?: StateMachineLogging;
  /** X-Ray tracing of executions. @default true */
  readonly tracing?: boolean;
  /** Tags of the state machine, its role and its log group. @default {} */
  readonly tags?: Tags;
  /** The account the state machine lives in (a Terraform reference): its role trusts Step Functions from this account only. */
  readonly accountId: string;
  /** The region the state machine lives in; may be a Terraform expression. */
  readonly region: string;
  /** AWS partition of the ARNs. @default "aws" */
  readonly partition?: string;
  /**
   * ARN of a customer managed KMS key that encrypts the state machine (definition and execution
   * history) and its log group; the execution role and every grantee may use it for this state
   * machine only. @default AWS owned keys
   */
  readonly kmsKeyArn?: string;
  /** Customer managed policies the execution role may get past its inline quota (see RoleProps). @default 10 */
  readonly managedPolicies?: number;
}

export interface StateMachineLogging {
  /** @default "ALL" for EXPRESS (whose history exists only in the logs), "ERROR" for STANDARD */
  readonly level?: LogLevel;
  /** Log execution input and output (request bodies land in CloudWatch). @default false */
  readonly includeExecutionData?: boolean;
  /** Days the log group keeps events (one of RETENTION_DAYS); may be a Terraform expression. @default 365 */
  readonly retentionDays?: number;
}

/**
 * Permissions Step Functions needs to deliver logs and traces. The CloudWatch Logs delivery APIs
 * and X-Ray's trace APIs support no resource-level permissions: AWS documents "*" for them.
 */
export const LOGGING_STATEMENT: PolicyStatement = {
  Sid: "LogDeliveryApisHaveNoResourceLevelPermissions",
  mergedSid: NO_RESOURCE_LEVEL_SID,
  Effect: "Allow",
  Action: [
    "logs:CreateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:DescribeLogGroups",
    "logs:DescribeResourcePolicies",
    "logs:GetLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:UpdateLogDelivery",
  ],
  Resource: ["*"],
};
export const TRACING_STATEMENT: PolicyStatement = {
  Sid: "XRayTraceApisHaveNoResourceLevelPermissions",
  mergedSid: NO_RESOURCE_LEVEL_SID,
  Effect: "Allow",
  Action: ["xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"],
  Resource: ["*"],
};

/** A Step Functions state machine with its own execution role and log group; it grants access to itself. */
export class StateMachine extends Construct {
  public readonly name: string;
  public readonly label: string;
  public readonly type: WorkflowType;
  public readonly template: WorkflowTemplate;
  /** The execution role; it holds the tasks', logging's, tracing's and the key's statements. */
  public readonly role: Role;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly resource: SfnStateMachine;
  /** ARN of the state machine (a Terraform reference). */
  public readonly arn: string;
  /** ARN pattern of every execution of this state machine (and of no other). */
  public readonly executionsArn: string;
  /** The customer managed key that encrypts the state machine, if any. */
  public readonly kmsKeyArn?: string;
  /** The state machine's ARN built from its name (usable where a reference to the resource would make a cycle). */
  private readonly ownArn: string;

  constructor(scope: Construct, id: string, props: StateMachineProps) {
    super(scope, id);
    // A name holding a Terraform expression (the module's project_name) is checked by the variable's validation.
    if (!Token.isUnresolved(props.name)) checkConstraint("state machine name", STATE_MACHINE_NAME, props.name);
    if (!WORKFLOW_TYPES.includes(props.type)) {
      throw new Error(`state machine ${props.name}: type must be EXPRESS or STANDARD, got ${JSON.stringify(props.type)}`);
    }
    this.name = props.name;
    this.label = props.label ?? id;
    if (!/^[A-Za-z0-9-]+$/.test(this.label))
      throw new Error(`state machine label "${this.label}" must hold letters, digits and hyphens only`);
    this.type = props.type;
    this.template = new WorkflowTemplate(this, "Template", { ...props.template, workflowType: props.type });
    const logging = props.logging ?? {};
    const level = logging.level ?? DEFAULT_LOG_LEVEL[props.type];
    if (!LOG_LEVELS.includes(level))
      throw new Error(`state machine ${props.name}: log level ${JSON.stringify(level)} is not one of ${LOG_LEVELS.join(", ")}`);
    const retentionDays = logging.retentionDays ?? DEFAULT_RETENTION_DAYS;
    if (!Token.isUnresolved(retentionDays)) checkConstraint("log retention", RETENTION_DAYS_CONSTRAINT, retentionDays);
    const tracing = props.tracing ?? true;
    this.logGroup = new CloudwatchLogGroup(this, "Logs", {
      // The /aws/vendedlogs/ prefix keeps the log group's resource policy small (AWS's advice for Step Functions).
      name: `/aws/vendedlogs/states/${props.name}`,
      retentionInDays: retentionDays,
      tags: resourceTags(props.tags),
      kmsKeyId: props.kmsKeyArn,
    });
    this.kmsKeyArn = props.kmsKeyArn;
    // Built from the name: the role and its policy cannot reference the state machine that references them.
    this.ownArn = stateMachineArn(props.partition ?? "aws", props.region, props.accountId, props.name);

    this.role = new Role(this, "Role", {
      name: `${props.name}-sfn`,
      description: `Execution role of the ${props.name} state machine`,
      tags: props.tags,
      // Step Functions sets aws:SourceAccount and aws:SourceArn (the state machine) when it assumes the role.
      assumeRolePolicy: assumeRolePolicy("states.amazonaws.com", { account: props.accountId, arnLike: this.ownArn }),
      policyName: "workflow-tasks",
      managedPolicies: props.managedPolicies,
    });
    this.role.addToPolicy(
      ...taskStatements(this.label, this.template.sampleDefinition, props.resources ?? []),
      ...(level === "OFF" ? [] : [LOGGING_STATEMENT]),
      ...(tracing ? [TRACING_STATEMENT] : []),
      ...this.keyStatements(),
    );

    this.resource = new SfnStateMachine(this, "Resource", {
      name: props.name,
      type: props.type,
      roleArn: this.role.arn,
      definition: this.template.definition,
      loggingConfiguration: {
        level,
        includeExecutionData: level === "OFF" ? false : (logging.includeExecutionData ?? false),
        logDestination: level === "OFF" ? undefined : `${this.logGroup.arn}:*`,
      },
      tracingConfiguration: { enabled: tracing },
      encryptionConfiguration: props.kmsKeyArn
        ? { type: "CUSTOMER_MANAGED_KMS_KEY", kmsKeyId: props.kmsKeyArn, kmsDataKeyReusePeriodSeconds: 300 }
        : undefined,
      tags: resourceTags(props.tags),
    });
    // The role's permissions exist before the first execution can start.
    this.role.applyBefore(this.resource);
    // The ARN at its longest: each part as declared, or as long as AWS allows it.
    const longestArn = stateMachineArn(
      worstCaseOr(props.partition ?? "aws", LONGEST_PARTITION),
      worstCaseOr(props.region, LONGEST_REGION),
      worstCaseOr(props.accountId, ACCOUNT_ID),
      worstCaseOr(props.name, "n".repeat(STATE_MACHINE_NAME_MAX)),
    );
    this.arn = declareWorstCase(this.resource.arn, longestArn);
    const executions = Fn.replace(this.arn, EXECUTION_ARN_RULE.from, EXECUTION_ARN_RULE.to);
    declareWorstCase(executions, longestArn.replace(EXECUTION_ARN_RULE.from, EXECUTION_ARN_RULE.to));
    this.executionsArn = `${executions}:*`;
  }

  /** Lets the grantee start executions (STANDARD workflows). */
  public grantStartExecution(grantee: IGrantable): Grant {
    return this.grant(grantee, "StartExecution", this.arn);
  }

  /** Lets the grantee run executions synchronously (EXPRESS workflows only). */
  public grantStartSyncExecution(grantee: IGrantable): Grant {
    if (this.type !== "EXPRESS") throw new Error(`state machine ${this.label}: only EXPRESS workflows can be run synchronously`);
    return this.grant(grantee, "StartSyncExecution", this.arn);
  }

  /** Lets the grantee describe this state machine's executions, and no other's (STANDARD workflows only). */
  public grantDescribeExecution(grantee: IGrantable): Grant {
    if (this.type !== "STANDARD") throw new Error(`state machine ${this.label}: only STANDARD executions can be described`);
    return this.grant(grantee, "DescribeExecution", this.executionsArn);
  }

  private grant(grantee: IGrantable, action: string, resource: string): Grant {
    return grantee.addToPolicy(
      {
        Sid: `${action}On${pascalCase(this.label)}Only`,
        mergedSid: `${action}OnTheseStateMachinesOnly`,
        Effect: "Allow",
        Action: [`states:${action}`],
        Resource: [resource],
      },
      ...this.keyStatements(),
    );
  }

  /**
   * Use of the state machine's customer managed key, for this state machine's data only (the
   * encryption context Step Functions sets); none with AWS owned keys.
   */
  private keyStatements(): PolicyStatement[] {
    if (!this.kmsKeyArn) return [];
    return [
      {
        Sid: `KeyFor${pascalCase(this.label)}DataOnly`,
        mergedSid: "KeyForTheseStateMachinesDataOnly",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: [this.kmsKeyArn],
        Condition: { StringEquals: { "kms:EncryptionContext:aws:states:stateMachineArn": this.ownArn } },
      },
    ];
  }
}
