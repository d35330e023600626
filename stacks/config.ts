/**
 * The project's configuration: every setting, its default, and where it is read from.
 *
 * Values come from, in order of precedence: environment variables (`APIGW_SFN_*`), the
 * `context` object of cdktf.json, then the defaults below. Everything is validated here, so a
 * bad value stops synth with a message naming the setting and where it came from.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type Constraint, constraintProblem } from "../lang/constraints";
import { JsonSyntaxError, parseJsonText } from "../lang/json";
import { ruleProblem, holds, factsOf } from "../lang/rules";
import {
  BURST_LIMIT,
  DEFAULT_METHOD_LOGGING_LEVEL,
  DEFAULT_THROTTLING,
  METHOD_LOGGING_LEVEL,
  METHOD_LOGGING_LEVELS,
  RATE_LIMIT,
  STAGE_NAME,
} from "./constructs/api-stage";
import { API_DEFINITION, API_DEFINITIONS, DEFAULT_API_DEFINITION } from "./constructs/api-definition";
import {
  MAX_API_RESOURCES,
  MAX_IAM_ROLES,
  MAX_RESOURCE_POLICY_LENGTH,
  RESOURCE_POLICY_LENGTH,
  RESOURCES_PER_API,
  ROLES_PER_ACCOUNT,
} from "./constructs/aws-quotas";
import { DEFAULT_INSTANCE_TYPE, SUBNET_ID } from "./constructs/demo-instance";
import { BASE_PATH, CERTIFICATE_ARN, DOMAIN_NAME, SOURCE_ACCOUNTS, VPC_ENDPOINTS, WEB_ACL_ARN } from "./constructs/edge";
import { DEFAULT_INTEGRATION_TIMEOUT_MS, INTEGRATION_TIMEOUT_MS } from "./constructs/integration-timeout";
import { KMS_KEY_ARN } from "./constructs/kms-key";
import { IAM_POLICY_QUOTAS } from "./constructs/policy-document";
import { MANAGED_POLICIES_PER_ROLE } from "./constructs/role";
import { AUTHORIZATIONS, AUTHORIZATION_CONSTRAINT, DEFAULT_AUTHORIZATION } from "./constructs/route";
import { DEFAULT_LOG_LEVEL, DEFAULT_RETENTION_DAYS, LOG_LEVELS, RETENTION_DAYS_CONSTRAINT } from "./constructs/state-machine";
import { DEFAULT_ACCESS_LOGS, DEFAULT_STAGE_NAME } from "./constructs/workflow-api";
import { type ApiFact, WORKFLOW_API_RULES } from "./constructs/workflow-api-rules";
import { TEMPLATES_DIR } from "./constructs/template-files";
import { DEFAULT_WORKFLOWS, type WorkflowConfig, parseWorkflows } from "./workflows";

type Kind = "string" | "integer" | "boolean";

/** What the reusable module knows when it declares its variables. */
export interface ModuleContext {
  /** The longest suffix the stack appends to the project name in an IAM role name, e.g. "-<workflow>-sfn". */
  readonly longestRoleSuffix: number;
}

/**
 * How the reusable module exposes a setting: as an input variable named after it in snake_case
 * (logExecutionData: log_execution_data), typed by its kind, its default the configured value,
 * validated by its constraint with the same message, and checked against the rules between
 * settings (workflow-api-rules.ts). A setting without it is fixed into the module at synth.
 */
export interface ModuleVariable {
  /** The variable's description (the module's README lists it). */
  readonly description: string;
  /** Only when a workflow acts on the demo instance. @default false */
  readonly onlyWithInstance?: boolean;
  /** A stricter constraint in the module, from what the module knows. @default the setting's constraint */
  readonly constraint?: (context: ModuleContext) => Constraint;
  /** The longest value the variable can hold, where synth sizes what names it (IAM policies). @default not sized */
  readonly longest?: (context: ModuleContext) => string;
}

/** The declaration of one setting: everything else about it is derived from it. */
interface Declaration<K extends Kind, V> {
  readonly kind: K;
  /** What it means, for docs/configuration.md. */
  readonly description: string;
  readonly default: V;
  /** What the (typed) value must be, as declared by the construct that owns the prop. @default any value of the kind */
  readonly constraint?: Constraint;
  /** Whether and how the reusable module exposes it. @default fixed into the module */
  readonly module?: ModuleVariable;
}

