/**
 * An API-Gateway-faithful renderer of REST API mapping templates (Velocity Template Language).
 *
 * API Gateway runs Apache Velocity 1.7 on Java, and reads JSON with json-smart (behind Jayway
 * JsonPath). This module takes velocityjs's lexer and render loop, and overrides what differs
 * between JavaScript and Java: string literals (no backslash escapes), whitespace gobbling, block
 * checking, printing (Java's toString), null handling, operators, #if and #foreach, and method calls
 * (Java String, Map and List methods, with Java regular expressions).
 *
 * __tests__/lang/vtl-conformance.test.ts renders the stack's templates and edge templates over
 * generated requests with this module and with the real engine (Velocity 1.7, json-smart 2.2,
 * Jayway JsonPath 2.0.0, commons-lang 2.6 on Java), and expects byte-identical output but for the
 * divergences listed, with their sources, in __tests__/lang/vtl-divergences.json.
 *
 * Where API Gateway differs from plain Velocity 1.7, API Gateway wins:
 * - a null or undefined reference prints as nothing (plain Velocity prints its source text), and
 *   `null == ""` is true (LocalStack's AWS-validated snapshot test_input_path_template_formatting);
 * - an empty body reads as `{}`; a body that does not start like JSON reads as one string (json-smart
 *   is permissive); one that starts with `{`, `[` or `"` but is not JSON fails the render
 *   (API Gateway answers 400 "Could not process payload");
 * - maps print as `{k=v, k2=v2}`, lists read from JSON print as compact JSON (json-smart JSONArray),
 *   and $input.json writes json-smart's default style ("/" as "\/").
 */
import type { VELOCITY_AST } from "velocityjs/dist/src/type";
import { parseVtl } from "./parse";
import { toJava } from "./java-values";
import { UTIL, createContext, createInput, readResponseOverride, type MappingRequest, type RenderResult } from "./variables";
import { ApiGatewayCompile } from "./render";

export type { MappingRequest, RenderResult } from "./variables";
export { VELOCITY_LEXER_FILE } from "./parse";

/**
 * Renders a mapping template as API Gateway does, in a fresh Velocity context.
 *
 * Throws where API Gateway fails the request: the template does not parse; the template reads a
 * body that starts like JSON but is not JSON; a Java method throws (an invalid regular expression,
 * an index out of bounds...). Unsupported JSONPath or Java regex features also throw.
 */
export function renderMappingTemplate(template: string, request: MappingRequest): RenderResult {
  const asts = parsedTemplate(template);
  const context = createContext(request);
  const variables: Record<string, unknown> = Object.create(null);
  variables.input = createInput(request);
  variables.util = UTIL;
  variables.context = context;
  variables.stageVariables = toJava({ ...request.stageVariables });
  const output = new ApiGatewayCompile(asts).run(variables);
  return { output, responseOverride: readResponseOverride(context.get("responseOverride")) };
}

/** Parsed templates by text (rendering does not change them): an API renders the same few for every request. */
const RENDERED = new Map<string, VELOCITY_AST[]>();

function parsedTemplate(template: string): VELOCITY_AST[] {
  let asts = RENDERED.get(template);
  if (!asts) {
    asts = parseVtl(template, "mapping template");
    if (RENDERED.size >= 256) RENDERED.delete(RENDERED.keys().next().value!);
    RENDERED.set(template, asts);
  }
  return asts;
}

/** Templates (with the source their errors would name) that parsed: synth checks the same ones for every workflow. */
const PARSED = new Map<string, Set<string>>();

/** Throws an Error whose message names `source` and the line/column when the template does not parse. */
export function parseMappingTemplate(template: string, source: string): void {
  if (PARSED.get(source)?.has(template)) return;
  parseVtl(template, source);
  if (!PARSED.has(source)) PARSED.set(source, new Set());
  PARSED.get(source)!.add(template);
}
