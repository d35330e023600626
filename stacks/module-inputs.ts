import { Construct } from "constructs";
import {
  Fn,
  type IResolvable,
  Op,
  TerraformVariable,
  type TerraformVariableConfig,
  type TerraformVariableValidationConfig,
  Token,
  VariableType,
  ref,
} from "cdktf";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { type Constraint, constraintMessage } from "../lang/constraints";
import type { Throttling } from "./constructs/api-stage";
import type { Tags } from "./constructs/tags";
import { type AppConfig, SETTINGS, type Setting } from "./config";
import {
  ACCOUNT_ID,
  INSTANCE_ID,
  LONGEST_PARTITION,
  LONGEST_REGION,
  declareWorstCase,
  declareWorstCaseList,
} from "./constructs/worst-case";

/**
 * The most instance IDs the module accepts: each is in the policy of every workflow that acts on
 * the instances, whose size must be known at synth (IAM's policy size quotas, policy-document.ts).
 */
export const MAX_INSTANCE_IDS = 50;

export interface ModuleInputsProps {
  /** The configuration the variables' defaults come from. */
  readonly config: AppConfig;
  /** Whether a workflow acts on the demo instance: only then do the instance variables exist. */
  readonly usesInstance: boolean;
  /**
   * The longest suffix the stack appends to the project name in an IAM role name (IAM allows 64
   * characters), e.g. "-<workflow>-sfn": project_name is limited so that every name fits.
   */
  readonly longestRoleSuffix: number;
}

/**
 * The input variables of the reusable module (what a caller sets in its `module` block), each
 * with a description, a default from the configuration and a validation that names the mistake,
 * and the data sources that stand for what the root stack reads from configuration: the region,
 * partition and account come from the caller's provider.
 */
export class ModuleInputs extends Construct {
  public readonly projectName: string;
  public readonly stageName: string;
  public readonly authorization: string;
  public readonly instanceType: string;
  public readonly logRetentionDays: number;
  public readonly throttling: Throttling;
  public readonly tags: Tags;
  public readonly region: string;
  public readonly partition: string;
  public readonly createDemoInstance: boolean | IResolvable;
  public readonly instanceArns: string[];
  /** Whether the workflows' logs include execution data (a Terraform expression). */
  public readonly logExecutionData: boolean;
  /** Execution logging level of every method (a Terraform expression). */
  public readonly methodLoggingLevel: string;
  /** ARN of the web ACL to associate, "" for none (a Terraform expression). */
  public readonly wafWebAclArn: string;
  /** Subnet of the demo instance, "" for the default VPC (a Terraform expression; "" without a demo instance). */
  public readonly instanceSubnetId: string;
  /** The caller's account (data aws_caller_identity). */
  public readonly accountId: string;

