import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { PolicyStatement, assumeRolePolicy, policyDocument, roleName } from "../iam";

export interface IntegrationRoleProps {
  /** Name of the role. */
  readonly name: string;
}

/**
 * The role API Gateway assumes to call Step Functions. It starts with no permission; each route
 * grants exactly the action it calls on exactly its state machine ({@link IntegrationRole.allow}).
 */
export class IntegrationRole extends Construct {
  public readonly role: IamRole;
  /** ARN of the role (a Terraform reference), the integrations' credentials. */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: IntegrationRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "Resource", {
      name: roleName(props.name),
      description: "Assumed by API Gateway to start Step Functions executions",
      assumeRolePolicy: assumeRolePolicy("apigateway.amazonaws.com"),
    });
    this.arn = this.role.arn;
  }

  /** Adds an inline policy to the role, in the scope of the construct that needs it. */
  public allow(scope: Construct, id: string, policyName: string, statements: readonly PolicyStatement[]): IamRolePolicy {
    return new IamRolePolicy(scope, id, {
      name: policyName,
      role: this.role.id,
      policy: policyDocument(statements),
    });
  }
}
