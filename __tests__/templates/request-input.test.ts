/**
 * Request data in the execution input (a workflow's `input`), as the synthesized start templates
 * build it: for any request, however adversarial its headers, query string, path parameters and
 * $context values (quotes, backslashes, `"},"stateMachineArn":"x`, VTL `$` and `#`, Terraform
 * `${`, unicode, control characters, newlines), the call to Step Functions has exactly its fields
 * with the state machine's ARN, and its input is the documented object holding exactly the
 * request's values. Velocity 1.7 renders the same templates identically: vtl-conformance.test.ts.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { REQUEST_CONTEXT_FIELDS, REQUEST_CONTEXT_FIELD_NAMES, type RequestContextField } from "../../lang/request-input";
import type { MappingRequest } from "../../lang/vtl";
import { TEMPLATES_DIR } from "../../stacks/constructs/template-files";
import { DEFAULT_WORKFLOWS, parseWorkflows } from "../../stacks/workflows";
import { Route } from "../support/api-gateway";
import { localStack, resource } from "../support/stack-json";
import { synthStack } from "../support/synth";

const ARN = (name: string) => `arn:aws:states:us-east-1:123456789012:stateMachine:apigw-sfn-${name}`;
const ECHO_ASL = { StartAt: "Echo", States: { Echo: { Type: "Pass", End: true } } };

/** The headers the workflows name: one in an odd case, and the three kept out unless named. */
const NAMED = ["X-Tenant", "authorization", "x-trace_id"];
const ORDERS_INPUT = {
  path: true,
  querystring: true,
  header: NAMED,
  requestContext: REQUEST_CONTEXT_FIELD_NAMES,
  authorizer: true,
};
const JOBS_INPUT = { path: true, querystring: true, header: ["Idempotency-Key", "X-Tenant"] };

let orders: Route;
let jobs: Route;
let plain: Route;
let json: Record<string, any>;
beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-input-"));
  fs.cpSync(TEMPLATES_DIR, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "state-machines", "echo.asl.json.tftpl"), JSON.stringify(ECHO_ASL));
  const echo = "state-machines/echo.asl.json.tftpl";
  const workflows = parseWorkflows(
    [
      { name: "orders", type: "EXPRESS", templateFile: echo, path: "orders/{id}/lines/{line}", input: ORDERS_INPUT },
      { name: "jobs", type: "STANDARD", templateFile: echo, path: "jobs/{kind}", statusPath: "job-runs", method: "GET", input: JOBS_INPUT },
      { name: "plain", type: "EXPRESS", templateFile: echo, path: "plain", input: { header: ["X-Tenant"] } },
    ],
    "test",
    dir,
  ).map((w) => ({ ...w, templateFile: path.join(dir, w.templateFile) }));
  const synth = synthStack({ workflows });
  json = synth.json;
  const stack = localStack(synth.stackDir);
  orders = new Route(stack, "orders_start");
  jobs = new Route(stack, "jobs_start");
  plain = new Route(stack, "plain_start");
});

