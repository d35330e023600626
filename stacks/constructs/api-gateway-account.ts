import { Construct } from "constructs";
import { ApiGatewayAccount as ApiGatewayAccountResource } from "@cdktf/provider-aws/lib/api-gateway-account";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { type Tags, resourceTags } from "./tags";
import { assumeRolePolicy, roleName, type TrustSource } from "./iam";

/** AWS's managed policy for the API Gateway CloudWatch role, as its documentation prescribes. */
export const PUSH_TO_CLOUDWATCH_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs";

export interface ApiGatewayAccountProps {
  /** Name of the role. */
  readonly roleName: string;
  /** Tags of the role. @default {} */
  readonly tags?: Tags;
  /** Trust API Gateway from this account only (aws:SourceAccount); see IntegrationRoleProps.trustSource. @default no condition */
  readonly trustSource?: TrustSource;
}

/**
 * The account-level setting that lets API Gateway write logs to CloudWatch: one role per account
 * and region, shared by every API in it. Access logs need it. Only manage it here when the account
 * has none yet: another stack managing it too would fight over it, and destroying this stack does
 * not unset it.
 */
export class ApiGatewayAccount extends Construct {
  public readonly role: IamRole;
  public readonly account: ApiGatewayAccountResource;

  constructor(scope: Construct, id: string, props: ApiGatewayAccountProps) {
    super(scope, id);
    this.role = new IamRole(this, "Role", {
      name: roleName(props.roleName),
      description: "Lets API Gateway write execution and access logs to CloudWatch (account-level setting)",
      tags: resourceTags(props.tags),
      assumeRolePolicy: assumeRolePolicy("apigateway.amazonaws.com", props.trustSource),
    });
    const attachment = new IamRolePolicyAttachment(this, "Policy", {
      role: this.role.name,
      policyArn: PUSH_TO_CLOUDWATCH_POLICY_ARN,
    });
    this.account = new ApiGatewayAccountResource(this, "Resource", {
      cloudwatchRoleArn: this.role.arn,
      dependsOn: [attachment],
    });
  }
}
