/**
 * The README of a Terraform module, written from the module's own configuration the way
 * terraform-docs writes one: requirements, resources, inputs and outputs are read from the
 * synthesized JSON (cdk.tf.json's `terraform`, `resource`, `data`, `variable` and `output`), so the
 * tables cannot say anything the module does not declare. The prose around them (description,
 * notes) is the caller's.
 */

/** The parts of a synthesized Terraform JSON configuration the README is written from. */
export interface ModuleConfiguration {
  readonly terraform?: {
    readonly required_version?: string;
    readonly required_providers?: Readonly<Record<string, { readonly source?: string; readonly version?: string }>>;
  };
  readonly variable?: Readonly<Record<string, ModuleVariable>>;
  readonly output?: Readonly<Record<string, ModuleOutput>>;
  readonly resource?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface ModuleVariable {
  readonly type?: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly sensitive?: boolean;
  readonly nullable?: boolean;
  readonly validation?: readonly { readonly error_message?: string }[];
}

export interface ModuleOutput {
  readonly description?: string;
  readonly sensitive?: boolean;
}

export interface ModuleReadmeOptions {
  /** The heading: the module's folder name. */
  readonly title: string;
  /** Markdown paragraphs after the heading. */
  readonly description: string;
  /** Label of the usage example's module block. */
  readonly moduleName: string;
  /** Source of the usage example's module block. */
  readonly source: string;
  /**
   * Inputs the usage example sets, with their defaults, when the module has them (required inputs
   * are always set). `tags` is set to an example map. @default none
   */
  readonly usageInputs?: readonly string[];
  /** An output the usage example reads. @default the first output */
  readonly usageOutput?: string;
  /** Markdown paragraphs after the usage example. @default none */
  readonly notes?: string;
  /** How the README came to be, written under the heading. */
  readonly generatedBy: string;
}

/** The README text of a module. */
export function moduleReadme(configuration: ModuleConfiguration, options: ModuleReadmeOptions): string {
  const variables = Object.entries(configuration.variable ?? {});
  const outputs = Object.entries(configuration.output ?? {}).sort(([a], [b]) => compare(a, b));
  const required = ([, variable]: [string, ModuleVariable]) => !("default" in variable);
  // Required inputs first, then by name (terraform-docs' order).
  const inputs = variables.sort((a, b) => Number(required(b)) - Number(required(a)) || compare(a[0], b[0]));
  const sections = [
    `# ${options.title}`,
    `<!-- ${options.generatedBy} -->`,
    options.description.trim(),
    "## Usage",
    usage(configuration, inputs, outputs, options),
    ...(options.notes ? [options.notes.trim()] : []),
    "## Requirements",
    requirements(configuration),
    "## Resources",
    resources(configuration),
    "## Inputs",
    inputs.length === 0 ? "No inputs." : inputsTable(inputs),
    ...validations(inputs),
    "## Outputs",
    outputs.length === 0 ? "No outputs." : outputsTable(outputs),
  ];
  return `${sections.join("\n\n")}\n`;
}

function usage(
  configuration: ModuleConfiguration,
  inputs: readonly [string, ModuleVariable][],
  outputs: readonly [string, ModuleOutput][],
  options: ModuleReadmeOptions,
): string {
  const byName = new Map(inputs);
  const shown = inputs.filter(
    ([name, variable]) => !("default" in variable) || ((options.usageInputs ?? []).includes(name) && name !== "tags"),
  );
  // Aligned as terraform fmt aligns consecutive attributes.
  const width = Math.max(...shown.map(([name]) => name.length));
  const lines = [`module "${options.moduleName}" {`, `  source = ${JSON.stringify(options.source)}`];
  if (shown.length > 0) lines.push("");
  for (const [name, variable] of shown) {
    lines.push(`  ${name.padEnd(width)} = ${"default" in variable ? hclValue(variable.default) : `<${variable.type ?? "any"}>`}`);
  }
  if ((options.usageInputs ?? []).includes("tags") && byName.has("tags")) {
    lines.push("", "  tags = {", '    Environment = "prod"', "  }");
  }
  lines.push("}");
  const output = options.usageOutput && configuration.output?.[options.usageOutput] ? options.usageOutput : outputs[0]?.[0];
  if (output) lines.push("", `output "${output}" {`, `  value = module.${options.moduleName}.${output}`, "}");
  return ["```hcl", ...lines, "```"].join("\n");
}

function requirements(configuration: ModuleConfiguration): string {
  const rows: string[][] = [];
  if (configuration.terraform?.required_version) rows.push(["terraform", configuration.terraform.required_version]);
  for (const [name, provider] of Object.entries(configuration.terraform?.required_providers ?? {})) {
    rows.push([provider.source ? `${name} (${provider.source})` : name, provider.version ?? "any"]);
  }
  return rows.length === 0
    ? "No requirements."
    : table(
        ["Name", "Version"],
        rows.map(([name, version]) => [name, code(version)]),
      );
}

function resources(configuration: ModuleConfiguration): string {
  const rows: string[][] = [];
  for (const [kind, blocks] of [
    ["resource", configuration.resource],
    ["data source", configuration.data],
  ] as const) {
    for (const [type, named] of Object.entries(blocks ?? {})) {
      for (const name of Object.keys(named)) rows.push([code(`${kind === "data source" ? "data." : ""}${type}.${name}`), kind]);
    }
  }
  rows.sort((a, b) => compare(a[0], b[0]));
  return rows.length === 0 ? "No resources." : table(["Name", "Type"], rows);
}

function inputsTable(inputs: readonly [string, ModuleVariable][]): string {
  return table(
    ["Name", "Description", "Type", "Default", "Required"],
    inputs.map(([name, variable]) => [
      code(name),
      cell(variable.description ?? "") + (variable.sensitive ? " (sensitive)" : ""),
      code(variable.type ?? "any"),
      "default" in variable ? code(hclValue(variable.default)) : "n/a",
      "default" in variable ? "no" : "yes",
    ]),
  );
}

/** The validations' messages, which say what each checked input accepts, as a list after the table. */
function validations(inputs: readonly [string, ModuleVariable][]): string[] {
  const messages = inputs.flatMap(([name, variable]) =>
    (variable.validation ?? []).map((rule) => `- \`${name}\`: ${(rule.error_message ?? "").replace(/\r?\n/g, " ")}`),
  );
  return messages.length === 0 ? [] : ["Terraform refuses a value that fails a validation, with its message:", messages.join("\n")];
}

function outputsTable(outputs: readonly [string, ModuleOutput][]): string {
  return table(
    ["Name", "Description", "Sensitive"],
    outputs.map(([name, output]) => [code(name), cell(output.description ?? ""), output.sensitive ? "yes" : "no"]),
  );
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** Text for a table cell: no line breaks, no column separators, no HTML (`<name>` is text). */
function cell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Order by code points, the same on every machine whatever its locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Inline code for a table cell (a backtick inside takes a longer fence). */
function code(text: string): string {
  const fence = text.includes("`") ? "``" : "`";
  const padded = text.startsWith("`") || text.endsWith("`") ? ` ${text} ` : text;
  return `${fence}${padded.replace(/\r?\n/g, " ").replace(/\|/g, "\\|")}${fence}`;
}

/** A default value as Terraform writes it (JSON is HCL for strings, numbers, booleans, lists; objects need `=`). */
function hclValue(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(hclValue).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length === 0 ? "{}" : `{ ${entries.map(([key, item]) => `${JSON.stringify(key)} = ${hclValue(item)}`).join(", ")} }`;
  }
  return JSON.stringify(value);
}
