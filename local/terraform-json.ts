/**
 * Reading a synthesized Terraform JSON configuration (cdktf's cdk.tf.json) the way Terraform
 * would evaluate the parts the local emulator needs: its resource and data blocks, the
 * `${type.name.attribute}` references inside strings, and the `templatefile()` calls cdktf writes
 * for state machine definitions.
 *
 * Values Terraform only knows after apply (ARNs, IDs) get local stand-ins computed from the
 * configuration (a state machine's ARN from its name, the region and the local account ID). A
 * reference that has no literal value and no local stand-in is an error naming the reference and
 * where it was found: the emulator never guesses.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PLACEHOLDER_ACCOUNT_ID, stateMachineArn } from "../lang/aws";
import { parseTemplate, renderTemplate } from "../lang/terraform-template";

/** A resource, data or provider block of the configuration. */
export type Block = Readonly<Record<string, unknown>>;

/** The top-level shape of a Terraform JSON configuration. */
export interface TerraformJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Block>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, Block>>>>;
  readonly provider?: Readonly<Record<string, readonly Block[] | Block>>;
  readonly variable?: Readonly<Record<string, Block>>;
  readonly locals?: Readonly<Record<string, unknown>>;
  readonly output?: Readonly<Record<string, Block>>;
}

/** The account ID every local ARN carries (the one AWS documentation uses). */
export const LOCAL_ACCOUNT_ID = PLACEHOLDER_ACCOUNT_ID;

/** Thrown when the configuration holds something the local emulator cannot evaluate. */
export class StackReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackReadError";
  }
}

/** Values that exist only once Terraform has applied the configuration, and what stands in for them locally. */
export interface LocalValues {
  readonly region: string;
  readonly accountId: string;
  /** Local instance IDs, given in order to the configuration's aws_instance resources (sorted by name). */
  readonly instanceIds: readonly string[];
  /** The local invoke URL of the stage, for `aws_api_gateway_stage.*.invoke_url`; unknown until the server listens. */
  readonly invokeUrl?: string;
}

/** Computes an attribute Terraform knows only after apply, from the block and the local values. */
type Computed = (block: Block, name: string, stack: TerraformStackJson) => string | undefined;

/**
 * Local stand-ins for computed attributes, by "<resource type>.<attribute>" (data sources as
 * "data.<type>.<attribute>"). An attribute the block sets literally is read from the block instead.
 */
const COMPUTED: Readonly<Record<string, Computed>> = {
  "aws_sfn_state_machine.arn": (block, name, stack) => stack.stateMachineArn(name, block),
  "aws_sfn_state_machine.id": (block, name, stack) => stack.stateMachineArn(name, block),
  "aws_iam_role.arn": (block, name, stack) =>
    `arn:aws:iam::${stack.local.accountId}:role/${stack.literal(block, "name", `aws_iam_role.${name}`) ?? name}`,
  "aws_iam_role.id": (block, name, stack) => stack.literal(block, "name", `aws_iam_role.${name}`) ?? name,
  "aws_api_gateway_rest_api.id": () => "local",
  "aws_api_gateway_rest_api.root_resource_id": () => "root",
  "aws_api_gateway_resource.id": (_block, name) => `resource-${name}`,
  "aws_api_gateway_request_validator.id": (_block, name) => `validator-${name}`,
  "aws_api_gateway_model.id": (_block, name) => `model-${name}`,
  "aws_api_gateway_deployment.id": (_block, name) => `deployment-${name}`,
  "aws_api_gateway_stage.invoke_url": (_block, _name, stack) => stack.local.invokeUrl,
  "aws_instance.id": (_block, name, stack) => stack.instanceId(name),
  "aws_instance.arn": (_block, name, stack) => {
    const id = stack.instanceId(name);
    return id && `arn:aws:ec2:${stack.local.region}:${stack.local.accountId}:instance/${id}`;
  },
  "data.aws_caller_identity.account_id": (_block, _name, stack) => stack.local.accountId,
  "data.aws_caller_identity.id": (_block, _name, stack) => stack.local.accountId,
  "data.aws_region.name": (_block, _name, stack) => stack.local.region,
  "data.aws_region.region": (_block, _name, stack) => stack.local.region,
  "data.aws_region.id": (_block, _name, stack) => stack.local.region,
  "data.aws_partition.partition": () => "aws",
  "data.aws_partition.id": () => "aws",
  "data.aws_partition.dns_suffix": () => "amazonaws.com",
};

/** A synthesized configuration, with its folder (where `templatefile()` paths are relative to). */
export class TerraformStackJson {
  private readonly resolving = new Set<string>();

  constructor(
    readonly json: TerraformJson,
    /** The stack's folder: holds cdk.tf.json and assets/. */
    readonly dir: string,
    readonly local: LocalValues,
  ) {}

