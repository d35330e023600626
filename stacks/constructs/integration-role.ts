import type { Construct } from "constructs";
import { Role } from "./role";
import type { Tags } from "./tags";
import { type TrustSource, assumeRolePolicy } from "./iam";

export interface IntegrationRoleProps {
  /** Name of the role. */
  readonly name: string;
  /** Tags of the role (and of its managed policies, if it needs any). @default {} */
  readonly tags?: Tags;
  /**
   * Trust API Gateway only from this account and API (aws:SourceAccount, aws:SourceArn). AWS
   * documents no such keys for integration credentials, and API Gateway has been seen to leave
   * aws:SourceAccount unset there, which would deny every request: opt in after trying it.
   * @default any API Gateway API that is given the role (IAM allows passing it in this account only)
   */
  readonly trustSource?: TrustSource;
  /** Customer managed policies the role may get past its inline quota (see RoleProps). @default 10 */
  readonly managedPolicies?: number;
}

/**
 * The role API Gateway assumes to call Step Functions. It starts with no permission; each state
 * machine grants it exactly the action a route calls on exactly that machine (e.g.
 * `stateMachine.grantStartExecution(role)`), and the role renders all its grants at synth as few
 * statements as possible (Role).
 */
export class IntegrationRole extends Role {
  constructor(scope: Construct, id: string, props: IntegrationRoleProps) {
    super(scope, id, {
      name: props.name,
      description: "Assumed by API Gateway to start Step Functions executions",
      tags: props.tags,
      assumeRolePolicy: assumeRolePolicy("apigateway.amazonaws.com", props.trustSource),
      policyName: "start-and-read-executions",
      managedPolicies: props.managedPolicies,
    });
  }
}
