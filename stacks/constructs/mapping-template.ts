import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { IConstruct } from "constructs";
import { TemplateError, type TemplateValue, readTemplate, renderTemplate, toTerraformString } from "../../lang/terraform-template";
import { VELOCITY_LEXER_FILE, parseMappingTemplate } from "../../lang/vtl";
import { checkOnce } from "./accepted-cache";
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
  return forOutputFormat(scope, toTerraformString(template, variables));
}

/**
 * Loads a gateway response template. API Gateway does not run these through VTL: it only
 * substitutes $context variables, so only the Terraform variables are checked.
 */
export function gatewayResponseTemplate(scope: IConstruct, file: string, variables: Readonly<Record<string, TemplateValue>>): string {
  return forOutputFormat(scope, toTerraformString(readTemplate(resolveTemplateFile(file)), variables));
}
