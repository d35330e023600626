import * as path from "path";
import {
  TEMPLATES_DIR,
  TemplateError,
  TemplateValue,
  readTemplate,
  renderTemplate,
  forOutputFormat,
  toTerraformString,
} from "../terraform-template";
import { parseMappingTemplate } from "../../local/vtl";

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
export function mappingTemplate(file: string, variables: Readonly<Record<string, TemplateValue>> = {}): string {
  const absolute = path.resolve(TEMPLATES_DIR, file);
  const template = readTemplate(absolute);
  const sample = Object.fromEntries(Object.keys(variables).map((name) => [name, `sample-${name}`]));
  const rendered = renderTemplate(template, sample);
  try {
    parseMappingTemplate(rendered, absolute);
  } catch (error) {
    throw new TemplateError(absolute, `is not a valid mapping template: ${(error as Error).message}`);
  }
  return forOutputFormat(toTerraformString(template, variables));
}

/**
 * Loads a gateway response template. API Gateway does not run these through VTL: it only
 * substitutes $context variables, so only the Terraform variables are checked.
 */
export function gatewayResponseTemplate(file: string, variables: Readonly<Record<string, TemplateValue>>): string {
  return forOutputFormat(toTerraformString(readTemplate(path.resolve(TEMPLATES_DIR, file)), variables));
}