  constructor(scope: Construct, id: string, props: ModuleInputsProps) {
    super(scope, id);
    const { config } = props;
    // Variables are named by their own id (see ApigwSfnStack.allocateLogicalId): the caller's interface.
    const variable = (name: string, options: TerraformVariableConfig): TerraformVariable =>
      new TerraformVariable(this, name, { nullable: false, ...options });
    const check = (condition: unknown, errorMessage: string): TerraformVariableValidationConfig => ({ condition, errorMessage });

    /** A variable for a setting: its default from the configuration, its validation from the setting's constraint. */
    const fromSetting = (name: string, key: Setting["key"], description: string, constraint?: Constraint): TerraformVariable => {
      const setting = SETTINGS.find((candidate) => candidate.key === key)!;
      const checked = constraint ?? setting.constraint;
      return variable(name, {
        type: setting.kind === "string" ? VariableType.STRING : setting.kind === "integer" ? VariableType.NUMBER : VariableType.BOOL,
        default: config[key],
        description,
        validation: checked ? [validation(name, checked)] : undefined,
      });
    };

    // Shorter than the configuration allows when a workflow name is long: every role name must fit.
    const maxProjectName = Math.min(32, 64 - props.longestRoleSuffix);
    const projectName = fromSetting(
      "project_name",
      "projectName",
      "Prefix of every resource name: state machines, roles, log groups, the API.",
      {
        pattern: `^[A-Za-z][A-Za-z0-9-]{0,${maxProjectName - 1}}$`,
        problem: `must start with a letter and hold 1 to ${maxProjectName} letters, digits or hyphens (longer names would not fit IAM's 64-character role names)`,
      },
    );
    const stageName = fromSetting("stage_name", "stageName", "Name of the API Gateway stage: the last part of the invoke URL.");
    const authorization = fromSetting(
      "authorization",
      "authorization",
      'How callers are authorized: "AWS_IAM" (SigV4-signed requests), "API_KEY" (x-api-key header, ' +
        'with a usage plan; the key is in the api_key_value output) or "NONE" (anyone with the URL).',
    );
    const logRetentionDays = fromSetting(
      "log_retention_days",
      "logRetentionDays",
      "Days CloudWatch keeps the workflows' execution logs (and the access logs, when on).",
    );
    const rateLimit = fromSetting(
      "throttling_rate_limit",
      "throttlingRateLimit",
      "Steady-state requests per second allowed on the stage (and per API key).",
    );
    const burstLimit = fromSetting(
      "throttling_burst_limit",
      "throttlingBurstLimit",
      "Burst of requests allowed on the stage (and per API key).",
    );
    // Not a setting: the root stack tags through its provider's default_tags.
    const tags = variable("tags", {
      type: VariableType.MAP_STRING,
      default: {},
      description:
        "Tags of every taggable resource the module creates (API, stage, state machines, IAM roles, log groups, " +
        "demo instance, API key and usage plan), on top of the caller's provider default_tags.",
    });
    // Security settings a caller decides per module instance: generated from their settings (SETTINGS).
    const security = Object.fromEntries(
      SECURITY_VARIABLES.map(({ key, description }) => [key, fromSetting(terraformName(key), key, description)]),
    ) as Record<(typeof SECURITY_VARIABLES)[number]["key"], TerraformVariable>;
    authorization.addValidation(
      check(
        Op.or(Op.neq(v("authorization"), "NONE"), v("allow_unauthenticated")),
        'authorization "NONE" lets anyone with the URL start the workflows: set allow_unauthenticated = true to confirm.',
      ),
    );

    const region = new DataAwsRegion(this, "Region");
    const account = new DataAwsCallerIdentity(this, "Account");
    // What each reference holds at its longest, for the size of the policies that name it.
    this.accountId = declareWorstCase(account.accountId, ACCOUNT_ID);
    const partition = new DataAwsPartition(this, "Partition");
    this.projectName = declareWorstCase(projectName.stringValue, "p".repeat(maxProjectName));
    this.stageName = stageName.stringValue;
    this.authorization = authorization.stringValue;
    this.logRetentionDays = logRetentionDays.numberValue;
    this.throttling = { rateLimit: rateLimit.numberValue, burstLimit: burstLimit.numberValue };
    this.tags = Token.asStringMap(tags.value);
    this.region = declareWorstCase(region.name, LONGEST_REGION);
    this.partition = declareWorstCase(partition.partition, LONGEST_PARTITION);
    this.instanceType = config.instanceType;
    this.createDemoInstance = false;
    this.instanceArns = [];
    this.logExecutionData = security.logExecutionData.booleanValue as unknown as boolean;
    this.methodLoggingLevel = security.methodLoggingLevel.stringValue;
    this.wafWebAclArn = security.wafWebAclArn.stringValue;
    this.instanceSubnetId = "";

    if (props.usesInstance) {
      const instanceType = fromSetting(
        "instance_type",
        "instanceType",
        "EC2 instance type of the demo instance (when create_demo_instance is true).",
      );
      const create = variable("create_demo_instance", {
        type: VariableType.BOOL,
        default: true,
        description:
          "Create the demo EC2 instance the workflows start and stop. Set false and list instance_ids " +
          "to let the workflows act on instances you already have.",
      });
      const ids = variable("instance_ids", {
        type: VariableType.LIST_STRING,
        default: [],
        description:
          "IDs of existing EC2 instances the workflows may start and stop (besides the demo instance, if created). " +
          "Clients name the instance in the request body's instance_id.",
        validation: [
          // Every ID followed by a comma, joined, must be a run of "i-<hex>,": no for-expression needed.
          check(
            Fn.can(Fn.regex("^(i-[0-9a-f]{8,17},)*$", Fn.join("", Fn.formatlist("%s,", [v("instance_ids")])))),
            "instance_ids must be EC2 instance IDs such as i-0123456789abcdef0.",
          ),
          check(
            Op.lte(Fn.lengthOf(v("instance_ids")), MAX_INSTANCE_IDS),
            `instance_ids lists at most ${MAX_INSTANCE_IDS} instances (the workflows' IAM policies name each one).`,
          ),
          // Comparing two variables in a validation needs Terraform 1.9 (the module's required_version).
          check(
            Op.or(v("create_demo_instance"), Op.gte(Fn.lengthOf(v("instance_ids")), 1)),
            "The workflows act on an EC2 instance: set create_demo_instance = true or list instance_ids.",
          ),
        ],
      });
      const subnet = fromSetting(
        "instance_subnet_id",
        "instanceSubnetId",
        'Subnet of the demo instance ("" for the default VPC). It gets no public IP: reaching Systems Manager needs a NAT gateway or VPC endpoints.',
      );
      this.instanceSubnetId = subnet.stringValue;
      this.instanceType = instanceType.stringValue;
      this.createDemoInstance = create.booleanValue;
      this.instanceArns = declareWorstCaseList(
        Token.asList(Fn.formatlist("arn:%s:ec2:%s:%s:instance/%s", [this.partition, this.region, account.accountId, ids.listValue])),
        Array<string>(MAX_INSTANCE_IDS).fill(`arn:${LONGEST_PARTITION}:ec2:${LONGEST_REGION}:${ACCOUNT_ID}:instance/${INSTANCE_ID}`),
      );
    }
  }
}