/** Text with what breaks templates and JSON. */
const tricky = fc.oneof(
  fc.string({
    unit: fc.constantFrom(
      "'",
      '"',
      "\\",
      "/",
      "\n",
      "\r",
      "\t",
      "\u0000",
      "\u001f",
      "\u2028",
      "$",
      "#",
      "{",
      "}",
      ":",
      ",",
      "a",
      "é",
      "🚀",
      "\ud800",
    ),
    maxLength: 20,
  }),
  fc.constantFrom(
    '"},"stateMachineArn":"x',
    '\\", \\"stateMachineArn\\": \\"arn:aws:states:us-east-1:666666666666:stateMachine:evil',
    "$input.body #set($x = 1) ${state_machine_arn} %{ if true }",
    "\\'",
    "it's",
    "",
  ),
  fc.string({ maxLength: 12 }),
);
const headerName = fc.oneof(
  fc.constantFrom(
    "X-Tenant",
    "x-tenant",
    "X-TENANT",
    "Authorization",
    "AUTHORIZATION",
    "Cookie",
    "X-Api-Key",
    "x-trace_id",
    "Idempotency-Key",
  ),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,10}$/),
);
const request = fc.record({
  body: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v === null ? {} : v)),
  headers: fc.dictionary(headerName, tricky, { maxKeys: 5 }),
  queryString: fc.dictionary(tricky, tricky, { maxKeys: 3 }),
  pathParameters: fc.record({ id: tricky, line: tricky, kind: tricky }),
  // Every field a workflow may ask for (else lang/vtl/ gives its own defaults), some absent from identity.
  context: fc.record({
    ...Object.fromEntries(
      [
        "accountId",
        "apiId",
        "domainName",
        "extendedRequestId",
        "httpMethod",
        "path",
        "protocol",
        "requestTime",
        "resourceId",
        "resourcePath",
        "stage",
      ].map((field) => [field, tricky]),
    ),
    requestId: fc.uuid(),
    requestTimeEpoch: fc.nat(),
    identity: fc.record(
      Object.fromEntries(
        REQUEST_CONTEXT_FIELD_NAMES.filter((f) => REQUEST_CONTEXT_FIELDS[f].startsWith("identity.")).map((f) => [
          REQUEST_CONTEXT_FIELDS[f].slice("identity.".length),
          tricky,
        ]),
      ),
      // lang/vtl/ gives these two defaults when absent; the others may be absent (null).
      { requiredKeys: ["sourceIp", "userAgent"] },
    ),
    authorizer: fc.oneof(
      fc.record({ principalId: tricky, tenant: tricky }),
      fc.record({ claims: fc.dictionary(tricky, tricky, { maxKeys: 3 }) }),
      fc.constant({}),
    ),
  }),
});
type Request = MappingRequest & {
  headers: Record<string, string>;
  queryString: Record<string, string>;
  pathParameters: Record<string, string>;
  context: Record<string, any>;
};

/** The header a name finds, as HTTP compares names: case-insensitively; the last one sent wins. */
function header(headers: Record<string, string>, name: string): string | undefined {
  let found: string | undefined;
  for (const [sent, value] of Object.entries(headers)) if (sent.toLowerCase() === name.toLowerCase()) found = value;
  return found;
}

/** The input docs/api.md documents for a request: the oracle. */
function documented(
  r: Request,
  input: { path?: boolean; querystring?: boolean; header?: string[]; requestContext?: string[]; authorizer?: boolean },
  withBody: boolean,
) {
  const out: Record<string, unknown> = {};
  if (withBody) out.body = JSON.parse(r.body);
  if (input.path) out.path = r.pathParameters;
  if (input.querystring) out.querystring = r.queryString;
  if (input.header?.length) {
    out.header = Object.fromEntries(
      input.header.flatMap((name) => (header(r.headers, name) === undefined ? [] : [[name, header(r.headers, name)]])),
    );
  }
  if (input.requestContext?.length) {
    out.requestContext = Object.fromEntries(
      input.requestContext.map((field) => {
        let value: any = r.context;
        for (const key of REQUEST_CONTEXT_FIELDS[field as RequestContextField].split(".")) value = value?.[key];
        return [field, value === undefined || value === null || value === "" ? null : String(value)];
      }),
    );
  }
  if (input.authorizer) out.authorizer = r.context.authorizer;
  return out;
}

/** Java (and so API Gateway) writes an unpaired surrogate as "?" in UTF-8; the oracle's strings are compared after the same. */
const wellFormed = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value).replace(/\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/gi, "?"));

function call(route: Route, r: Request): Record<string, unknown> {
  const text = route.integrationRequest(r.body, r);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`the call to Step Functions is not JSON:\n${text}\n${error}`);
  }
}

