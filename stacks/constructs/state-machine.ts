import { Construct } from "constructs";
import { Token } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SfnStateMachine } from "@cdktf/provider-aws/lib/sfn-state-machine";
import { LogLevel } from "../config";
import { PolicyStatement, assumeRolePolicy, policyDocument, roleName } from "../iam";
import { taskStatements } from "../task-permissions";
import { WorkflowTemplate, WorkflowTemplateProps } from "./workflow-template";

/** The two kinds of Step Functions workflow. */
export type WorkflowType = "EXPRESS" | "STANDARD";

export interface StateMachineProps {
  /** Name of the state machine (1 to 80 letters, digits, hyphens or underscores). */
  readonly name: string;
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
  /** Execution logging to a CloudWatch log group of the state machine's own. */
  readonly logging?: StateMachineLogging;
  /** X-Ray tracing of executions. @default true */
  readonly tracing?: boolean;
}

export interface StateMachineLogging {
  /** @default "ALL" for EXPRESS (whose history exists only in the logs), "ERROR" for STANDARD */
  readonly level?: LogLevel;
  /** Log execution input and output. @default true */
  readonly includeExecutionData?: boolean;
  /** Days the log group keeps events. @default 14 */
  readonly retentionDays?: number;
}

/**
 * Permissions Step Functions needs to deliver logs and traces. The CloudWatch Logs delivery APIs
 * and X-Ray's trace APIs support no resource-level permissions: AWS documents "*" for them.
 */
export const LOGGING_STATEMENT: PolicyStatement = {
  Sid: "LogDeliveryApisHaveNoResourceLevelPermissions",
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
  Effect: "Allow",
  Action: ["xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"],
  Resource: ["*"],
};

const NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** A Step Functions state machine with its own execution role. */
export class StateMachine extends Construct {
  public readonly name: string;
  public readonly type: WorkflowType;
  public readonly template: WorkflowTemplate;
  public readonly role: IamRole;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly resource: SfnStateMachine;
  /** ARN of the state machine (a Terraform reference). */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: StateMachineProps) {
    super(scope, id);
    // A name holding a Terraform expression (the module's project_name) is checked by the variable's validation.
    if (!Token.isUnresolved(props.name) && !NAME.test(props.name)) {
      throw new Error(`state machine name "${props.name}" must hold 1 to 80 letters, digits, hyphens or underscores`);
    }
    if (props.type !== "EXPRESS" && props.type !== "STANDARD") {
      throw new Error(`state machine "${props.name}": type must be EXPRESS or STANDARD, got ${JSON.stringify(props.type)}`);
    }
    this.name = props.name;
    this.type = props.type;
    this.template = new WorkflowTemplate(this, "Template", props.template);
    const logging = props.logging ?? {};
    const level = logging.level ?? (props.type === "EXPRESS" ? "ALL" : "ERROR");
    const tracing = props.tracing ?? true;
    this.logGroup = new CloudwatchLogGroup(this, "Logs", {
      // The /aws/vendedlogs/ prefix keeps the log group's resource policy small (AWS's advice for Step Functions).
      name: `/aws/vendedlogs/states/${props.name}`,
      retentionInDays: logging.retentionDays ?? 14,
    });

    this.role = new IamRole(this, "Role", {
      name: roleName(`${props.name}-sfn`),
      description: `Execution role of the ${props.name} state machine`,
      assumeRolePolicy: assumeRolePolicy("states.amazonaws.com"),
    });
    const statements = [
      ...taskStatements(props.name, this.template.sampleDefinition, props.resources ?? []),
      ...(level === "OFF" ? [] : [LOGGING_STATEMENT]),
      ...(tracing ? [TRACING_STATEMENT] : []),
    ];
    // IAM refuses a policy without statements: a workflow that needs nothing gets none.
    const policy =
      statements.length > 0
        ? new IamRolePolicy(this, "Policy", { name: "workflow-tasks", role: this.role.id, policy: policyDocument(statements) })
        : undefined;

    this.resource = new SfnStateMachine(this, "Resource", {
      name: props.name,
      type: props.type,
      roleArn: this.role.arn,
      definition: this.template.definition,
      loggingConfiguration: {
        level,
        includeExecutionData: level === "OFF" ? false : (logging.includeExecutionData ?? true),
        logDestination: level === "OFF" ? undefined : `${this.logGroup.arn}:*`,
      },
      tracingConfiguration: { enabled: tracing },
      // The role's permissions exist before the first execution can start.
      dependsOn: policy ? [policy] : undefined,
    });
    this.arn = this.resource.arn;
  }
}
