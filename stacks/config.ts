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
import { BURST_LIMIT, METHOD_LOGGING_LEVEL, type MethodLoggingLevel, RATE_LIMIT, STAGE_NAME } from "./constructs/api-stage";
import {
  MAX_API_RESOURCES,
  MAX_IAM_ROLES,
  MAX_RESOURCE_POLICY_LENGTH,
  RESOURCE_POLICY_LENGTH,
  RESOURCES_PER_API,
  ROLES_PER_ACCOUNT,
} from "./constructs/aws-quotas";
import { SUBNET_ID } from "./constructs/demo-instance";
import { BASE_PATH, CERTIFICATE_ARN, DOMAIN_NAME, SOURCE_ACCOUNTS, VPC_ENDPOINTS, WEB_ACL_ARN } from "./constructs/edge";
import { KMS_KEY_ARN } from "./constructs/kms-key";
import { MANAGED_POLICIES_PER_ROLE } from "./constructs/role";
import { AUTHORIZATION_CONSTRAINT, type Authorization } from "./constructs/route";
import { LOG_LEVELS, type LogLevel, RETENTION_DAYS_CONSTRAINT } from "./constructs/state-machine";
import { TEMPLATES_DIR } from "./constructs/template-files";
import { DEFAULT_WORKFLOWS, type WorkflowConfig, parseWorkflows } from "./workflows";

