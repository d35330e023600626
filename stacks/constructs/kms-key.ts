import { Construct } from "constructs";
import { Fn } from "cdktf";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import type { Constraint } from "../../lang/constraints";
import { type Tags, resourceTags } from "./tags";
import { ACCOUNT_ID, KMS_KEY_ID, LONGEST_PARTITION, LONGEST_REGION, declareWorstCase, worstCaseOr } from "./worst-case";

/** What an existing key's ARN must be: a KMS key ARN (CloudWatch Logs accepts no alias), or "" for none. */
export const KMS_KEY_ARN: Constraint = {
  pattern: "^(arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+)?$",
  problem: "is not a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
};

/** Where the key lives and who owns it. */
export interface KeyEnvironment {
  /** AWS partition. */
  readonly partition: string;
  /** Region of the log groups the key encrypts; may be a Terraform expression. */
  readonly region: string;
  /** The account that owns the key and its log groups (a Terraform reference). */
  readonly accountId: string;
}

/** Actions CloudWatch Logs needs on a log group's key (AWS's documented set, spelled out without wildcards). */
export const LOGS_KEY_ACTIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:DescribeKey",
];

/**
 * The key policy, as plain data: the account administers the key and grants its use through IAM
 * (Step Functions roles get kms:Decrypt and kms:GenerateDataKey from their own policies, limited to
 * their state machine's encryption context); CloudWatch Logs may use it for this account's log
 * groups only (encryption context condition); CloudWatch Logs delivery, which writes Step Functions'
 * vended logs, may decrypt for this account only.
 */
export function keyPolicy(env: KeyEnvironment): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministersKeyAndDelegatesUseToIam",
        Effect: "Allow",
        Principal: { AWS: `arn:${env.partition}:iam::${env.accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "CloudWatchLogsUsesKeyForThisAccountsLogGroups",
        Effect: "Allow",
        Principal: { Service: `logs.${env.region}.amazonaws.com` },
        Action: LOGS_KEY_ACTIONS,
        Resource: "*",
        Condition: {
          ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${env.partition}:logs:${env.region}:${env.accountId}:log-group:*` },
        },
      },
      {
        Sid: "LogDeliveryDecryptsForThisAccountOnly",
        Effect: "Allow",
        Principal: { Service: "delivery.logs.amazonaws.com" },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": env.accountId } },
      },
    ],
  };
}

export interface EncryptionKeyProps extends KeyEnvironment {
  /** Alias of the key, without the "alias/" prefix, e.g. "apigw-sfn". */
  readonly alias: string;
  /** Days KMS waits before deleting the key once it is scheduled for deletion (7 to 30). @default 30 */
  readonly deletionWindowInDays?: number;
  /** Tags of the key. @default {} */
  readonly tags?: Tags;
}

/**
 * A symmetric customer managed KMS key, rotated every year, for the log groups and state machines
 * of the API (see {@link keyPolicy}).
 */
export class EncryptionKey extends Construct {
  public readonly key: KmsKey;
  /** ARN of the key (a Terraform reference). */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    this.key = new KmsKey(this, "Resource", {
      description: `Encrypts the logs and state machines of ${props.alias}`,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      policy: Fn.jsonencode(keyPolicy(props)),
      tags: resourceTags(props.tags),
    });
    new KmsAlias(this, "Alias", { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
    // Its ARN at its longest, for the size of the policies that name it.
    const longest = [
      worstCaseOr(props.partition, LONGEST_PARTITION),
      worstCaseOr(props.region, LONGEST_REGION),
      worstCaseOr(props.accountId, ACCOUNT_ID),
    ];
    this.arn = declareWorstCase(this.key.arn, `arn:${longest[0]}:kms:${longest[1]}:${longest[2]}:key/${KMS_KEY_ID}`);
  }
}