/** The longest project name the module accepts: every IAM role name (64 characters at most) must fit. */
function longestProjectName({ longestRoleSuffix }: ModuleContext): number {
  return Math.min(32, 64 - longestRoleSuffix);
}

type Spec<V> = Omit<Declaration<Kind, V>, "kind">;
const text = (spec: Spec<string>): Declaration<"string", string> => ({ kind: "string", ...spec });
const integer = (spec: Spec<number>): Declaration<"integer", number> => ({ kind: "integer", ...spec });
const boolean = (spec: Spec<boolean>): Declaration<"boolean", boolean> => ({ kind: "boolean", ...spec });
/** A string that is one of `values` (its TypeScript type is their union). */
const choice = <V extends string>(values: readonly V[], spec: Spec<V>): Declaration<"string", V> => ({
  kind: "string",
  constraint: { oneOf: values },
  ...spec,
});

/**
 * The settings, in the order docs/configuration.md documents them: one declaration each, from which
 * come the TypeScript type (AppConfig), the environment variable (APIGW_SFN_ and the key in
 * SNAKE_CASE), parsing and its errors (loadConfig), the docs (scripts/docs.ts) and the module's
 * variable (`module`, read by module-inputs.ts). Defaults owned by a construct are its constants.
 */
const DECLARATIONS = {
  region: text({
    description: "AWS region to deploy to",
    default: "us-east-1",
    constraint: { pattern: "^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$", problem: "is not an AWS region name such as us-east-1" },
  }),
  projectName: text({
    description: "prefix of every resource name",
    default: "apigw-sfn",
    constraint: {
      pattern: "^[A-Za-z][A-Za-z0-9-]{0,31}$",
      problem: "must start with a letter and hold 1 to 32 letters, digits or hyphens (it prefixes state machine, role and API names)",
    },
    module: {
      description: "Prefix of every resource name: state machines, roles, log groups, the API.",
      // Shorter than the configuration allows when a workflow name is long: every role name must fit.
      constraint: (context) => {
        const max = longestProjectName(context);
        return {
          pattern: `^[A-Za-z][A-Za-z0-9-]{0,${max - 1}}$`,
          problem: `must start with a letter and hold 1 to ${max} letters, digits or hyphens (longer names would not fit IAM's 64-character role names)`,
        };
      },
      longest: (context) => "p".repeat(longestProjectName(context)),
    },
  }),
  stageName: text({
    description: "API Gateway stage name (last part of the invoke URL)",
    default: DEFAULT_STAGE_NAME,
    constraint: STAGE_NAME,
    module: { description: "Name of the API Gateway stage: the last part of the invoke URL." },
  }),
  instanceType: text({
    description: "EC2 instance type of the demo instance",
    default: DEFAULT_INSTANCE_TYPE,
    constraint: { pattern: "^[a-z][a-z0-9-]*[.][a-z0-9]+$", problem: "is not an EC2 instance type such as t3.nano" },
    module: { description: "EC2 instance type of the demo instance (when create_demo_instance is true).", onlyWithInstance: true },
  }),
  authorization: choice(AUTHORIZATIONS, {
    description: 'authorization of every route: "AWS_IAM" (SigV4), "API_KEY" (x-api-key header) or "NONE"',
    default: DEFAULT_AUTHORIZATION,
    constraint: AUTHORIZATION_CONSTRAINT,
    module: {
      description:
        'How callers are authorized: "AWS_IAM" (SigV4-signed requests), "API_KEY" (x-api-key header, ' +
        'with a usage plan; the key is in the api_key_value output) or "NONE" (anyone with the URL).',
    },
  }),
  logRetentionDays: integer({
    description: "days CloudWatch keeps the logs",
    default: DEFAULT_RETENTION_DAYS,
    constraint: RETENTION_DAYS_CONSTRAINT,
    module: { description: "Days CloudWatch keeps the workflows' execution logs (and the access logs, when on)." },
  }),
  expressLogLevel: choice(LOG_LEVELS, {
    description: "log level of EXPRESS workflows",
    default: DEFAULT_LOG_LEVEL.EXPRESS,
  }),
  standardLogLevel: choice(LOG_LEVELS, {
    description: "log level of STANDARD workflows",
    default: DEFAULT_LOG_LEVEL.STANDARD,
  }),
  logExecutionData: boolean({
    description: "whether workflow logs include execution input and output (request bodies)",
    default: false,
    module: {
      description:
        "Include execution input and output (request bodies) in the workflows' CloudWatch logs. Off keeps request data out of the logs.",
    },
  }),
  tracing: boolean({
    description: "X-Ray tracing of the state machines and the stage",
    default: true,
  }),
  throttlingRateLimit: integer({
    description: "requests per second allowed on the stage",
    default: DEFAULT_THROTTLING.rateLimit,
    constraint: RATE_LIMIT,
    module: { description: "Steady-state requests per second allowed on the stage (and per API key)." },
  }),
  throttlingBurstLimit: integer({
    description: "burst of requests allowed on the stage",
    default: DEFAULT_THROTTLING.burstLimit,
    constraint: BURST_LIMIT,
    module: { description: "Burst of requests allowed on the stage (and per API key)." },
  }),
  integrationTimeoutMs: integer({
    description:
      "milliseconds API Gateway waits for a route's integration before it answers 504; above 29000 (API Gateway's default) " +
      'only once the account\'s Service Quotas quota "Maximum integration timeout in milliseconds" is raised, which may lower ' +
      "its account-level throttle quota (open to this API because it is Regional or private; see docs/quotas.md)",
    default: DEFAULT_INTEGRATION_TIMEOUT_MS,
    constraint: INTEGRATION_TIMEOUT_MS,
    module: {
      description:
        "Milliseconds API Gateway waits for a route's integration before it answers 504 (50 to 300000). Above 29000 needs the " +
        'account\'s Service Quotas quota "Maximum integration timeout in milliseconds" raised, which may lower its account-level ' +
        "throttle quota. An EXPRESS workflow's TimeoutSeconds must fit in it.",
    },
  }),
  accessLogs: boolean({
    description: "JSON access logs of the stage (need the account-level API Gateway CloudWatch role)",
    default: DEFAULT_ACCESS_LOGS,
  }),
  methodLoggingLevel: choice(METHOD_LOGGING_LEVELS, {
    description: 'execution logging level of every method: "OFF", "ERROR" or "INFO" (never request bodies)',
    default: DEFAULT_METHOD_LOGGING_LEVEL,
    constraint: METHOD_LOGGING_LEVEL,
    module: {
      description:
        'API Gateway execution logging of every method: "OFF", "ERROR" or "INFO" (never request bodies). Needs the account-level API Gateway CloudWatch role.',
    },
  }),
  manageApiGatewayAccount: boolean({
    description: "manage the account-level API Gateway CloudWatch role in this stack",
    default: false,
  }),
  allowUnauthenticated: boolean({
    description: 'confirms authorization "NONE" (anyone with the URL can start the workflows)',
    default: false,
    module: { description: 'Confirms authorization = "NONE": anyone who knows the URL can then start the workflows.' },
  }),
  createKmsKey: boolean({
    description: "create a customer managed KMS key for the log groups and state machines",
    default: false,
  }),
  managedPoliciesPerRole: integer({
    description: "customer managed policies a role may get past IAM's inline quota (IAM's quota: 10, up to 20 when raised)",
    default: IAM_POLICY_QUOTAS.managedPoliciesPerRole,
    constraint: MANAGED_POLICIES_PER_ROLE,
  }),
  kmsKeyArn: text({
    description: "existing KMS key ARN for the log groups and state machines",
    default: "",
    constraint: KMS_KEY_ARN,
  }),
  apiGatewayTrustConditions: boolean({
    description: "aws:SourceAccount/aws:SourceArn conditions on the roles API Gateway assumes (undocumented by AWS: try first)",
    default: false,
  }),
  wafWebAclArn: text({
    description: "regional WAFv2 web ACL to associate with the stage",
    default: "",
    constraint: WEB_ACL_ARN,
    module: { description: 'ARN of a regional WAFv2 web ACL to associate with the stage ("" for none).' },
  }),
  customDomainName: text({
    description: "custom domain of the API (TLS 1.2)",
    default: "",
    constraint: DOMAIN_NAME,
  }),
  certificateArn: text({
    description: "ACM certificate of the custom domain, in the API's region",
    default: "",
    constraint: CERTIFICATE_ARN,
  }),
  customDomainBasePath: text({
    description: "path of the stage under the custom domain (empty: the root)",
    default: "",
    constraint: BASE_PATH,
  }),
  disableExecuteApiEndpoint: boolean({
    description: "turn off the default execute-api endpoint (needs the custom domain)",
    default: false,
  }),
  allowedSourceAccounts: text({
    description: "comma-separated accounts whose IAM principals may invoke the API (resource policy; AWS_IAM only)",
    default: "",
    constraint: SOURCE_ACCOUNTS,
  }),
  allowedVpcEndpoints: text({
    description: "comma-separated VPC endpoints the API is reached through (makes it a private API)",
    default: "",
    constraint: VPC_ENDPOINTS,
  }),
  instanceSubnetId: text({
    description: "subnet of the demo instance (empty: the default VPC)",
    default: "",
    constraint: SUBNET_ID,
    module: {
      description:
        'Subnet of the demo instance ("" for the default VPC). It gets no public IP: reaching Systems Manager needs a NAT gateway or VPC endpoints.',
      onlyWithInstance: true,
    },
  }),
  instanceSsm: boolean({
    description: "SSM instance profile (AmazonSSMManagedInstanceCore) and HTTPS egress for the demo instance",
    default: false,
  }),
  moduleOutput: boolean({
    description: "also write the reusable Terraform module (stack apigw-sfn-module; npm run synth:module sets it)",
    default: false,
  }),
  templatesDir: text({
    description: "folder of the workflows' template and schema files (relative to the project); a workflow's files must lie inside it",
    default: "templates",
  }),
  apiDefinition: choice(API_DEFINITIONS, {
    description:
      'how the REST API is defined in Terraform: "resources" (a resource per method, integration, response and path) or "openapi" (one OpenAPI 3.0 document as the API\'s body: a few API Gateway calls per plan and apply whatever the number of routes; docs/architecture.md)',
    default: DEFAULT_API_DEFINITION,
    constraint: API_DEFINITION,
  }),
  maxApiResources: integer({
    description: `API Gateway's "Resources per API" quota, once AWS has raised it for this API (every path segment and the root count; see docs/quotas.md)`,
    default: RESOURCES_PER_API.limit,
    constraint: MAX_API_RESOURCES,
  }),
  maxIamRoles: integer({
    description: `IAM's "Roles in an AWS account" quota, once AWS has raised it (the stack creates a role per workflow, and the account's other roles count too)`,
    default: ROLES_PER_ACCOUNT.limit,
    constraint: MAX_IAM_ROLES,
  }),
  maxResourcePolicyLength: integer({
    description: `API Gateway's "Length, in characters, of API Gateway resource policy" quota, once AWS has raised it (allowedSourceAccounts and allowedVpcEndpoints make the policy)`,
    default: RESOURCE_POLICY_LENGTH.limit,
    constraint: MAX_RESOURCE_POLICY_LENGTH,
  }),
};