/** Security settings the module exposes as variables (besides log_retention_days and authorization). */
const SECURITY_VARIABLES = [
  {
    key: "logExecutionData",
    description:
      "Include execution input and output (request bodies) in the workflows' CloudWatch logs. Off keeps request data out of the logs.",
  },
  {
    key: "methodLoggingLevel",
    description:
      'API Gateway execution logging of every method: "OFF", "ERROR" or "INFO" (never request bodies). Needs the account-level API Gateway CloudWatch role.',
  },
  {
    key: "allowUnauthenticated",
    description: 'Confirms authorization = "NONE": anyone who knows the URL can then start the workflows.',
  },
  {
    key: "wafWebAclArn",
    description: 'ARN of a regional WAFv2 web ACL to associate with the stage ("" for none).',
  },
] as const satisfies ReadonlyArray<{ key: Setting["key"]; description: string }>;

/** A setting's variable name: its key in snake_case (logExecutionData -> log_execution_data). */
function terraformName(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** The Terraform validation of a variable that enforces a setting's constraint, with the same message. */
function validation(name: string, constraint: Constraint): TerraformVariableValidationConfig {
  const value = v(name);
  const condition =
    "pattern" in constraint
      ? Fn.can(Fn.regex(constraint.pattern, value))
      : "oneOf" in constraint
        ? Fn.contains([...constraint.oneOf], value)
        : Op.and(Op.gte(value, constraint.min), Op.lte(value, constraint.max));
  // The same wording loadConfig uses.
  return { condition, errorMessage: `${name} ${constraintMessage(constraint)}.` };
}

/** A reference to an input variable, e.g. in its own validation. */
function v(name: string): string {
  return Token.asString(ref(`var.${name}`));
}
