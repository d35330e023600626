import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { IConstruct } from "constructs";
import { Token } from "cdktf";
import { TemplateError, type TemplateValue, readTemplate, renderTemplate, toTerraformString } from "../../lang/terraform-template";
import { VELOCITY_LEXER_FILE, parseMappingTemplate } from "../../lang/vtl";
import { checkOnce } from "./accepted-cache";
import { MAPPING_TEMPLATE_SIZE, checkQuota } from "./aws-quotas";
import { TEMPLATES_DIR, forOutputFormat, resolveTemplateFile } from "./template-files";

let parserVersion: string | null | undefined;

/**
 * What decides whether the VTL parser accepts a template: the sources of lang/vtl (every file) and
 * the velocityjs lexer they use. Null when they cannot be read: every template is then parsed.
 */
function vtlParserVersion(): string | null {
  if (parserVersion === undefined) {
    try {
      const hash = crypto.createHash("sha1");
      const vtlDir = path.join(TEMPLATES_DIR, "..", "lang", "vtl");
      for (const name of fs.readdirSync(vtlDir).sort()) hash.update(`\0${name}\0`).update(fs.readFileSync(path.join(vtlDir, name)));
      hash.update(fs.readFileSync(VELOCITY_LEXER_FILE));
      parserVersion = `vtl parser ${hash.digest("hex")}`;
    } catch {
      parserVersion = null;
    }
  }
  return parserVersion;
}

/**
 * Loads an API Gateway mapping template (VTL in a Terraform template file) for use as an
 * integration's request or response template.
 *
 * The file is checked while synthesizing: its Terraform variables are exactly the ones passed,
 * and the text it renders to is valid VTL. The result is the template's text with each variable
 * replaced by its value (cdktf tokens become Terraform references), ready to be inlined into the
 * synthesized configuration, where Terraform renders it exactly as templatefile() would.
 *
 * @param file path of the template; a relative path is resolved against `templates/`
 */
export function mappingTemplate(scope: IConstruct, file: string, variables: Readonly<Record<string, TemplateValue>> = {}): string {
  const absolute = resolveTemplateFile(file);
  const template = readTemplate(absolute);
  const sample = Object.fromEntries(Object.keys(variables).map((name) => [name, `sample-${name}`]));
  const rendered = renderTemplate(template, sample);
  const parse = () => {
    try {
      parseMappingTemplate(rendered, absolute);
    } catch (error) {
      throw new TemplateError(absolute, `is not a valid mapping template: ${(error as Error).message}`);
    }
  };
  // velocityjs's lexer takes milliseconds a template: what it accepted once is not parsed again.
  const version = vtlParserVersion();
  if (version === null) parse();
  else checkOnce(version, rendered, parse);
  // Its size as API Gateway will hold it: a value Terraform decides (a state machine's ARN) counted
  // at its longest, 256 characters (Step Functions API Reference, stateMachineArn "Maximum length of 256").
  const longest = Object.fromEntries(
    Object.entries(variables).map(([name, value]) => [
      name,
      typeof value === "string" && Token.isUnresolved(value) ? "x".repeat(256) : value,
    ]),
  );
  checkQuota(MAPPING_TEMPLATE_SIZE, Buffer.byteLength(renderTemplate(template, longest)), {
    what: `the mapping template ${displayPath(absolute)}`,
  });
  return forOutputFormat(scope, toTerraformString(template, variables));
}

/** Whether a mapping template file (a relative path starts at `templates/`) uses a Terraform variable. */
export function mappingTemplateUses(file: string, variable: string): boolean {
  return readTemplate(resolveTemplateFile(file)).variables.includes(variable);
}

/** A path as messages show it: relative to the working directory when inside it. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

/**
 * Loads a gateway response template. API Gateway does not run these through VTL: it only
 * substitutes $context variables, so only the Terraform variables are checked.
 */
export function gatewayResponseTemplate(scope: IConstruct, file: string, variables: Readonly<Record<string, TemplateValue>>): string {
  return forOutputFormat(scope, toTerraformString(readTemplate(resolveTemplateFile(file)), variables));
}
