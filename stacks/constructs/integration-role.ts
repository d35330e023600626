import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { type Tags, resourceTags } from "./tags";
import { type IGrantable, type PolicyStatement, assumeRolePolicy, policyDocument, roleName, type TrustSource } from "./iam";

export interface IntegrationRoleProps {
  /** Name of the role. */
  readonly name: string;
  /** Tags of the role. @default {} */
  readonly tags?: Tags;
  /**
   * Trust API Gateway only from this account and API (aws:SourceAccount, aws:SourceArn). AWS
   * documents no such keys for integration credentials, and API Gateway has been seen to leave
   * aws:SourceAccount unset there, which would deny every request: opt in after trying it.
   * @default any API Gateway API that is given the role (IAM allows passing it in this account only)
   */
  readonly trustSource?: TrustSource;
}

/**
 * The role API Gateway assumes to call Step Functions. It starts with no permission; each state
 * machine grants it exactly the action a route calls on exactly that machine (e.g.
 * `stateMachine.grantStartExecution(role)`).
 */
export class IntegrationRole extends Construct implements IGrantable {
  public readonly role: IamRole;
  /** ARN of the role (a Terraform reference), the integrations' credentials. */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: IntegrationRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "Resource", {
      name: roleName(props.name),
      description: "Assumed by API Gateway to start Step Functions executions",
      tags: resourceTags(props.tags),
      assumeRolePolicy: assumeRolePolicy("apigateway.amazonaws.com", props.trustSource),
    });
    this.arn = this.role.arn;
  }

  public grant(scope: Construct, id: string, policyName: string, statements: readonly PolicyStatement[]): IamRolePolicy {
    return new IamRolePolicy(scope, id, { name: policyName, role: this.role.id, policy: policyDocument(statements) });
  }
}