  /** Reads `<dir>/cdk.tf.json`. */
  static read(dir: string, local: LocalValues): TerraformStackJson {
    const file = path.join(dir, "cdk.tf.json");
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      throw new StackReadError(`${file} does not exist: synthesize the stack first (npm run synth)`);
    }
    try {
      return new TerraformStackJson(JSON.parse(text) as TerraformJson, dir, local);
    } catch (error) {
      throw new StackReadError(`${file} is not valid JSON: ${(error as Error).message}`);
    }
  }

  /** The region the aws provider is configured with (the first aws provider block). */
  static providerRegion(json: TerraformJson): string | undefined {
    const aws = json.provider?.aws;
    const block = Array.isArray(aws) ? aws[0] : aws;
    const region = (block as Block | undefined)?.region;
    return typeof region === "string" ? region : undefined;
  }

  /** All resource blocks of a type, by Terraform name, in name order. */
  resources(type: string): Array<[string, Block]> {
    return Object.entries(this.json.resource?.[type] ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** One resource block, or undefined. */
  resource(type: string, name: string): Block | undefined {
    return this.json.resource?.[type]?.[name];
  }

  /**
   * Renders a string of the configuration as Terraform does: `${reference}` replaced by its value,
   * `$${` and `%%{` unescaped. `where` names the place in errors.
   */
  render(text: string, where: string): string {
    let parsed: ReturnType<typeof parseTemplate>;
    try {
      parsed = parseTemplate(text, where, { references: true });
    } catch (error) {
      throw new StackReadError(`${where}: the local API cannot evaluate this Terraform expression: ${(error as Error).message}`);
    }
    const values: Record<string, string> = {};
    for (const reference of parsed.variables) values[reference] = this.reference(reference, where);
    return renderTemplate(parsed, values);
  }

  /** The value of a reference such as `aws_sfn_state_machine.express.arn`; throws naming it when unknown. */
  reference(reference: string, where: string): string {
    const value = this.tryReference(reference, where);
    if (value === undefined) {
      throw new StackReadError(
        `${where}: cannot resolve the Terraform reference \${${reference}}: it is known only once Terraform applies ` +
          "the configuration, and the local API has no local value for it",
      );
    }
    return value;
  }

  private tryReference(reference: string, where: string): string | undefined {
    const parts = reference.split(".");
    if (parts[0] === "var" && parts.length === 2) {
      const value = this.json.variable?.[parts[1]]?.default;
      return this.scalar(value, `var.${parts[1]}`, where);
    }
    if (parts[0] === "path" && parts.length === 2 && ["module", "root", "cwd"].includes(parts[1])) {
      // The stack's folder, where Terraform runs: paths are resolved against it.
      return ".";
    }
    if (parts[0] === "local" && parts.length === 2) {
      return this.scalar(this.json.locals?.[parts[1]], `local.${parts[1]}`, where);
    }
    const isData = parts[0] === "data";
    const [type, name, attribute, ...rest] = isData ? parts.slice(1) : parts;
    if (!type || !name || !attribute || rest.length > 0) return undefined;
    const block = isData ? this.json.data?.[type]?.[name] : this.json.resource?.[type]?.[name];
    if (block === undefined) {
      throw new StackReadError(`${where}: the reference \${${reference}} names no block of the configuration`);
    }
    const literal = this.literal(block, attribute, reference);
    if (literal !== undefined) return literal;
    const computed = COMPUTED[`${isData ? "data." : ""}${type}.${attribute}`];
    return computed?.(block, name, this);
  }

  /** A literal string, number or boolean attribute of a block, rendered; undefined when absent or not scalar. */
  literal(block: Block, attribute: string, label: string): string | undefined {
    return this.scalar(block[attribute], label, label);
  }

  private scalar(value: unknown, label: string, where: string): string | undefined {
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    if (typeof value !== "string") return undefined;
    if (this.resolving.has(label)) throw new StackReadError(`${where}: the reference ${label} refers to itself`);
    this.resolving.add(label);
    try {
      return this.render(value, label);
    } finally {
      this.resolving.delete(label);
    }
  }

  /** The local ARN of a state machine: `arn:aws:states:<region>:<account>:stateMachine:<name>`. */
  stateMachineArn(terraformName: string, block: Block): string {
    const name = this.literal(block, "name", `aws_sfn_state_machine.${terraformName}.name`) ?? terraformName;
    return stateMachineArn("aws", this.local.region, this.local.accountId, name);
  }

  /** The local instance ID standing in for an aws_instance resource (in name order), if there are enough. */
  instanceId(terraformName: string): string | undefined {
    const index = this.resources("aws_instance").findIndex(([name]) => name === terraformName);
    return index >= 0 ? this.local.instanceIds[index] : undefined;
  }

  /** The file a templatefile() path names (`${path.module}/assets/…` or `assets/…`), resolved against the stack's folder. */
  templatefilePath(templatePath: string, where = "templatefile()"): string {
    return path.resolve(this.dir, this.render(templatePath, `${where} (templatefile path)`));
  }

  /**
   * Evaluates a state machine `definition`: cdktf's `${templatefile("assets/…", {…})}` (the template
   * read from the stack's folder and rendered as Terraform does), or a literal JSON string.
   * Returns the parsed definition and where it came from.
   */
  definition(text: string, where: string): { definition: Record<string, unknown>; source: string } {
    let rendered: string;
    let source: string;
    const call = /^\$\{templatefile\(/.test(text) ? parseTemplatefileCall(text, where) : undefined;
    if (call) {
      const file = this.templatefilePath(call.path, where);
      let template: string;
      try {
        template = fs.readFileSync(file, "utf8");
      } catch {
        throw new StackReadError(`${where}: templatefile() reads ${call.path}, which is not in ${this.dir}`);
      }
      const values: Record<string, string | number> = {};
      for (const [name, value] of Object.entries(call.variables)) {
        values[name] = value.kind === "reference" ? this.reference(value.text, `${where} (templatefile variable ${name})`) : value.value;
      }
      try {
        rendered = renderTemplate(parseTemplate(template, file), values);
      } catch (error) {
        throw new StackReadError(`${where}: ${(error as Error).message}`);
      }
      source = path.relative(this.dir, file);
    } else {
      rendered = this.render(text, where);
      source = "inline";
    }
    let definition: unknown;
    try {
      definition = JSON.parse(rendered);
    } catch (error) {
      throw new StackReadError(`${where}: the definition is not JSON once rendered: ${(error as Error).message}`);
    }
    if (typeof definition !== "object" || definition === null || Array.isArray(definition)) {
      throw new StackReadError(`${where}: the definition is not a JSON object`);
    }
    return { definition: definition as Record<string, unknown>, source };
  }
}

/** One argument value of a templatefile() call: a literal, or a bare reference Terraform resolves. */
export type TemplatefileValue =
  | { readonly kind: "literal"; readonly value: string | number }
  | { readonly kind: "reference"; readonly text: string };

/**
 * Splits a `${templatefile("path", {"name" = value, …})}` expression, as cdktf writes it, into the
 * path and the variables. Values are numbers, booleans, quoted strings (JSON escapes) or bare
 * references (`aws_instance.demo.arn`); anything else is refused with a message naming it.
 */
export function parseTemplatefileCall(
  expression: string,
  where = "templatefile()",
): { path: string; variables: Record<string, TemplatefileValue> } {
  const match = /^\$\{templatefile\(\s*("(?:[^"\\]|\\.)*")\s*,\s*\{(.*)\}\s*\)\}$/s.exec(expression);
  if (!match) throw new StackReadError(`${where}: not a templatefile("path", {…}) call the local API can read: ${expression}`);
  const file = JSON.parse(match[1]) as string;
  const variables: Record<string, TemplatefileValue> = {};
  let rest = match[2].trim();
  const token = (pattern: RegExp): string | undefined => {
    const found = pattern.exec(rest);
    if (!found) return undefined;
    rest = rest.slice(found[0].length).trimStart();
    return found[1] ?? found[0];
  };
  while (rest.length > 0) {
    const key = token(/^("(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_-]*)\s*(?:=|:)\s*/);
    if (key === undefined) throw new StackReadError(`${where}: cannot read the templatefile() arguments at: ${rest}`);
    const name = key.startsWith('"') ? (JSON.parse(key) as string) : key;
    let value: TemplatefileValue;
    const literal = token(/^("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false)/);
    if (literal !== undefined) {
      const parsed = JSON.parse(literal) as string | number | boolean;
      if (typeof parsed === "string" && parsed.includes("${")) {
        throw new StackReadError(
          `${where}: templatefile() variable ${name} is an interpolated string, which the local API does not evaluate`,
        );
      }
      value = { kind: "literal", value: typeof parsed === "boolean" ? String(parsed) : parsed };
    } else {
      const reference = token(/^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)+/);
      if (reference === undefined) {
        throw new StackReadError(`${where}: templatefile() variable ${name} is an expression the local API does not evaluate: ${rest}`);
      }
      value = { kind: "reference", text: reference };
    }
    variables[name] = value;
    if (rest.length > 0 && token(/^,/) === undefined) {
      throw new StackReadError(`${where}: expected "," between templatefile() arguments at: ${rest}`);
    }
  }
  return { path: file, variables };
}
