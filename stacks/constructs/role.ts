import { Construct, type IConstruct } from "constructs";
import { Aspects, type TerraformResource, Token, dependable } from "cdktf";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { type Constraint, checkConstraint } from "../../lang/constraints";
import { type Grant, type IGrantable, type PolicyStatement, policyDocument, roleName } from "./iam";
import { IAM_POLICY_QUOTAS, PolicyCapacityExceeded, mergeStatements, packStatements, rendered, uniqueSids } from "./policy-document";
import { type Tags, resourceTags } from "./tags";

/**
 * How many customer managed policies a role may have: IAM allows 10 per role by default, 20 once
 * the account's quota is raised (IAM User Guide, "IAM and AWS STS quotas").
 */
export const MANAGED_POLICIES_PER_ROLE: Constraint = { min: 1, max: IAM_POLICY_QUOTAS.managedPoliciesPerRoleMax };

export interface RoleProps {
  /** Name of the role (at most 64 characters); may hold a Terraform expression. */
  readonly name: string;
  /** What the role is for, in the console. */
  readonly description: string;
  /** The trust policy (a Terraform expression, see assumeRolePolicy). */
  readonly assumeRolePolicy: string;
  /** Name of the role's inline policy. @default "permissions" */
  readonly policyName?: string;
  /**
   * How many customer managed policies the role may get when its statements outgrow the inline
   * quota: 1 to 20 (IAM allows 10 managed policies per role by default, 20 once the account's
   * quota is raised; IAM User Guide, "IAM and AWS STS quotas").
   * @default 10
   */
  readonly managedPolicies?: number;
  /** @default {} */
  readonly tags?: Tags;
}

/**
 * An IAM role that owns its permissions: grants add statements to it (`addToPolicy`), and at synth
 * they are merged into as few statements as possible, sized as IAM sizes them with every ARN at its
 * longest, and written as one inline policy, then customer managed policies (attached to the
 * role) for what the inline quota cannot hold. A role that cannot hold them stops synth.
 */
export class Role extends Construct implements IGrantable {
  public readonly resource: IamRole;
  /** ARN of the role (a Terraform reference). */
  public readonly arn: string;
  /** The inline policy and the managed policies' attachments, once synthesized. */
  public readonly policies: TerraformResource[] = [];
  private readonly statements: PolicyStatement[] = [];
  private readonly dependents = new Set<TerraformResource>();
  private readonly policyName: string;
  private readonly name: string;
  private readonly managedPolicies: number;
  private readonly tags?: Tags;
  private written = false;

  constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id);
    const managedPolicies = props.managedPolicies ?? IAM_POLICY_QUOTAS.managedPoliciesPerRole;
    checkConstraint("managed policies per role", MANAGED_POLICIES_PER_ROLE, managedPolicies);
    if (!Number.isInteger(managedPolicies)) throw new Error(`managed policies per role ${managedPolicies} must be a whole number`);
    this.managedPolicies = managedPolicies;
    this.policyName = props.policyName ?? "permissions";
    this.name = props.name;
    this.tags = props.tags;
    this.resource = new IamRole(this, "Resource", {
      name: roleName(props.name),
      description: props.description,
      tags: resourceTags(props.tags),
      assumeRolePolicy: props.assumeRolePolicy,
    });
    this.arn = this.resource.arn;
    // Rendered once every grant is in: cdktf invokes aspects before it writes the stack.
    Aspects.of(this).add({ visit: (node: IConstruct) => (node === this ? this.render() : undefined) });
  }

  public addToPolicy(...statements: PolicyStatement[]): Grant {
    if (this.written) throw new Error(`role ${this.node.path}: a grant after synth would be lost`);
    this.statements.push(...statements);
    return { applyBefore: (...dependents) => this.applyBefore(...dependents) };
  }

  /** Makes these resources wait for every policy of the role. */
  public applyBefore(...dependents: TerraformResource[]): void {
    for (const dependent of dependents) this.dependents.add(dependent);
  }

  /** The role's statements, merged: what its policies hold together. */
  public mergedStatements(): PolicyStatement[] {
    return mergeStatements(this.statements);
  }

  private render(): void {
    if (this.written) return;
    this.written = true;
    // IAM refuses a policy without statements: a role that needs nothing gets none.
    if (this.statements.length === 0) return;
    let pages: PolicyStatement[][];
    try {
      pages = packStatements(this.mergedStatements(), { managedPolicies: this.managedPolicies });
    } catch (error) {
      if (!(error instanceof PolicyCapacityExceeded)) throw error;
      const name = Token.isUnresolved(this.name) ? this.node.path : this.name;
      throw new Error(
        `IAM role ${name}: its policies need ${error.size} characters (as IAM counts them, ARNs at their longest), over the ` +
          `${error.limit} it can hold (${IAM_POLICY_QUOTAS.roleInlinePolicies} inline and ${this.managedPolicies} managed policies of ` +
          `${IAM_POLICY_QUOTAS.managedPolicy}; IAM allows up to ${IAM_POLICY_QUOTAS.managedPoliciesPerRoleMax} once the account's quota is raised)`,
      );
    }
    const document = (statements: PolicyStatement[]): string => policyDocument(uniqueSids(statements).map(rendered));
    const [inline, ...managed] = pages;
    if (inline.length > 0) {
      this.policies.push(new IamRolePolicy(this, "Policy", { name: this.policyName, role: this.resource.id, policy: document(inline) }));
    }
    for (const [index, statements] of managed.entries()) {
      const policy = new IamPolicy(this, `ManagedPolicy${index + 1}`, {
        name: `${this.name}-${index + 1}`,
        description: `Permissions of the role ${this.name} beyond its inline policy (part ${index + 1})`,
        policy: document(statements),
        tags: resourceTags(this.tags),
      });
      this.policies.push(
        new IamRolePolicyAttachment(this, `ManagedPolicy${index + 1}Attachment`, { role: this.resource.name, policyArn: policy.arn }),
      );
    }
    for (const dependent of this.dependents) {
      dependent.dependsOn = [...(dependent.dependsOn ?? []), ...this.policies.map((policy) => dependable(policy))];
    }
  }
}