describe("request data in the input", () => {
  it("holds exactly the request's values in the documented shape, and nothing in them changes the call", () => {
    fc.assert(
      fc.property(request, (r) => {
        const made = call(orders, r as Request);
        expect(Object.keys(made).sort()).toEqual(["input", "stateMachineArn"]);
        expect(made.stateMachineArn).toBe(ARN("orders"));
        expect(wellFormed(JSON.parse(made.input as string))).toEqual(wellFormed(documented(r as Request, ORDERS_INPUT, true)));
      }),
      { numRuns: 300 },
    );
  });

  it("builds a GET route's input from the request alone, and keeps StartExecution's idempotent name", () => {
    fc.assert(
      fc.property(request, (r) => {
        const made = call(jobs, r as Request);
        expect(Object.keys(made).sort()).toEqual(["input", "name", "stateMachineArn"]);
        expect(made.stateMachineArn).toBe(ARN("jobs"));
        const key = header(r.headers, "idempotency-key");
        expect(made.name).toBe(
          key === undefined || key === "" ? r.context.requestId : /^[A-Za-z0-9_-]{1,80}$/.test(key) ? key : "invalid idempotency key",
        );
        expect(wellFormed(JSON.parse(made.input as string))).toEqual(wellFormed(documented(r as Request, JOBS_INPUT, false)));
      }),
      { numRuns: 200 },
    );
  });

  it("never includes Authorization, Cookie or X-Api-Key unless the workflow names them", () => {
    const r = {
      body: "{}",
      headers: { Authorization: "Bearer secret", Cookie: "session=secret", "X-Api-Key": "secret", "x-tenant": "acme" },
      context: { requestId: "r" },
    };
    const input = JSON.parse(call(plain, r as never).input as string);
    expect(input).toEqual({ body: {}, header: { "X-Tenant": "acme" } });
  });

  it("gives a $context field API Gateway has no value for as null", () => {
    const input = JSON.parse(
      call(orders, { body: "{}", context: { requestId: "r", identity: { sourceIp: "1.2.3.4" } } } as never).input as string,
    );
    expect(input.requestContext.caller).toBeNull();
    expect(input.requestContext.userArn).toBeNull();
    expect(input.requestContext.sourceIp).toBe("1.2.3.4");
  });
});

describe("routes with path parameters and GET", () => {
  it("requires every path parameter of the route", () => {
    expect(resource(json, "aws_api_gateway_method", "orders_start_method").request_parameters).toEqual({
      "method.request.path.id": true,
      "method.request.path.line": true,
    });
  });

  it("makes a GET start route with no request model", () => {
    const method = resource(json, "aws_api_gateway_method", "jobs_start_method");
    expect(method.http_method).toBe("GET");
    expect(method.request_models).toBeUndefined();
    expect(method.request_parameters).toEqual({ "method.request.path.kind": true });
  });
});

describe("the integration, given its props directly (not through configuration)", () => {
  const express = DEFAULT_WORKFLOWS[0];

  it("refuses a header name that would reach the template's VTL as code", () => {
    expect(() => synthStack({ workflows: [{ ...express, input: { header: ["X-Tenant')) #set($x = 1) ##"] } }] })).toThrow(
      /workflow express: "input.header" must be a list of header names/,
    );
  });

  it("refuses input for a request template of a team's own that cannot take it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-own-template-"));
    const own = path.join(dir, "own.request.vtl.tftpl");
    fs.writeFileSync(own, '{"input": "$util.escapeJavaScript($input.json(\'$\'))", "stateMachineArn": "${state_machine_arn}"}\n');
    expect(() => synthStack({ workflows: [express], mappingTemplates: { syncRequest: own } })).not.toThrow();
    expect(() => synthStack({ workflows: [{ ...express, input: {} }], mappingTemplates: { syncRequest: own } })).toThrow(
      /workflow express: "input" needs a request template that uses \$\{request_input\}/,
    );
  });
});
