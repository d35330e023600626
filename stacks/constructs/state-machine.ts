import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SfnStateMachine } from "@cdktf/provider-aws/lib/sfn-state-machine";
import { PolicyStatement, assumeRolePolicy, policyDocument } from "../iam";
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
  /** What the workflow's tasks may do: the statements of its execution role's policy. */
  readonly statements: readonly PolicyStatement[];
}

const NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** A Step Functions state machine with its own execution role. */
export class StateMachine extends Construct {
  public readonly name: string;
  public readonly type: WorkflowType;
  public readonly template: WorkflowTemplate;
  public readonly role: IamRole;
  public readonly resource: SfnStateMachine;
  /** ARN of the state machine (a Terraform reference). */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: StateMachineProps) {
    super(scope, id);
    if (!NAME.test(props.name)) {
      throw new Error(`state machine name "${props.name}" must hold 1 to 80 letters, digits, hyphens or underscores`);
    }
    if (props.type !== "EXPRESS" && props.type !== "STANDARD") {
      throw new Error(`state machine "${props.name}": type must be EXPRESS or STANDARD, got ${JSON.stringify(props.type)}`);
    }
    if (props.statements.length === 0) {
      throw new Error(`state machine "${props.name}": its execution role needs at least one policy statement`);
    }
    this.name = props.name;
    this.type = props.type;
    this.template = new WorkflowTemplate(this, "Template", props.template);

    this.role = new IamRole(this, "Role", {
      name: roleName(`${props.name}-sfn`),
      description: `Execution role of the ${props.name} state machine`,
      assumeRolePolicy: assumeRolePolicy("states.amazonaws.com"),
    });
    const policy = new IamRolePolicy(this, "Policy", {
      name: "workflow-tasks",
      role: this.role.id,
      policy: policyDocument(props.statements),
    });

    this.resource = new SfnStateMachine(this, "Resource", {
      name: props.name,
      type: props.type,
      roleArn: this.role.arn,
      definition: this.template.definition,
      // The role's permissions exist before the first execution can start.
      dependsOn: [policy],
    });
    this.arn = this.resource.arn;
  }
}

/** IAM role names are at most 64 characters. */
export function roleName(name: string): string {
  if (name.length > 64) throw new Error(`IAM role name "${name}" is longer than 64 characters; choose a shorter project or workflow name`);
  return name;
}
