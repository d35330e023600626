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
import { type Condition, factsOf, listItems, negate, ruleProblem } from "../lang/rules";
import type { Tags } from "./constructs/tags";
import { type ApiFact, WORKFLOW_API_RULES, workflowAuthorizationRules } from "./constructs/workflow-api-rules";
import {
  ACCOUNT_ID,
  INSTANCE_ID,
  LONGEST_PARTITION,
  LONGEST_REGION,
  declareWorstCase,
  declareWorstCaseList,
} from "./constructs/worst-case";
import { type AppConfig, type ModuleContext, SETTINGS, type Setting, type SettingKey, type SettingValues, terraformName } from "./config";

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
 *
 * A variable stands for each setting whose declaration says `module` (stacks/config.ts): its
 * type, default and validation come from the setting, and the rules between settings
 * (workflow-api-rules.ts) that read it become validations too. Only what is the module's own
 * (tags, the demo instance's switch and existing instances) is declared here.
 */
export class ModuleInputs extends Construct {
  /** The settings the caller sets, as Terraform expressions of their variables: lay them over the configuration. */
  public readonly settings: Partial<SettingValues>;
  public readonly tags: Tags;
  public readonly region: string;
  public readonly partition: string;
  public readonly createDemoInstance: boolean | IResolvable;
  public readonly instanceArns: string[];
  /** The caller's account (data aws_caller_identity). */
  public readonly accountId: string;

  constructor(scope: Construct, id: string, props: ModuleInputsProps) {
    super(scope, id);
    const { config } = props;
    // Variables are named by their own id (see ApigwSfnStack.allocateLogicalId): the caller's interface.
    const variable = (name: string, options: TerraformVariableConfig): TerraformVariable =>
      new TerraformVariable(this, name, { nullable: false, ...options });
    const check = (condition: unknown, errorMessage: string): TerraformVariableValidationConfig => ({ condition, errorMessage });

    // A variable for every setting the module exposes: its default from the configuration, its validation from the setting's constraint.
    const context: ModuleContext = { longestRoleSuffix: props.longestRoleSuffix };
    const variables = new Map<SettingKey, { readonly setting: Setting; readonly variable: TerraformVariable }>();
    for (const setting of SETTINGS) {
      if (!setting.module || (setting.module.onlyWithInstance && !props.usesInstance)) continue;
      if (setting.module.onlyWhen && !setting.module.onlyWhen.holds({ ...config })) continue;
      const name = terraformName(setting.key);
      const checked = setting.module.constraint?.(context) ?? setting.constraint;
      const declared = variable(name, {
        type: setting.kind === "string" ? VariableType.STRING : setting.kind === "integer" ? VariableType.NUMBER : VariableType.BOOL,
        default: config[setting.key],
        description: setting.module.description,
        validation: checked ? [validation(name, checked)] : undefined,
      });
      variables.set(setting.key, { setting, variable: declared });
    }
    // The rules between settings that read a variable, on the first variable they read; a rule the
    // configuration alone decides was checked at synth.
    for (const rule of [...WORKFLOW_API_RULES, ...workflowAuthorizationRules(config.workflows)]) {
      const condition = terraformCondition(
        negate(rule.forbid),
        (fact) => (variables.has(fact) ? v(terraformName(fact)) : undefined),
        config,
      );
      if (typeof condition === "boolean") continue;
      const first = factsOf(rule.forbid).find((fact) => variables.has(fact))!;
      const message = ruleProblem(rule, (fact) => (variables.has(fact) ? terraformName(fact) : fact));
      variables.get(first)!.variable.addValidation(check(condition, `${message}.`));
    }
    this.settings = Object.fromEntries(
      [...variables].map(([key, { setting, variable: declared }]) => {
        if (setting.kind !== "string") return [key, setting.kind === "integer" ? declared.numberValue : declared.booleanValue];
        // What the value holds at its longest, for the size of the policies that name it (worst-case.ts).
        const longest = setting.module?.longest?.(context);
        return [key, longest === undefined ? declared.stringValue : declareWorstCase(declared.stringValue, longest)];
      }),
    ) as Partial<SettingValues>;

    // Not a setting: the root stack tags through its provider's default_tags.
    const tags = variable("tags", {
      type: VariableType.MAP_STRING,
      default: {},
      description:
        "Tags of every taggable resource the module creates (API, stage, state machines, IAM roles, log groups, " +
        "demo instance, API key and usage plan), on top of the caller's provider default_tags.",
    });

    const region = new DataAwsRegion(this, "Region");
    const account = new DataAwsCallerIdentity(this, "Account");
    // What each reference holds at its longest, for the size of the policies that name it.
    this.accountId = declareWorstCase(account.accountId, ACCOUNT_ID);
    const partition = new DataAwsPartition(this, "Partition");
    this.tags = Token.asStringMap(tags.value);
    this.region = declareWorstCase(region.name, LONGEST_REGION);
    this.partition = declareWorstCase(partition.partition, LONGEST_PARTITION);
    this.createDemoInstance = false;
    this.instanceArns = [];

    if (props.usesInstance) {
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
      this.createDemoInstance = create.booleanValue;
      this.instanceArns = declareWorstCaseList(
        Token.asList(Fn.formatlist("arn:%s:ec2:%s:%s:instance/%s", [this.partition, this.region, account.accountId, ids.listValue])),
        Array<string>(MAX_INSTANCE_IDS).fill(`arn:${LONGEST_PARTITION}:ec2:${LONGEST_REGION}:${ACCOUNT_ID}:instance/${INSTANCE_ID}`),
      );
    }
  }
}

/**
 * A condition over settings as a Terraform expression: a setting the module exposes is its
 * variable (`variableOf`), any other its configured value, folded away. A boolean when the
 * configuration alone decides it. Comparing variables with each other needs Terraform 1.9 (the
 * module's required_version).
 */
function terraformCondition(
  condition: Condition<ApiFact>,
  variableOf: (fact: ApiFact) => string | undefined,
  config: AppConfig,
): boolean | string {
  if ("all" in condition || "any" in condition) {
    const all = "all" in condition;
    const parts = (all ? condition.all : condition.any).map((part) => terraformCondition(part, variableOf, config));
    if (parts.includes(!all)) return !all;
    const open = parts.filter((part): part is string => typeof part === "string");
    if (open.length === 0) return all;
    return open.reduce((left, right) => Token.asString(all ? Op.and(left, right) : Op.or(left, right)));
  }
  if ("includes" in condition || "excludes" in condition) {
    const has = "includes" in condition;
    const item = has ? condition.includes : condition.excludes;
    const reference = variableOf(condition.fact);
    if (reference === undefined) return listItems(config[condition.fact]).includes(item) === has;
    // The variable holds the list as the setting does: items joined by commas, spaces around them ignored.
    const contains = Fn.contains(Fn.compact(Fn.split(",", Fn.replace(reference, " ", ""))), item);
    return Token.asString(has ? contains : Op.not(contains));
  }
  const equal = "is" in condition;
  const value = equal ? condition.is : condition.isNot;
  const reference = variableOf(condition.fact);
  if (reference === undefined) return (config[condition.fact] === value) === equal;
  // A boolean variable compared with a boolean is the variable, or its negation.
  if (typeof value === "boolean") return value === equal ? reference : Token.asString(Op.not(reference));
  // An empty string is compared by its length: cdktf writes a falsy operand ("" or 0) as `undefined`.
  if (value === "") return Token.asString(equal ? Op.lt(Fn.lengthOf(reference), 1) : Op.gte(Fn.lengthOf(reference), 1));
  return Token.asString(equal ? Op.eq(reference, value) : Op.neq(reference, value));
}

/** The Terraform validation of a variable that enforces a setting's constraint, with the same message. */
function validation(name: string, constraint: Constraint): TerraformVariableValidationConfig {
  const value = v(name);
  const condition =
    "pattern" in constraint
      ? Fn.can(Fn.regex(constraint.pattern, value))
      : "oneOf" in constraint
        ? Fn.contains([...constraint.oneOf], value)
        : Op.and(Op.gte(value, numberLiteral(constraint.min)), Op.lte(value, numberLiteral(constraint.max)));
  // The same wording loadConfig uses.
  return { condition, errorMessage: `${name} ${constraintMessage(constraint)}.` };
}

/** A number in an expression: cdktf's operators write a literal 0 as "undefined" (0.21), a reference to it as 0. */
function numberLiteral(value: number): number {
  return value === 0 ? Token.asNumber(ref("0")) : value;
}

/** A reference to an input variable, e.g. in its own validation. */
function v(name: string): string {
  return Token.asString(ref(`var.${name}`));
}
