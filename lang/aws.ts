/** Facts about AWS names and ARNs that the deploy side and the local emulator both rely on. */

/**
 * The account ID that stands in for the real one wherever none is known: the local emulator's
 * ARNs, the offline $context.accountId (the ID AWS documentation uses in examples).
 */
export const PLACEHOLDER_ACCOUNT_ID = "123456789012";

/** The partition of a region's ARNs ("aws", "aws-cn", "aws-us-gov", ...). */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  if (region.startsWith("us-iso-")) return "aws-iso";
  return "aws";
}

/** `arn:<partition>:states:<region>:<account>:stateMachine:<name>`. */
export function stateMachineArn(partition: string, region: string, accountId: string, name: string): string {
  return `arn:${partition}:states:${region}:${accountId}:stateMachine:${name}`;
}

/**
 * The ARN of an execution of a state machine, from the machine's ARN:
 * `arn:…:stateMachine:<machine>` -> `arn:…:execution:<machine>:<name>`. Written with plain string
 * operations (a replace, a suffix) so that the deploy side can apply the same rule to a Terraform
 * expression with Fn.replace; see {@link EXECUTION_ARN_RULE}.
 */
export function executionArn(stateMachineArnText: string, name: string): string {
  if (!/^arn:[^:]+:states:[^:]*:[^:]*:stateMachine:[^:]+$/.test(stateMachineArnText)) {
    throw new RangeError(`Not a state machine ARN: ${stateMachineArnText}`);
  }
  return `${stateMachineArnText.replace(EXECUTION_ARN_RULE.from, EXECUTION_ARN_RULE.to)}:${name}`;
}

/** The one textual rule between a state machine's ARN and its executions' ARNs. */
export const EXECUTION_ARN_RULE = { from: ":stateMachine:", to: ":execution:" } as const;
