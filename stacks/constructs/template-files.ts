/** Where template files come from, and how their text is handed to cdktf. */
import * as path from "node:path";
import { App } from "cdktf";
import type { IConstruct } from "constructs";

/** Folder of the templates that ship with the project: the default base of relative template paths. */
export const TEMPLATES_DIR = path.resolve(__dirname, "..", "..", "templates");

/** A template path: absolute as given, or relative to `baseDir` (default: the shipped templates). */
export function resolveTemplateFile(file: string, baseDir: string = TEMPLATES_DIR): string {
  return path.resolve(baseDir, file);
}

/**
 * Text as it must be handed to cdktf so that the JSON and the HCL output (`cdktf synth --hcl`,
 * the app's hclOutput) deploy byte-identical strings. cdktf writes a string holding a newline as an
 * HCL heredoc, which always ends in a newline: so text of several lines ends in exactly one newline
 * (given to cdktf without it for HCL), and text of one line ends in none.
 */
export function forOutputFormat(scope: IConstruct, text: string): string {
  const body = text.endsWith("\n") ? text.slice(0, -1) : text;
  if (!body.includes("\n")) return body;
  return App.of(scope).hclOutput ? body : `${body}\n`;
}
