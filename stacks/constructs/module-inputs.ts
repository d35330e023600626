import { Construct } from "constructs";
import { Fn, IResolvable, Op, TerraformVariable, TerraformVariableConfig, Token, VariableType, ref } from "cdktf";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { AppConfig, RETENTION_DAYS } from "../config";
import { StackInputs } from "../stack-inputs";

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
export class ModuleInputs extends Construct implements StackInputs {
  public readonly projectName: string;
  public readonly stageName: string;
  public readonly authorization: string;
  public readonly instanceType: string;
  public readonly logRetentionDays: number;
  public readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
  public readonly region: string;
  public readonly partition: string;
  public readonly createDemoInstance: boolean | IResolvable;
  public readonly instanceArns: string[];
  /** The variables, by Terraform name. */
  public readonly variables: Readonly<Record<string, TerraformVariable>>;

  constructor(scope: Construct, id: string, props: ModuleInputsProps) {
    super(scope, id);
    const { config } = props;
    const variables: Record<string, TerraformVariable> = {};
    // Variables are named by their own id (see ApigwSfnStack.allocateLogicalId): the caller's interface.
    const variable = (name: string, options: TerraformVariableConfig): TerraformVariable =>
      (variables[name] = new TerraformVariable(this, name, { nullable: false, ...options }));
    const check = (condition: unknown, errorMessage: string) => ({ condition, errorMessage });

    const maxProjectName = Math.min(32, 64 - props.longestRoleSuffix);
    const projectName = variable("project_name", {
      type: VariableType.STRING,
      default: config.projectName,
      description: "Prefix of every resource name: state machines, roles, log groups, the API.",
      validation: [
        check(
          Fn.can(Fn.regex(`^[A-Za-z][A-Za-z0-9-]{0,${maxProjectName - 1}}$`, v("project_name"))),
          `project_name must start with a letter and hold 1 to ${maxProjectName} letters, digits or hyphens ` +
            "(longer names would not fit IAM's 64-character role names).",
        ),
      ],
    });
    const stageName = variable("stage_name", {
      type: VariableType.STRING,
      default: config.stageName,
      description: "Name of the API Gateway stage: the last part of the invoke URL.",
      validation: [
        check(
          Fn.can(Fn.regex("^[A-Za-z0-9_-]{1,128}$", v("stage_name"))),
          "stage_name must hold 1 to 128 letters, digits, hyphens or underscores.",
        ),
      ],
    });
    const authorization = variable("authorization", {
      type: VariableType.STRING,
      default: config.authorization,
      description:
        'How callers are authorized: "AWS_IAM" (SigV4-signed requests), "API_KEY" (x-api-key header, ' +
        'with a usage plan; the key is in the api_key_value output) or "NONE" (anyone with the URL).',
      validation: [
        check(Fn.contains(["AWS_IAM", "API_KEY", "NONE"], v("authorization")), 'authorization must be "AWS_IAM", "API_KEY" or "NONE".'),
      ],
    });
    const logRetentionDays = variable("log_retention_days", {
      type: VariableType.NUMBER,
      default: config.logRetentionDays,
      description: "Days CloudWatch keeps the workflows' execution logs (and the access logs, when on).",
      validation: [
        check(
          Fn.contains(RETENTION_DAYS, v("log_retention_days")),
          `log_retention_days must be a CloudWatch retention period: ${RETENTION_DAYS.join(", ")}.`,
        ),
      ],
    });
    const rateLimit = variable("throttling_rate_limit", {
      type: VariableType.NUMBER,
      default: config.throttlingRateLimit,
      description: "Steady-state requests per second allowed on the stage (and per API key).",
      validation: [
        check(
          Op.and(Op.gte(v("throttling_rate_limit"), 1), Op.lte(v("throttling_rate_limit"), 10000)),
          "throttling_rate_limit must be between 1 and 10000.",
        ),
      ],
    });
    const burstLimit = variable("throttling_burst_limit", {
      type: VariableType.NUMBER,
      default: config.throttlingBurstLimit,
      description: "Burst of requests allowed on the stage (and per API key).",
      validation: [
        check(
          Op.and(Op.gte(v("throttling_burst_limit"), 1), Op.lte(v("throttling_burst_limit"), 5000)),
          "throttling_burst_limit must be between 1 and 5000.",
        ),
      ],
    });

    const region = new DataAwsRegion(this, "Region");
    const partition = new DataAwsPartition(this, "Partition");
    this.projectName = projectName.stringValue;
    this.stageName = stageName.stringValue;
    this.authorization = authorization.stringValue;
    this.logRetentionDays = logRetentionDays.numberValue;
    this.throttling = { rateLimit: rateLimit.numberValue, burstLimit: burstLimit.numberValue };
    this.region = region.name;
    this.partition = partition.partition;
    this.instanceType = config.instanceType;
    this.createDemoInstance = false;
    this.instanceArns = [];

    if (props.usesInstance) {
      const instanceType = variable("instance_type", {
        type: VariableType.STRING,
        default: config.instanceType,
        description: "EC2 instance type of the demo instance (when create_demo_instance is true).",
        validation: [
          check(
            Fn.can(Fn.regex("^[a-z][a-z0-9-]*[.][a-z0-9]+$", v("instance_type"))),
            "instance_type must be an EC2 instance type such as t3.nano.",
          ),
        ],
      });
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
          // Comparing two variables in a validation needs Terraform 1.9 (the module's required_version).
          check(
            Op.or(v("create_demo_instance"), Op.gte(Fn.lengthOf(v("instance_ids")), 1)),
            "The workflows act on an EC2 instance: set create_demo_instance = true or list instance_ids.",
          ),
        ],
      });
      const account = new DataAwsCallerIdentity(this, "Account");
      this.instanceType = instanceType.stringValue;
      this.createDemoInstance = create.booleanValue;
      this.instanceArns = Token.asList(
        Fn.formatlist("arn:%s:ec2:%s:%s:instance/%s", [this.partition, this.region, account.accountId, ids.listValue]),
      );
    }
    this.variables = variables;
  }
}

/** A reference to an input variable, e.g. in its own validation. */
function v(name: string): string {
  return Token.asString(ref(`var.${name}`));
}
