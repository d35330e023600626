/** JSON schemas of request bodies, as API Gateway models use them (JSON Schema draft 4). */
import * as fs from "fs";
import Ajv04 from "ajv-draft-04";
import { TemplateError } from "../../lang/terraform-template";
import { parseJsonText } from "../../lang/json";
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
 * Schema texts that compiled: workflows usually share a schema, and compiling one takes a fresh Ajv
 * (and its meta-schema) tens of milliseconds, so each distinct text is compiled once per process.
 */
const COMPILED = new Set<string>();

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
  if (!COMPILED.has(text)) {
    try {
      new Ajv04({ allErrors: true, strict: false }).compile(schema);
    } catch (error) {
      throw new TemplateError(absolute, `is not a valid JSON Schema (draft 4): ${(error as Error).message}`);
    }
    COMPILED.add(text);
  }
  const name = schema.title;
  if (typeof name !== "string" || !/^[A-Za-z0-9]{1,64}$/.test(name)) {
    throw new TemplateError(absolute, 'needs a "title" of letters and digits: it becomes the API Gateway model name');
  }
  return { file: absolute, name, text, schema };
}
