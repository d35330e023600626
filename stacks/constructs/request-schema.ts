/** JSON schemas of request bodies, as API Gateway models use them (JSON Schema draft 4). */
import * as fs from "node:fs";
import { TemplateError } from "../../lang/terraform-template";
import { parseJsonText } from "../../lang/json";
import { checkOnce } from "./accepted-cache";
import { resolveTemplateFile } from "./template-files";

export interface RequestSchema {
  /** Absolute path of the schema file. */
  readonly file: string;
  /** Model name: the schema's title (letters and digits, as API Gateway requires). */
  readonly name: string;
  /** The schema's text, unchanged. */
  readonly text: string;
  readonly schema: Record<string, unknown>;
}

/**
 * Reads a request body schema and checks it while synthesizing: valid JSON, a draft-4 schema that
 * compiles, and a title usable as a model name. A relative path is resolved against `templates/`.
 */
export function readRequestSchema(file: string): RequestSchema {
  const absolute = resolveTemplateFile(file);
  let text: string;
  try {
    text = fs.readFileSync(absolute, "utf8");
  } catch {
    throw new TemplateError(absolute, "cannot read request schema: file not found");
  }
  let schema: Record<string, unknown>;
  try {
    schema = parseJsonText(text) as Record<string, unknown>;
  } catch (error) {
    throw new TemplateError(absolute, `is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    throw new TemplateError(absolute, "is not a JSON schema object");
  }
  // Compiling takes a fresh Ajv and its meta-schema tens of milliseconds: a schema text that
  // compiled once is not compiled again (accepted-cache.ts), and Ajv is loaded only to compile.
  const versions = `ajv-draft-04 ${require("ajv-draft-04/package.json").version}, ajv ${require("ajv/package.json").version}`;
  checkOnce(versions, text, () => {
    const Ajv04: typeof import("ajv-draft-04").default = require("ajv-draft-04").default;
    try {
      new Ajv04({ allErrors: true, strict: false }).compile(schema);
    } catch (error) {
      throw new TemplateError(absolute, `is not a valid JSON Schema (draft 4): ${(error as Error).message}`);
    }
  });
  const name = schema.title;
  if (typeof name !== "string" || !/^[A-Za-z0-9]{1,64}$/.test(name)) {
    throw new TemplateError(absolute, 'needs a "title" of letters and digits: it becomes the API Gateway model name');
  }
  return { file: absolute, name, text, schema };
}