export interface AppConfig {
  /** AWS region to deploy to. @default "us-east-1" */
  readonly region: string;
  /** Prefix of every resource name (state machines, roles, API). @default "apigw-sfn" */
  readonly projectName: string;
  /** Name of the API Gateway stage, the last part of the invoke URL. @default "v1" */
  readonly stageName: string;
  /** EC2 instance type of the demo instance the workflows start and stop. @default "t3.nano" */
  readonly instanceType: string;
  /** Authorization of every route. "NONE" is the article's demo setting. @default "AWS_IAM" */
  readonly authorization: Authorization;
  /** Days CloudWatch keeps the workflows' (and access) logs. @default 365 (FSBP CloudWatch.16) */
  readonly logRetentionDays: number;
  /** Log level of EXPRESS workflows, whose history exists only in these logs. @default "ALL" */
  readonly expressLogLevel: LogLevel;
  /** Log level of STANDARD workflows (their history is also kept by Step Functions). @default "ERROR" */
  readonly standardLogLevel: LogLevel;
  /** Whether workflow logs include execution input and output (request bodies). @default false */
  readonly logExecutionData: boolean;
  /** X-Ray tracing of the state machines and the API stage. @default true */
  readonly tracing: boolean;
  /** Steady-state request rate allowed per second on the stage. @default 10 */
  readonly throttlingRateLimit: number;
  /** Burst of requests allowed on the stage. @default 20 */
  readonly throttlingBurstLimit: number;
  /** JSON access logs of the stage (needs the account-level API Gateway CloudWatch role). @default true */
  readonly accessLogs: boolean;
  /** Execution logging level of every method (needs the same role). @default "ERROR" */
  readonly methodLoggingLevel: MethodLoggingLevel;
  /**
   * Manage the account-level API Gateway CloudWatch role (one per account and region) in this
   * stack. Set it when access logs are on and the account has no such role yet.
   * @default false
   */
  readonly manageApiGatewayAccount: boolean;
  /** Confirms authorization "NONE": anyone with the URL can start the workflows. @default false */
  readonly allowUnauthenticated: boolean;
  /** Create a customer managed KMS key for the log groups and state machines. @default false */
  readonly createKmsKey: boolean;
  /**
   * Customer managed policies each IAM role may get when its statements outgrow IAM's inline
   * quota: 10 by default, up to 20 once the account's IAM quota is raised. @default 10
   */
  readonly managedPoliciesPerRole: number;
  /** An existing KMS key ARN for the log groups and state machines. @default "" (none) */
  readonly kmsKeyArn: string;
  /** aws:SourceAccount/aws:SourceArn conditions on the roles API Gateway assumes (not documented by AWS: try first). @default false */
  readonly apiGatewayTrustConditions: boolean;
  /** Regional WAFv2 web ACL ARN to associate with the stage. @default "" (none) */
  readonly wafWebAclArn: string;
  /** Custom domain of the API. @default "" (none) */
  readonly customDomainName: string;
  /** ACM certificate ARN of the custom domain. @default "" */
  readonly certificateArn: string;
  /** Base path of the stage under the custom domain. @default "" (the root) */
  readonly customDomainBasePath: string;
  /** Turn off the default execute-api endpoint (needs the custom domain). @default false */
  readonly disableExecuteApiEndpoint: boolean;
  /** Comma-separated accounts whose principals may invoke the API (resource policy). @default "" (any) */
  readonly allowedSourceAccounts: string;
  /** Comma-separated VPC endpoints the API is reached through (a private API). @default "" (regional API) */
  readonly allowedVpcEndpoints: string;
  /** Subnet of the demo instance. @default "" (the default VPC) */
  readonly instanceSubnetId: string;
  /** SSM instance profile and HTTPS egress for the demo instance. @default false */
  readonly instanceSsm: boolean;
  /**
   * Also write the reusable Terraform module (cdktf.out/stacks/apigw-sfn-module); `npm run
   * synth:module` sets it. Off, synth writes one stack and `cdktf deploy` needs no stack name.
   * @default false
   */
  readonly moduleOutput: boolean;
  /**
   * Folder of the workflows' template and schema files (absolute once loaded); a workflow's files
   * must lie inside it. @default the project's templates/
   */
  readonly templatesDir: string;
  /** API Gateway's "Resources per API" quota of this API, once AWS has raised it (docs/quotas.md). @default 300 */
  readonly maxApiResources: number;
  /** IAM's "Roles in an AWS account" quota of the account, once AWS has raised it (docs/quotas.md). @default 1000 */
  readonly maxIamRoles: number;
  /** API Gateway's resource policy length quota, once AWS has raised it (docs/quotas.md). @default 8192 */
  readonly maxResourcePolicyLength: number;
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

type Kind = "string" | "integer" | "boolean";

/** One configurable setting: its key in cdktf.json context, its environment variable, its constraint. */
export interface Setting {
  readonly key: Exclude<keyof AppConfig, "workflows" | "cloud">;
  readonly env: string;
  readonly description: string;
  readonly kind: Kind;
  readonly default: string | number | boolean;
  /** What the (typed) value must be, as declared by the construct that owns the prop. @default any value of the kind */
  readonly constraint?: Constraint;
}

/** The settings, in the order the README documents them. */
export const SETTINGS: readonly Setting[] = [
  {
    key: "region",
    env: "APIGW_SFN_REGION",
    description: "AWS region to deploy to",
    kind: "string",
    default: "us-east-1",
    constraint: { pattern: "^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$", problem: "is not an AWS region name such as us-east-1" },
  },
  {
    key: "projectName",
    env: "APIGW_SFN_PROJECT_NAME",
    description: "prefix of every resource name",
    kind: "string",
    default: "apigw-sfn",
    constraint: {
      pattern: "^[A-Za-z][A-Za-z0-9-]{0,31}$",
      problem: "must start with a letter and hold 1 to 32 letters, digits or hyphens (it prefixes state machine, role and API names)",
    },
  },
  {
    key: "stageName",
    env: "APIGW_SFN_STAGE_NAME",
    description: "API Gateway stage name (last part of the invoke URL)",
    kind: "string",
    default: "v1",
    constraint: STAGE_NAME,
  },
  {
    key: "instanceType",
    env: "APIGW_SFN_INSTANCE_TYPE",
    description: "EC2 instance type of the demo instance",
    kind: "string",
    default: "t3.nano",
    constraint: { pattern: "^[a-z][a-z0-9-]*[.][a-z0-9]+$", problem: "is not an EC2 instance type such as t3.nano" },
  },
  {
    key: "authorization",
    env: "APIGW_SFN_AUTHORIZATION",
    description: 'authorization of every route: "AWS_IAM" (SigV4), "API_KEY" (x-api-key header) or "NONE"',
    kind: "string",
    default: "AWS_IAM",
    constraint: AUTHORIZATION_CONSTRAINT,
  },
  {
    key: "logRetentionDays",
    env: "APIGW_SFN_LOG_RETENTION_DAYS",
    description: "days CloudWatch keeps the logs",
    kind: "integer",
    default: 365,
    constraint: RETENTION_DAYS_CONSTRAINT,
  },
  {
    key: "expressLogLevel",
    env: "APIGW_SFN_EXPRESS_LOG_LEVEL",
    description: "log level of EXPRESS workflows",
    kind: "string",
    default: "ALL",
    constraint: { oneOf: LOG_LEVELS },
  },
  {
    key: "standardLogLevel",
    env: "APIGW_SFN_STANDARD_LOG_LEVEL",
    description: "log level of STANDARD workflows",
    kind: "string",
    default: "ERROR",
    constraint: { oneOf: LOG_LEVELS },
  },
  {
    key: "logExecutionData",
    env: "APIGW_SFN_LOG_EXECUTION_DATA",
    description: "whether workflow logs include execution input and output (request bodies)",
    kind: "boolean",
    default: false,
  },
  {
    key: "tracing",
    env: "APIGW_SFN_TRACING",
    description: "X-Ray tracing of the state machines and the stage",
    kind: "boolean",
    default: true,
  },
  {
    key: "throttlingRateLimit",
    env: "APIGW_SFN_THROTTLING_RATE_LIMIT",
    description: "requests per second allowed on the stage",
    kind: "integer",
    default: 10,
    constraint: RATE_LIMIT,
  },
  {
    key: "throttlingBurstLimit",
    env: "APIGW_SFN_THROTTLING_BURST_LIMIT",
    description: "burst of requests allowed on the stage",
    kind: "integer",
    default: 20,
    constraint: BURST_LIMIT,
  },
  {
    key: "accessLogs",
    env: "APIGW_SFN_ACCESS_LOGS",
    description: "JSON access logs of the stage (need the account-level API Gateway CloudWatch role)",
    kind: "boolean",
    default: true,
  },
  {
    key: "methodLoggingLevel",
    env: "APIGW_SFN_METHOD_LOGGING_LEVEL",
    description: 'execution logging level of every method: "OFF", "ERROR" or "INFO" (never request bodies)',
    kind: "string",
    default: "ERROR",
    constraint: METHOD_LOGGING_LEVEL,
  },
  {
    key: "manageApiGatewayAccount",
    env: "APIGW_SFN_MANAGE_API_GATEWAY_ACCOUNT",
    description: "manage the account-level API Gateway CloudWatch role in this stack",
    kind: "boolean",
    default: false,
  },
  {
    key: "allowUnauthenticated",
    env: "APIGW_SFN_ALLOW_UNAUTHENTICATED",
    description: 'confirms authorization "NONE" (anyone with the URL can start the workflows)',
    kind: "boolean",
    default: false,
  },
  {
    key: "createKmsKey",
    env: "APIGW_SFN_CREATE_KMS_KEY",
    description: "create a customer managed KMS key for the log groups and state machines",
    kind: "boolean",
    default: false,
  },
  {
    key: "managedPoliciesPerRole",
    env: "APIGW_SFN_MANAGED_POLICIES_PER_ROLE",
    description: "customer managed policies a role may get past IAM's inline quota (IAM's quota: 10, up to 20 when raised)",
    kind: "integer",
    default: 10,
    constraint: MANAGED_POLICIES_PER_ROLE,
  },
  {
    key: "kmsKeyArn",
    env: "APIGW_SFN_KMS_KEY_ARN",
    description: "existing KMS key ARN for the log groups and state machines",
    kind: "string",
    default: "",
    constraint: KMS_KEY_ARN,
  },
  {
    key: "apiGatewayTrustConditions",
    env: "APIGW_SFN_API_GATEWAY_TRUST_CONDITIONS",
    description: "aws:SourceAccount/aws:SourceArn conditions on the roles API Gateway assumes (undocumented by AWS: try first)",
    kind: "boolean",
    default: false,
  },
  {
    key: "wafWebAclArn",
    env: "APIGW_SFN_WAF_WEB_ACL_ARN",
    description: "regional WAFv2 web ACL to associate with the stage",
    kind: "string",
    default: "",
    constraint: WEB_ACL_ARN,
  },
  {
    key: "customDomainName",
    env: "APIGW_SFN_CUSTOM_DOMAIN_NAME",
    description: "custom domain of the API (TLS 1.2)",
    kind: "string",
    default: "",
    constraint: DOMAIN_NAME,
  },
  {
    key: "certificateArn",
    env: "APIGW_SFN_CERTIFICATE_ARN",
    description: "ACM certificate of the custom domain, in the API's region",
    kind: "string",
    default: "",
    constraint: CERTIFICATE_ARN,
  },
  {
    key: "customDomainBasePath",
    env: "APIGW_SFN_CUSTOM_DOMAIN_BASE_PATH",
    description: "path of the stage under the custom domain (empty: the root)",
    kind: "string",
    default: "",
    constraint: BASE_PATH,
  },
  {
    key: "disableExecuteApiEndpoint",
    env: "APIGW_SFN_DISABLE_EXECUTE_API_ENDPOINT",
    description: "turn off the default execute-api endpoint (needs the custom domain)",
    kind: "boolean",
    default: false,
  },
  {
    key: "allowedSourceAccounts",
    env: "APIGW_SFN_ALLOWED_SOURCE_ACCOUNTS",
    description: "comma-separated accounts whose IAM principals may invoke the API (resource policy; AWS_IAM only)",
    kind: "string",
    default: "",
    constraint: SOURCE_ACCOUNTS,
  },
  {
    key: "allowedVpcEndpoints",
    env: "APIGW_SFN_ALLOWED_VPC_ENDPOINTS",
    description: "comma-separated VPC endpoints the API is reached through (makes it a private API)",
    kind: "string",
    default: "",
    constraint: VPC_ENDPOINTS,
  },
  {
    key: "instanceSubnetId",
    env: "APIGW_SFN_INSTANCE_SUBNET_ID",
    description: "subnet of the demo instance (empty: the default VPC)",
    kind: "string",
    default: "",
    constraint: SUBNET_ID,
  },
  {
    key: "instanceSsm",
    env: "APIGW_SFN_INSTANCE_SSM",
    description: "SSM instance profile (AmazonSSMManagedInstanceCore) and HTTPS egress for the demo instance",
    kind: "boolean",
    default: false,
  },
  {
    key: "moduleOutput",
    env: "APIGW_SFN_MODULE_OUTPUT",
    description: "also write the reusable Terraform module (stack apigw-sfn-module; npm run synth:module sets it)",
    kind: "boolean",
    default: false,
  },
  {
    key: "templatesDir",
    env: "APIGW_SFN_TEMPLATES_DIR",
    description: "folder of the workflows' template and schema files (relative to the project); a workflow's files must lie inside it",
    kind: "string",
    default: "templates",
  },
  {
    key: "maxApiResources",
    env: "APIGW_SFN_MAX_API_RESOURCES",
    description: `API Gateway's "Resources per API" quota, once AWS has raised it for this API (every path segment and the root count; see docs/quotas.md)`,
    kind: "integer",
    default: RESOURCES_PER_API.limit,
    constraint: MAX_API_RESOURCES,
  },
  {
    key: "maxIamRoles",
    env: "APIGW_SFN_MAX_IAM_ROLES",
    description: `IAM's "Roles in an AWS account" quota, once AWS has raised it (the stack creates a role per workflow, and the account's other roles count too)`,
    kind: "integer",
    default: ROLES_PER_ACCOUNT.limit,
    constraint: MAX_IAM_ROLES,
  },
  {
    key: "maxResourcePolicyLength",
    env: "APIGW_SFN_MAX_RESOURCE_POLICY_LENGTH",
    description: `API Gateway's "Length, in characters, of API Gateway resource policy" quota, once AWS has raised it (allowedSourceAccounts and allowedVpcEndpoints make the policy)`,
    kind: "integer",
    default: RESOURCE_POLICY_LENGTH.limit,
    constraint: MAX_RESOURCE_POLICY_LENGTH,
  },
];

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

/** Settings that only make sense together, or not at all together. */
function combinationProblems(config: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const requires = (when: boolean, problem: string) => {
    if (when) problems.push(problem);
  };
  requires(
    config.manageApiGatewayAccount === true && config.accessLogs === false && config.methodLoggingLevel === "OFF",
    'manageApiGatewayAccount is only needed when accessLogs is true or methodLoggingLevel is not "OFF"',
  );
  requires(
    config.authorization === "NONE" && config.allowUnauthenticated !== true,
    'authorization "NONE" lets anyone with the URL start the workflows: also set allowUnauthenticated (APIGW_SFN_ALLOW_UNAUTHENTICATED=true) to confirm',
  );
  requires(config.createKmsKey === true && config.kmsKeyArn !== "", "set createKmsKey or kmsKeyArn, not both");
  requires((config.customDomainName === "") !== (config.certificateArn === ""), "customDomainName and certificateArn go together");
  requires(config.customDomainBasePath !== "" && config.customDomainName === "", "customDomainBasePath needs customDomainName");
  requires(
    config.disableExecuteApiEndpoint === true && config.customDomainName === "",
    "disableExecuteApiEndpoint needs customDomainName: the API would be unreachable",
  );
  requires(
    config.allowedVpcEndpoints !== "" && config.customDomainName !== "",
    "allowedVpcEndpoints makes the API private: a regional customDomainName cannot serve it",
  );
  requires(
    config.allowedSourceAccounts !== "" && config.authorization !== "AWS_IAM",
    'allowedSourceAccounts needs authorization "AWS_IAM" (callers without an IAM principal would all be denied)',
  );
  return problems;
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