type Declarations = typeof DECLARATIONS;
/** The key of a setting in cdktf.json context. */
export type SettingKey = keyof Declarations;
/** Every setting's value, typed by its declaration. */
export type SettingValues = { readonly [K in SettingKey]: Declarations[K]["default"] };

/** Every fact the rules between settings read is a setting: a type that is `never` (and fails to compile below) otherwise. */
type RuleFactsAreSettings = [ApiFact] extends [SettingKey] ? true : never;
const RULE_FACTS_ARE_SETTINGS: RuleFactsAreSettings = true;
void RULE_FACTS_ARE_SETTINGS;

export interface AppConfig extends SettingValues {
  /**
   * Folder of the workflows' template and schema files, absolute once loaded; a workflow's files
   * must lie inside it. @default the project's templates/
   */
  readonly templatesDir: string;
  /**
   * The workflows and their routes: cdktf.json context "workflows", or the JSON file named by
   * APIGW_SFN_WORKFLOWS_FILE (a list, or an object with a "workflows" list).
   * @default the article's two (DEFAULT_WORKFLOWS)
   */
  readonly workflows: readonly WorkflowConfig[];
  /**
   * Terraform Cloud (or Enterprise) workspace that holds the state and runs `cdktf deploy`, from
   * TF_CLOUD_ORGANIZATION and TF_WORKSPACE (and TF_CLOUD_HOSTNAME). Both set: a `cloud` block
   * replaces the local backend; the organization chooses Terraform Cloud, TF_WORKSPACE alone does not.
   * @default none: a local backend, state in the stack folder
   */
  readonly cloud?: { readonly organization: string; readonly workspace: string; readonly hostname?: string };
}

