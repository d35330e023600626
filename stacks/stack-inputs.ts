/**
 * The values the stack is built from that differ between its two outputs: in the root stack they
 * are plain values from the configuration; in the reusable module they are the caller's input
 * variables and what its provider knows (region, partition, account), see ModuleInputs.
 */
import { IResolvable } from "cdktf";
import { AppConfig } from "./config";

export interface StackInputs {
  /** Prefix of every resource name. */
  readonly projectName: string;
  /** API Gateway stage name. */
  readonly stageName: string;
  /** "AWS_IAM", "API_KEY" or "NONE", or a Terraform expression that is one of them. */
  readonly authorization: string;
  /** EC2 instance type of the demo instance. */
  readonly instanceType: string;
  /** Days CloudWatch keeps the logs. */
  readonly logRetentionDays: number;
  /** Throttling of the stage and of API keys. */
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
  /** AWS region of the Step Functions endpoint the integrations call. */
  readonly region: string;
  /** AWS partition of the ARNs ("aws", "aws-cn", "aws-us-gov"). */
  readonly partition: string;
  /**
   * Whether the demo instance is created when a workflow acts on it: true in the root stack, a
   * Terraform expression (the create_demo_instance variable) in the module.
   */
  readonly createDemoInstance: boolean | IResolvable;
  /** ARNs of existing instances the workflows act on besides the demo instance (a list, possibly a token). */
  readonly instanceArns: string[];
}

/** The partition of a region's ARNs. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  if (region.startsWith("us-iso-")) return "aws-iso";
  return "aws";
}

/** The root stack's inputs: the configuration's values. */
export function rootInputs(config: AppConfig): StackInputs {
  return {
    projectName: config.projectName,
    stageName: config.stageName,
    authorization: config.authorization,
    instanceType: config.instanceType,
    logRetentionDays: config.logRetentionDays,
    throttling: { rateLimit: config.throttlingRateLimit, burstLimit: config.throttlingBurstLimit },
    region: config.region,
    partition: partitionOf(config.region),
    createDemoInstance: true,
    instanceArns: [],
  };
}
