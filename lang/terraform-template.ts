/**
 * The part of Terraform's template language (`templatefile()`, string templates) that our
 * `.tftpl` files may use: `${name}` references to variables, and the escapes `$${` and `%%{`.
 *
 * Expressions inside `${...}` and `%{...}` directives are refused on purpose: a template that
 * only references variables can be checked completely at synth time (every variable passed is
 * used, every variable used is passed) and rendered identically here and by Terraform.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** A value passed to a template: plain text or numbers, or a cdktf token that Terraform resolves. */
export type TemplateValue = string | number;

/** One piece of a parsed template: literal text (escapes already applied) or a variable reference. */
export type TemplatePart =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "variable"; readonly name: string; readonly line: number };

/** A template read from a file and parsed. */
export interface ParsedTemplate {
  /** Absolute path of the file. */
  readonly file: string;
  /** The file's text, unchanged. */
  readonly source: string;
  readonly parts: readonly TemplatePart[];
  /** Names of the variables the template references, in order of first use. */
  readonly variables: readonly string[];
}

/** Thrown when a template cannot be read, parsed, checked or validated. The message names the file. */
export class TemplateError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${displayPath(file)}: ${problem}`);
    this.name = "TemplateError";
  }
}

/** Path shown in messages: relative to the working directory when inside it. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const REFERENCE = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/;

export interface ParseTemplateOptions {
  /**
   * Accept dotted references (`${aws_sfn_state_machine.x.arn}`) as well as variable names: the
   * form of a string in a synthesized configuration, rather than of a template file.
   * @default false
   */
  readonly references?: boolean;
}

/** Parses template text; `file` is only used in error messages. */
export function parseTemplate(source: string, file: string, options: ParseTemplateOptions = {}): ParsedTemplate {
  const name = options.references ? REFERENCE : IDENTIFIER;
  const parts: TemplatePart[] = [];
  const variables: string[] = [];
  let text = "";
  let i = 0;
  const lineAt = (index: number): number => source.slice(0, index).split("\n").length;
  while (i < source.length) {
    if (source.startsWith("$${", i)) {
      text += "${";
      i += 3;
    } else if (source.startsWith("%%{", i)) {
      text += "%{";
      i += 3;
    } else if (source.startsWith("${", i)) {
      const end = source.indexOf("}", i + 2);
      if (end < 0) throw new TemplateError(file, `line ${lineAt(i)}: "\${" is never closed by "}"`);
      const inner = source
        .slice(i + 2, end)
        .replace(/^~/, "")
        .replace(/~$/, "")
        .trim();
      if (!name.test(inner)) {
        throw new TemplateError(
          file,
          `line ${lineAt(i)}: "\${${inner}}" is not a plain variable reference; ` +
            `only \${name} is supported (write $\${ for a literal "\${")`,
        );
      }
      if (text) parts.push({ kind: "text", text });
      text = "";
      parts.push({ kind: "variable", name: inner, line: lineAt(i) });
      if (!variables.includes(inner)) variables.push(inner);
      i = end + 1;
    } else if (source.startsWith("%{", i)) {
      throw new TemplateError(file, `line ${lineAt(i)}: template directives ("%{ ... }") are not supported (write %%{ for a literal "%{")`);
    } else {
      text += source[i];
      i += 1;
    }
  }
  if (text) parts.push({ kind: "text", text });
  return { file, source, parts, variables };
}

/** Reads and parses a template file, with a clear error when it is missing. */
export function readTemplate(file: string): ParsedTemplate {
  let source: string;
  try {
    source = fs.readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : String(error);
    throw new TemplateError(file, `cannot read template: ${reason}`);
  }
  return parseTemplate(source, file);
}

/**
 * Checks that the variables passed are exactly the variables the template uses:
 * none missing (Terraform would fail at plan time) and none unused (a sign of a mistake).
 */
export function checkTemplateVariables(template: ParsedTemplate, passed: readonly string[]): void {
  const missing = template.variables.filter((name) => !passed.includes(name));
  if (missing.length > 0) {
    throw new TemplateError(
      template.file,
      `the template uses ${missing.map((name) => `\${${name}}`).join(", ")} but no value is passed for ` +
        `${missing.length === 1 ? "it" : "them"}`,
    );
  }
  const unused = passed.filter((name) => !template.variables.includes(name));
  if (unused.length > 0) {
    throw new TemplateError(
      template.file,
      `variable${unused.length === 1 ? "" : "s"} ${unused.join(", ")} ${unused.length === 1 ? "is" : "are"} ` +
        `passed but the template never uses ${unused.length === 1 ? "it" : "them"}`,
    );
  }
}

/** Renders a template as Terraform's templatefile() does, with every variable given a value. */
export function renderTemplate(template: ParsedTemplate, values: Readonly<Record<string, TemplateValue>>): string {
  checkTemplateVariables(template, Object.keys(values));
  return template.parts.map((part) => (part.kind === "text" ? part.text : String(values[part.name]))).join("");
}

/**
 * Produces the template as a Terraform string expression: variables replaced by the given values
 * (cdktf tokens become Terraform references), and every literal "${" or "%{" escaped again so that
 * Terraform renders the text exactly as templatefile() would.
 */
export function toTerraformString(template: ParsedTemplate, values: Readonly<Record<string, TemplateValue>>): string {
  checkTemplateVariables(template, Object.keys(values));
  return template.parts
    .map((part) =>
      part.kind === "text" ? part.text.replace(/([$%])\{/g, (_, sigil: string) => `${sigil}${sigil}{`) : String(values[part.name]),
    )
    .join("");
}