/** One configurable setting, as SETTINGS lists it: its declaration with its key and environment variable. */
export interface Setting {
  readonly key: SettingKey;
  readonly env: string;
  readonly description: string;
  readonly kind: Kind;
  readonly default: string | number | boolean;
  /** What the (typed) value must be, as declared by the construct that owns the prop. @default any value of the kind */
  readonly constraint?: Constraint;
  /** Whether and how the reusable module exposes it. @default fixed into the module */
  readonly module?: ModuleVariable;
}

/** A setting key in snake_case: its module variable's name (logExecutionData: log_execution_data). */
export function terraformName(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** A setting's environment variable: APIGW_SFN_ and its key in SNAKE_CASE. */
export function environmentVariable(key: string): string {
  return `APIGW_SFN_${terraformName(key).toUpperCase()}`;
}

/** The settings, in the order docs/configuration.md documents them. */
export const SETTINGS: readonly Setting[] = Object.entries(DECLARATIONS).map(([key, declaration]) => ({
  key: key as SettingKey,
  env: environmentVariable(key),
  ...declaration,
}));

/** Thrown for a bad configuration value; the message names the setting and its source. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export interface LoadConfigOptions {
  /** The `context` object (as in cdktf.json). @default {} */
  readonly context?: Readonly<Record<string, unknown>>;
  /** Environment variables. @default {} */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where the context came from, for messages. @default "cdktf.json context" */
  readonly contextSource?: string;
  /** The folder relative settings (templatesDir) start from. @default the project's folder */
  readonly projectDir?: string;
}

