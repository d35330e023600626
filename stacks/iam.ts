/** IAM policy documents as plain data, rendered with Terraform's jsonencode(). */
import { Fn } from "cdktf";

export interface PolicyStatement {
  /** Why the statement exists, in a few words (IAM allows letters and digits only). */
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
}

/** A policy document as a Terraform expression. */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return Fn.jsonencode({ Version: "2012-10-17", Statement: statements });
}

/** A trust policy letting one AWS service assume the role. */
export function assumeRolePolicy(service: string): string {
  return Fn.jsonencode({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  });
}
