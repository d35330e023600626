/** $input, $util, $context. Part of the mapping-template renderer: see index.ts. */
import { createHash, randomUUID } from "node:crypto";
import { PLACEHOLDER_ACCOUNT_ID } from "../aws";
import { Host, isMap, isNull, isPlainObject, javaError, javaToString, toJava, toJson, type JavaMap, type Overloads } from "./java-values";
import { parsePayload, selectJsonPath } from "./json";
import { notNull } from "./java-methods";

export function createInput(request: MappingRequest): Host {
  const body = request.body === "" ? "{}" : request.body; // API Gateway reads an empty body as {}
  let parsed: { value: unknown } | undefined;
  const root = () => {
    parsed ??= { value: parsePayload(body) };
    // Jayway JsonPath reads no path in a null document (IllegalArgumentException).
    if (parsed.value === null) throw new Error("JSONPath: root can not be null (the payload is the JSON null)");
    return parsed.value;
  };
  const params = toJava({
    path: { ...request.pathParameters },
    querystring: { ...request.queryString },
    header: { ...request.headers },
  }) as Map<string, JavaMap>;
  /** A parameter by name: path, then query string, then header (exact case first); "" when absent. */
  const param = (name: string) => {
    for (const map of [params.get("path")!, params.get("querystring")!]) if (map.has(name)) return map.get(name);
    const headers = params.get("header")!;
    const header = headers.has(name) ? name : [...headers.keys()].find((h) => h.toLowerCase() === name.toLowerCase());
    return header === undefined ? "" : headers.get(header);
  };
  return new Host({
    getBody: { "": () => body },
    json: {
      s: (_: Host, jsonPath: string) => {
        const value = selectJsonPath(root(), notNull(jsonPath));
        return value === undefined ? '""' : toJson(value);
      },
    },
    path: { s: (_: Host, jsonPath: string) => selectJsonPath(root(), notNull(jsonPath)) ?? null },
    params: { "": () => params, o: (_: Host, name: unknown) => (isNull(name) ? "" : param(javaToString(name))) },
  });
}

/** Java writes an unpaired surrogate as "?" when it encodes UTF-8. */
const wellFormed = (text: string) => text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "?");