/** The project's folder: relative settings start here, whatever the working directory. */
const PROJECT_DIR = path.dirname(TEMPLATES_DIR);

/** Context keys that belong to cdktf itself, not to this project. */
const CDKTF_CONTEXT_KEY = /^(@?cdktf|excludeStackIdFromLogicalIds|allowSepCharsInLogicalIds)/;

/** Converts an environment variable's text to the setting's type, or returns a problem. */
function fromText(kind: Kind, text: string): { value?: string | number | boolean; problem?: string } {
  if (kind === "string") return { value: text };
  if (kind === "integer") return /^-?\d+$/.test(text) ? { value: Number(text) } : { problem: "is not a whole number" };
  if (text === "true" || text === "false") return { value: text === "true" };
  return { problem: 'must be "true" or "false"' };
}

/** Builds the configuration from context and environment, validating every value. */
export function loadConfig(options: LoadConfigOptions = {}): AppConfig {
  const context = options.context ?? {};
  const env = options.env ?? {};
  const contextSource = options.contextSource ?? "cdktf.json context";
  const known = [...SETTINGS.map((s) => s.key as string), "workflows"];
  const problems: string[] = [];
  for (const key of Object.keys(context)) {
    if (!known.includes(key) && !CDKTF_CONTEXT_KEY.test(key)) {
      problems.push(`${contextSource}: unknown setting "${key}" (known: ${known.join(", ")})`);
    }
  }
  const config: Record<string, unknown> = {};
  for (const s of SETTINGS) {
    let value: unknown = s.default;
    let source = "default";
    const fromEnv = env[s.env];
    if (fromEnv !== undefined && fromEnv !== "") {
      source = `environment variable ${s.env}`;
      const parsed = fromText(s.kind, fromEnv);
      if (parsed.problem) {
        problems.push(`${source}: ${JSON.stringify(fromEnv)} ${parsed.problem}`);
        continue;
      }
      value = parsed.value;
    } else if (context[s.key] !== undefined) {
      value = context[s.key];
      source = `${contextSource} "${s.key}"`;
    }
    const expected = s.kind === "integer" ? "number" : s.kind;
    if (typeof value !== expected || (s.kind === "integer" && !Number.isInteger(value))) {
      problems.push(`${source}: expected ${s.kind === "integer" ? "a whole number" : `a ${s.kind}`}, got ${JSON.stringify(value)}`);
      continue;
    }
    const problem = s.constraint && constraintProblem(s.constraint, value as string | number);
    if (problem) problems.push(`${source}: ${JSON.stringify(value)} ${problem}`);
    config[s.key] = value;
  }
  const templatesDir = path.resolve(options.projectDir ?? PROJECT_DIR, String(config.templatesDir ?? "templates"));
  config.templatesDir = templatesDir;
  const workflowsFile = env.APIGW_SFN_WORKFLOWS_FILE;
  try {
    if (workflowsFile) {
      let parsed: unknown;
      try {
        parsed = parseJsonText(fs.readFileSync(path.resolve(workflowsFile), "utf8"));
      } catch (error) {
        const reason = error instanceof JsonSyntaxError ? `is not valid JSON: ${error.message}` : "cannot be read";
        throw new Error(`environment variable APIGW_SFN_WORKFLOWS_FILE: ${workflowsFile} ${reason}`);
      }
      const list = Array.isArray(parsed) ? parsed : (parsed as { workflows?: unknown })?.workflows;
      config.workflows = parseWorkflows(list, workflowsFile, templatesDir);
    } else {
      config.workflows = parseWorkflows(
        context.workflows ?? DEFAULT_WORKFLOWS,
        context.workflows ? contextSource : "default workflows",
        templatesDir,
      );
    }
  } catch (error) {
    problems.push((error as Error).message);
  }
  const organization = env.TF_CLOUD_ORGANIZATION || undefined;
  const workspace = env.TF_WORKSPACE || undefined;
  if (organization && workspace) {
    if (!/^[A-Za-z0-9_-]{1,90}$/.test(workspace)) {
      problems.push(`environment variable TF_WORKSPACE: ${JSON.stringify(workspace)} must hold letters, digits, hyphens or underscores`);
    }
    config.cloud = { organization, workspace, ...(env.TF_CLOUD_HOSTNAME ? { hostname: env.TF_CLOUD_HOSTNAME } : {}) };
  } else if (organization) {
    problems.push("Terraform Cloud needs both TF_CLOUD_ORGANIZATION and TF_WORKSPACE; only TF_CLOUD_ORGANIZATION is set");
  }
  // TF_WORKSPACE alone is Terraform's own variable, which picks a workspace of any backend (local
  // ones too: "Managing Workspaces", Terraform CLI documentation): the configured backend stays.
  problems.push(...combinationProblems(config));
  if (problems.length > 0) {
    throw new ConfigError(`invalid configuration:\n  - ${problems.join("\n  - ")}`);
  }
  return config as unknown as AppConfig;
}

/**
 * The rules between settings (workflow-api-rules.ts, which WorkflowApi and the module's variables
 * check too), each naming the settings; a rule that reads a setting with a bad value is skipped.
 */
function combinationProblems(config: Record<string, unknown>): string[] {
  return WORKFLOW_API_RULES.filter(
    (rule) => factsOf(rule.forbid).every((fact) => fact in config) && holds(rule.forbid, (fact) => config[fact]),
  ).map((rule) => ruleProblem(rule, (fact) => fact));
}

/** Reads the `context` object of a cdktf.json file (absent file or key: empty context). */
export function readCdktfContext(cdktfJsonPath: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(cdktfJsonPath, "utf8");
  } catch {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = parseJsonText(text);
  } catch (error) {
    throw new ConfigError(`${path.basename(cdktfJsonPath)} is not valid JSON: ${(error as Error).message}`);
  }
  const context = (parsed as { context?: unknown }).context;
  if (context === undefined) return {};
  if (typeof context !== "object" || context === null || Array.isArray(context)) {
    throw new ConfigError(`${path.basename(cdktfJsonPath)}: "context" must be an object`);
  }
  return context as Record<string, unknown>;
}
