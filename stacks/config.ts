/**
 * The project's configuration: every setting, its default, and where it is read from.
 *
 * Values come from, in order of precedence: environment variables (`APIGW_SFN_*`), the
 * `context` object of cdktf.json, then the defaults below. Everything is validated here, so a
 * bad value stops synth with a message naming the setting and where it came from.
 */
import * as fs from "fs";
import * as path from "path";

/** How API Gateway authorizes callers of the workflow routes. */
export type Authorization = "AWS_IAM" | "NONE";

export interface AppConfig {
  /** AWS region to deploy to. @default "us-east-1" */
  readonly region: string;
  /** Prefix of every resource name (state machines, roles, API). @default "apigw-sfn" */
  readonly projectName: string;
  /** Name of the API Gateway stage, the last part of the invoke URL. @default "v1" */
  readonly stageName: string;
  /** EC2 instance type of the demo instance the workflows start and stop. @default "t3.nano" */
  readonly instanceType: string;
  /**
   * Authorization of the workflow routes: "AWS_IAM" requires SigV4-signed requests, "NONE" lets
   * anyone who knows the URL start workflows (the article's demo setting).
   * @default "AWS_IAM"
   */
  readonly authorization: Authorization;
}

/** One configurable setting: its key in cdktf.json context, its environment variable, its check. */
interface Setting<K extends keyof AppConfig> {
  readonly key: K;
  readonly env: string;
  readonly description: string;
  readonly default: AppConfig[K];
  /** Returns a problem description, or undefined when the value is acceptable. */
  readonly check: (value: string) => string | undefined;
}

function setting<K extends keyof AppConfig>(s: Setting<K>): Setting<K> {
  return s;
}

/** The settings, in the order the README documents them. */
export const SETTINGS = [
  setting({
    key: "region",
    env: "APIGW_SFN_REGION",
    description: "AWS region to deploy to",
    default: "us-east-1",
    check: (v) => (/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(v) ? undefined : "is not an AWS region name such as us-east-1"),
  }),
  setting({
    key: "projectName",
    env: "APIGW_SFN_PROJECT_NAME",
    description: "prefix of every resource name",
    default: "apigw-sfn",
    check: (v) =>
      /^[A-Za-z][A-Za-z0-9-]{0,31}$/.test(v)
        ? undefined
        : "must start with a letter and hold 1 to 32 letters, digits or hyphens (it prefixes state machine, role and API names)",
  }),
  setting({
    key: "stageName",
    env: "APIGW_SFN_STAGE_NAME",
    description: "API Gateway stage name (last part of the invoke URL)",
    default: "v1",
    check: (v) => (/^[A-Za-z0-9_-]{1,128}$/.test(v) ? undefined : "must hold 1 to 128 letters, digits, hyphens or underscores"),
  }),
  setting({
    key: "instanceType",
    env: "APIGW_SFN_INSTANCE_TYPE",
    description: "EC2 instance type of the demo instance",
    default: "t3.nano",
    check: (v) => (/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(v) ? undefined : "is not an EC2 instance type such as t3.nano"),
  }),
  setting({
    key: "authorization",
    env: "APIGW_SFN_AUTHORIZATION",
    description: 'authorization of the workflow routes: "AWS_IAM" (SigV4) or "NONE"',
    default: "AWS_IAM" as Authorization,
    check: (v) => (v === "AWS_IAM" || v === "NONE" ? undefined : 'must be "AWS_IAM" or "NONE"'),
  }),
] as const;

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
}

/** Builds the configuration from context and environment, validating every value. */
export function loadConfig(options: LoadConfigOptions = {}): AppConfig {
  const context = options.context ?? {};
  const env = options.env ?? {};
  const contextSource = options.contextSource ?? "cdktf.json context";
  const known = new Set<string>(SETTINGS.map((s) => s.key));
  const problems: string[] = [];
  for (const key of Object.keys(context)) {
    if (!known.has(key) && !key.startsWith("cdktf") && !key.startsWith("@cdktf") && !key.startsWith("excludeStackId") && !key.startsWith("allowSepChars")) {
      problems.push(`${contextSource}: unknown setting "${key}" (known: ${[...known].join(", ")})`);
    }
  }
  const config: Record<string, unknown> = {};
  for (const s of SETTINGS) {
    let value: unknown = s.default;
    let source = "default";
    if (context[s.key] !== undefined) {
      value = context[s.key];
      source = `${contextSource} "${s.key}"`;
    }
    const fromEnv = env[s.env];
    if (fromEnv !== undefined && fromEnv !== "") {
      value = fromEnv;
      source = `environment variable ${s.env}`;
    }
    if (typeof value !== "string") {
      problems.push(`${source}: expected a string, got ${JSON.stringify(value)}`);
      continue;
    }
    const problem = s.check(value);
    if (problem) problems.push(`${source}: ${JSON.stringify(value)} ${problem}`);
    config[s.key] = value;
  }
  if (problems.length > 0) {
    throw new ConfigError(`invalid configuration:\n  - ${problems.join("\n  - ")}`);
  }
  return config as unknown as AppConfig;
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
    parsed = JSON.parse(text);
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
