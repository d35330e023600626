/** IAM policy documents as plain data, rendered with Terraform's jsonencode(), and who can be granted them. */
import { Fn, type TerraformResource, Token } from "cdktf";

export interface PolicyStatement {
  /** Why the statement exists, in a few words (IAM allows letters and digits only). */
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  /** When the statement applies, e.g. a KMS encryption context. @default always */
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
  /**
   * The Sid of this statement once merged with others of the same kind whose Sids differ (e.g.
   * "StartExecutionOnTheseStateMachinesOnly"); not part of the policy IAM holds.
   * @default the Sids of the merged statements, joined
   */
  readonly mergedSid?: string;
}

/** The Sid of statements merged because their actions support no resource-level permissions (their resource is "*"). */
export const NO_RESOURCE_LEVEL_SID = "TheseActionsHaveNoResourceLevelPermissions";

/** What a grant gave: statements now in the grantee's policies. */
export interface Grant {
  /** Makes these resources wait for the policies holding the grant (as aws-cdk-lib's Grant.applyBefore). */
  applyBefore(...dependents: TerraformResource[]): void;
}

/**
 * Something a resource can grant permissions to (a role): resources own their grants. Statements
 * are collected per role and rendered once, at synth, as few statements as possible (role.ts).
 */
export interface IGrantable {
  /** Adds statements to the grantee's policies. */
  addToPolicy(...statements: PolicyStatement[]): Grant;
}

/** A policy document as a Terraform expression. */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return Fn.jsonencode({ Version: "2012-10-17", Statement: statements });
}

/**
 * Where a service may assume a role from (confused-deputy protection): `aws:SourceAccount` must be
 * this account and, when the service sets it, `aws:SourceArn` must match this ARN pattern.
 */
export interface TrustSource {
  /** The account the request must come from (a Terraform reference, e.g. data aws_caller_identity). */
  readonly account: string;
  /** ARN pattern of the resources that may use the role, matched with ArnLike. @default no aws:SourceArn condition */
  readonly arnLike?: string;
}

/** The trust policy document (plain data) letting one AWS service assume a role, from `source` only when given. */
export function trustPolicy(service: string, source?: TrustSource): Record<string, unknown> {
  const condition = source
    ? {
        Condition: {
          StringEquals: { "aws:SourceAccount": source.account },
          ...(source.arnLike ? { ArnLike: { "aws:SourceArn": source.arnLike } } : {}),
        },
      }
    : {};
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", ...condition }],
  };
}

/** A trust policy letting one AWS service assume the role (from `source` only, when given), as a Terraform expression. */
export function assumeRolePolicy(service: string, source?: TrustSource): string {
  return Fn.jsonencode(trustPolicy(service, source));
}

/**
 * An IAM role name, checked: IAM allows at most 64 characters. A name holding a Terraform
 * expression (the module's project_name) is checked by that variable's validation instead.
 */
export function roleName(name: string): string {
  if (!Token.isUnresolved(name) && name.length > 64)
    throw new Error(`IAM role name "${name}" is longer than 64 characters; choose a shorter project or workflow name`);
  return name;
}

/** "apigw-sfn-express" -> "ApigwSfnExpress" (IAM Sids hold letters and digits only). */
export function pascalCase(text: string): string {
  return text
    .split(/[^A-Za-z0-9]/) // one separator at a time; filter(Boolean) drops the empty words between runs
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join("");
}