/** Java's URLEncoder.encode(s, "UTF-8"): space as "+"; only A-Z a-z 0-9 . - * _ kept. */
function urlEncode(text: string): string {
  return encodeURIComponent(wellFormed(text))
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

/** Java's URLDecoder.decode(s, "UTF-8"): "+" as space, runs of %XX as UTF-8. */
function urlDecode(text: string): string {
  return text.replace(/\+/g, " ").replace(/(?:%[0-9a-fA-F]{2})+|%.{0,2}/g, (run) => {
    if (!/^(?:%[0-9a-fA-F]{2})+$/.test(run))
      throw javaError("IllegalArgumentException", `URLDecoder: illegal hex characters in escape (%) pattern: ${run}`);
    return Buffer.from(run.replace(/%/g, ""), "hex").toString("utf8");
  });
}

const JS_ESCAPES: Readonly<Record<string, string>> = {
  "\b": "\\b",
  "\n": "\\n",
  "\t": "\\t",
  "\f": "\\f",
  "\r": "\\r",
  "'": "\\'",
  '"': '\\"',
  "\\": "\\\\",
  "/": "\\/",
};

/**
 * commons-lang 2 StringEscapeUtils.escapeJavaScript: the escapes above, other chars below 0x20 and
 * all above 0x7f as \uXXXX (uppercase hex, per UTF-16 unit: an astral char gives two).
 */
function escapeJavaScript(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const code = text.charCodeAt(i);
    if (Object.hasOwn(JS_ESCAPES, ch)) out += JS_ESCAPES[ch];
    else if (code > 0x7f || code < 0x20) out += `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;
    else out += ch;
  }
  return out;
}

/** A $util function of a string: null gives null; other values are converted with toString. */
const stringFunction = (fn: (text: string) => unknown): Overloads => ({
  o: (_: Host, value: unknown) => (isNull(value) ? null : fn(javaToString(value))),
});

export const UTIL = new Host({
  escapeJavaScript: stringFunction(escapeJavaScript),
  parseJson: stringFunction((text) => parsePayload(text, "the $util.parseJson argument")),
  urlEncode: stringFunction(urlEncode),
  urlDecode: stringFunction(urlDecode),
  base64Encode: stringFunction((text) => Buffer.from(wellFormed(text), "utf8").toString("base64")),
  base64Decode: stringFunction((text) => Buffer.from(text, "base64").toString("utf8")),
});

export function createContext(request: MappingRequest): JavaMap {
  type Fields = Record<string, unknown>;
  const now = new Date();
  const requestId = randomUUID();
  const pad = (n: number) => String(n).padStart(2, "0");
  const month = now.toLocaleString("en-US", { month: "short", timeZone: "UTC" });
  const defaults: Fields = {
    accountId: PLACEHOLDER_ACCOUNT_ID,
    apiId: "local",
    domainName: "localhost",
    domainPrefix: "localhost",
    extendedRequestId: createHash("sha256").update(requestId).digest("base64").slice(0, 16),
    httpMethod: "POST",
    path: "/",
    protocol: "HTTP/1.1",
    requestId,
    requestTime: `${pad(now.getUTCDate())}/${month}/${now.getUTCFullYear()}:${pad(now.getUTCHours())}:${pad(now.getUTCMinutes())}:${pad(now.getUTCSeconds())} +0000`,
    requestTimeEpoch: now.getTime(),
    resourceId: "local",
    resourcePath: "/",
    stage: "local",
    identity: { sourceIp: "127.0.0.1", userAgent: "local" },
    authorizer: {},
    requestOverride: { header: {}, path: {}, querystring: {} },
    responseOverride: { header: {} },
  };
  const merge = (base: Fields, extra: Readonly<Fields>): Fields => {
    const out = { ...base };
    for (const [key, value] of Object.entries(extra))
      out[key] = isPlainObject(out[key]) && isPlainObject(value) ? merge(out[key] as Fields, value) : value;
    return out;
  };
  return toJava(merge(defaults, request.context ?? {})) as JavaMap;
}

export function readResponseOverride(override: unknown): RenderResult["responseOverride"] {
  const header: Record<string, string> = {};
  if (!isMap(override)) return { header };
  const headers = override.get("header");
  if (isMap(headers)) for (const [name, value] of headers) if (!isNull(value)) header[name] = javaToString(value);
  const status = isNull(override.get("status")) ? NaN : Number(javaToString(override.get("status")));
  return Number.isInteger(status) ? { status, header } : { header };
}

/** The request (or integration response) a mapping template is rendered for. */
export interface MappingRequest {
  /** Raw request (or integration response) body text, as received. */
  readonly body: string;
  /** HTTP headers, for `$input.params()` and `$input.params(name)`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Query string parameters, for `$input.params()` and `$input.params(name)`. */
  readonly queryString?: Readonly<Record<string, string>>;
  /** Path parameters, for `$input.params()` and `$input.params(name)`. */
  readonly pathParameters?: Readonly<Record<string, string>>;
  /** Values of `$stageVariables`. */
  readonly stageVariables?: Readonly<Record<string, string>>;
  /** Values for $context (requestId, httpMethod, resourcePath, stage, identity.sourceIp, ...); sensible defaults otherwise. */
  readonly context?: Readonly<Record<string, unknown>>;
}

/** The rendered text, and what the template asked API Gateway to override in its response. */
export interface RenderResult {
  readonly output: string;
  /** What the template set in $context.responseOverride (status as number if set, headers set). */
  readonly responseOverride: { readonly status?: number; readonly header: Readonly<Record<string, string>> };
}
