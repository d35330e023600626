/**
 * Differential test of lang/vtl/ against the real engine: every mapping template the stack
 * synthesizes, and edge templates for the renderer's own features, rendered over generated
 * requests and Step Functions answers by the project's renderer and by Apache Velocity 1.7 on Java
 * (__tests__/support/velocity-reference, Debian's jars). Outputs must be byte-identical, with the
 * same status and header overrides (or both renders must fail), except where a divergence the
 * project keeps on purpose is listed, with its reason and source, in vtl-divergences.json.
 *
 * Needs Java and Debian's packages velocity, libjson-smart-java, libjsonpath-java and
 * libcommons-lang-java (.ci/run installs them). Without them the test is skipped, saying so, except
 * in CI (CI=true), where it fails. APIGW_SFN_VTL_CASES sets the cases per template (default 1000),
 * APIGW_SFN_VTL_SEED the seed (default fixed), and APIGW_SFN_VTL_REPORT=<file> writes the figures
 * of each template and every unexplained divergence to that file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { REQUEST_CONTEXT_FIELD_NAMES } from "../../lang/request-input";
import { renderMappingTemplate } from "../../lang/vtl";
import { apiResources, localStack, pathPartOf, resources } from "../support/stack-json";
import { DEFAULT_WORKFLOWS } from "../../stacks/workflows";
import type { AppConfig } from "../../stacks/config";
import { synthStack, testConfig } from "../support/synth";
import {
  DEBIAN_PACKAGES,
  type ReferenceCase,
  type ReferenceResult,
  referenceUnavailable,
  renderWithVelocity,
} from "../support/velocity-reference";

const CASES = Number(process.env.APIGW_SFN_VTL_CASES || 1000);
const SEED = Number(process.env.APIGW_SFN_VTL_SEED || 20240612);
const RUN_ALONE = "npx vitest run __tests__/lang/vtl-conformance.test.ts";

/** A divergence from plain Velocity 1.7 that the project keeps, and the reference emulates under the same id. */
interface Divergence {
  readonly id: string;
  readonly what: string;
  readonly reason: string;
  readonly source: string;
}
const DIVERGENCES: readonly Divergence[] = JSON.parse(fs.readFileSync(path.join(__dirname, "vtl-divergences.json"), "utf8")).divergences;

// ---------------------------------------------------------------------------------------------
// The request and context every case shares: fixed values, so both renderers see the same.
// ---------------------------------------------------------------------------------------------

/** Every $context field the project's renderer has, in its order (lang/vtl/ createContext). */
const CONTEXT = {
  accountId: "123456789012",
  apiId: "a1b2c3d4e5",
  domainName: "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
  domainPrefix: "a1b2c3d4e5",
  extendedRequestId: "Ab1Cd2Ef3Gh4Ij5=",
  httpMethod: "POST",
  path: "/v1/express-instance",
  protocol: "HTTP/1.1",
  requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
  requestTime: "12/Jun/2024:10:00:00 +0000",
  requestTimeEpoch: 1718186400000,
  resourceId: "abc123",
  resourcePath: "/express-instance",
  stage: "v1",
  identity: { sourceIp: "198.51.100.7", userAgent: "curl/8.5.0" },
  authorizer: {},
  requestOverride: { header: {}, path: {}, querystring: {} },
  responseOverride: { header: {} },
};

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/** Text with what breaks templates: quotes, backslashes, slashes, VTL, control and non-ASCII characters. */
const tricky = fc.string({
  unit: fc.constantFrom(
    "'",
    '"',
    "\\",
    "/",
    "\n",
    "\t",
    "\r",
    "$",
    "#",
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "a",
    "Z",
    "0",
    " ",
    "é",
    "中",
    "🚀",
    "\u2028",
    "\u0000",
    "\u007f",
    "\u0085",
    "\u00a0",
  ),
  maxLength: 24,
});
const anyText = fc.oneof(fc.string({ maxLength: 24 }), fc.string({ unit: "binary", maxLength: 24 }), tricky);

/** Number literals as JSON has them, Java's readings of which differ: 1.0, exponents, beyond 2^53 and 2^63, more than 18 characters. */
const numberText = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.tuple(fc.integer({ min: -999, max: 999 }), fc.nat({ max: 10 ** 6 })).map(([whole, fraction]) => `${whole}.${fraction}`),
  fc
    .tuple(fc.integer({ min: -99, max: 99 }), fc.integer({ min: -400, max: 400 }), fc.constantFrom("e", "E"), fc.boolean())
    .map(([m, e, x, plus]) => `${m}${x}${plus && e >= 0 ? "+" : ""}${e}`),
  fc.constantFrom(
    "1.0",
    "-0.0",
    "0",
    "-0",
    "1e400",
    "1E2",
    "2.5E+3",
    "9007199254740993",
    "9223372036854775808",
    "1.00000000000000000000001",
    "0.1234567890123456789",
    "100000000000000000000.0",
    "1.7976931348623157e+308",
  ),
);

/** A JSON value as text, built so its numbers are any of numberText. */
const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    numberText,
    fc.constantFrom("true", "false", "null"),
    anyText.map((s) => JSON.stringify(s)),
    fc.array(tie("value"), { maxLength: 4 }).map((items) => `[${items.join(",")}]`),
    fc
      .array(fc.tuple(anyText, tie("value")), { maxLength: 4 })
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`),
  ),
})).value;

/** JSON texts, compact or indented, and fast-check's own JSON values. */
const jsonBody = fc.oneof(
  jsonText,
  fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(0, 2, "\t")).map(([value, indent]) => JSON.stringify(value, null, indent)),
  fc.jsonValue({ maxDepth: 3, stringUnit: "binary" }).map((value) => JSON.stringify(value)),
);
/** What the stack's request model admits: an object with an instance_id, and more. */
const instanceBody = fc
  .tuple(
    fc.oneof(fc.stringMatching(/^i-[0-9a-f]{17}$/), anyText),
    fc.dictionary(
      anyText,
      jsonText.map((t) => JSON.parse(t) as unknown),
      { maxKeys: 3 },
    ),
  )
  .map(([id, rest]) => JSON.stringify({ instance_id: id, ...rest }));
/** A form-encoded body: the text API Gateway reads as one string. */
const formBody = fc
  .array(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), fc.stringMatching(/^[A-Za-z0-9%+._~-]{0,12}$/)), {
    minLength: 1,
    maxLength: 4,
  })
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join("&"));
const requestBody = fc.oneof(
  { weight: 4, arbitrary: instanceBody },
  { weight: 4, arbitrary: jsonBody },
  { weight: 1, arbitrary: formBody },
  { weight: 1, arbitrary: fc.constantFrom("", " ", "\n\t ") },
);

const headerName = fc.oneof(
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/),
  fc.constantFrom("Idempotency-Key", "idempotency-key", "IDEMPOTENCY-KEY", "Content-Type", "name"),
  // The headers the input workflows name (in other cases), and those kept out unless named.
  fc.constantFrom("X-Tenant", "x-tenant", "X-TENANT", "Authorization", "authorization", "Cookie", "X-Api-Key"),
);
/** Values that try to end the input's JSON and name another state machine. */
const injection = fc.constantFrom(
  '"},"stateMachineArn":"x',
  '\\"},\\"stateMachineArn\\":\\"x',
  '","stateMachineArn":"arn:aws:states:us-east-1:666666666666:stateMachine:evil',
  "$input.body #set($x = 1) ${state_machine_arn} %{ if true }",
);
const headerValue = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,80}$/), anyText, injection, fc.constant(""), fc.constant("x".repeat(81)));
const headers = fc.dictionary(headerName, headerValue, { maxKeys: 4 });
const pathValue = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,80}$/), anyText, injection);
const pathParameters = fc.oneof(
  fc.constant({}),
  fc.record({ name: pathValue }),
  // The path parameters of the input workflows' routes (orders/{id}, jobs/{kind}).
  fc.record({ id: pathValue, kind: pathValue }),
);
const queryString = fc.dictionary(fc.oneof(fc.stringMatching(/^[a-z]{1,6}$/), anyText, injection), fc.oneof(anyText, injection), {
  maxKeys: 2,
});

/** A field of an answer: usually what Step Functions sends, sometimes any JSON value instead. */
const field = <T>(normal: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 6, arbitrary: normal as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });
const epochSeconds = fc.oneof(fc.double({ min: 1.5e9, max: 1.8e9, noNaN: true }), fc.integer({ min: 1_500_000_000, max: 1_800_000_000 }));
const executionName = fc.oneof(fc.uuid(), fc.stringMatching(/^[A-Za-z0-9_-]{1,80}$/), anyText);
const executionArn = executionName.map((name) => `arn:aws:states:us-east-1:123456789012:execution:apigw-sfn-standard:${name}`);
const status = fc.oneof(fc.constantFrom("SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "RUNNING", "PENDING_REDRIVE"), anyText);
/** An answer: any subset of these fields, most of the time as Step Functions writes them. */
const answer = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc
    .record(Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, field(value)])), { requiredKeys: [] })
    .map((value) => JSON.stringify(value));

/**
 * A workflow whose own errors have names with what breaks templates (the "errors" of its
 * configuration reach the response template as JSON inside a VTL string): quotes, backslashes, VTL
 * and Terraform syntax, non-ASCII. Its answers fail with those names, and with the demo's, often.
 */
const ODD_ERRORS: Readonly<Record<string, number>> = {
  "Order.NotFound": 404,
  "Payment.Declined": 402,
  'O\'Brien "quoted" \\ $ref #set %{x} ${y}': 422,
  "Ünïcödé.错误 🚀": 451,
};
const workflowError = fc.oneof(
  anyText,
  fc.constantFrom(...Object.keys(ODD_ERRORS), "Instance.NotFound", "Instance.Terminated", "Ec2.Unavailable", "States.Timeout"),
);

const syncAnswer = answer({
  executionArn,
  stateMachineArn: fc.constant("arn:aws:states:us-east-1:123456789012:stateMachine:apigw-sfn-express"),
  name: executionName,
  startDate: epochSeconds,
  stopDate: epochSeconds,
  status,
  input: jsonBody,
  output: jsonBody,
  error: workflowError,
  cause: anyText,
  billingDetails: fc.record({ billedDurationInMilliseconds: fc.nat(), billedMemoryUsedInMB: fc.nat() }),
});
const startAnswer = answer({ executionArn, startDate: epochSeconds });
const describeAnswer = answer({
  executionArn,
  stateMachineArn: fc.constant("arn:aws:states:us-east-1:123456789012:stateMachine:apigw-sfn-standard"),
  name: executionName,
  status,
  startDate: epochSeconds,
  stopDate: epochSeconds,
  input: jsonBody,
  output: jsonBody,
  error: anyText,
  cause: anyText,
});
const errorType = fc.oneof(
  fc
    .constantFrom(
      "InvalidName",
      "ExecutionDoesNotExist",
      "InvalidArn",
      "ExecutionAlreadyExists",
      "ThrottlingException",
      "ExecutionLimitExceeded",
      "AccessDeniedException",
      "StateMachineDoesNotExist",
      "StateMachineDeleting",
      "InvalidExecutionInput",
      "ValidationException",
    )
    .chain((type) => fc.constantFrom(type, `com.amazonaws.swf.service.v2.model#${type}`)),
  anyText,
);
const errorAnswer = answer({ __type: errorType, message: anyText, Message: anyText });

/** A request, or an answer of Step Functions, as a mapping template gets it. */
type Request = Omit<ReferenceCase, "template">;
const requestCase: fc.Arbitrary<Request> = fc.record({ body: requestBody, headers, pathParameters, queryString });
/**
 * A request to a workflow with `input`: as requestCase, with $context values (its identity and
 * authorizer) of what breaks templates too, since the input holds them.
 */
const inputCase: fc.Arbitrary<Request> = fc
  .record({
    request: requestCase,
    // sourceIp and userAgent always there: lang/vtl/ would give its own defaults, the reference none.
    identity: fc.record(
      { sourceIp: anyText, userAgent: anyText, caller: anyText, userArn: anyText },
      { requiredKeys: ["sourceIp", "userAgent"] },
    ),
    authorizer: fc.oneof(
      fc.constant({}),
      fc.record({ principalId: fc.oneof(anyText, injection), tenant: fc.oneof(anyText, injection) }),
      fc.record({ claims: fc.dictionary(fc.oneof(anyText, injection), fc.oneof(anyText, injection), { maxKeys: 3 }) }),
    ),
    resourcePath: fc.oneof(fc.constant("/orders/{id}"), anyText),
  })
  .map(({ request, identity, authorizer, resourcePath }) => ({ ...request, context: { ...CONTEXT, identity, authorizer, resourcePath } }));

/** What the workflows with `input` take: every option, every $context field, named headers in an odd case. */
const ORDERS_INPUT = {
  path: true,
  querystring: true,
  header: ["x-tenant", "Authorization", "Idempotency-Key"],
  requestContext: REQUEST_CONTEXT_FIELD_NAMES,
  authorizer: true,
};
const JOBS_INPUT = { path: true, querystring: true, header: ["X-Tenant"], requestContext: ["requestId" as const, "sourceIp" as const] };
const answerCase = (body: fc.Arbitrary<string>): fc.Arbitrary<Request> =>
  fc.oneof({ weight: 9, arbitrary: body }, { weight: 1, arbitrary: jsonBody }).map((b) => ({ body: b }));
/**
 * A request validator's reason as API Gateway gives it in $context.error.validationErrorString:
 * the validator's message in brackets, escaped as in a JSON string (local/api-gateway.ts).
 */
const validatorReason = anyText.map((text) => `object has missing required properties ([${JSON.stringify(text)}])`);
const escapedReason = (reason: string) => `[${JSON.stringify(reason).slice(1, -1)}]`;
const gatewayCase: fc.Arbitrary<Request> = fc
  .record({ body: requestBody, message: anyText, reason: validatorReason })
  .map(({ body, message, reason }) => ({
    body,
    context: {
      ...CONTEXT,
      error: {
        message,
        messageString: JSON.stringify(message),
        responseType: "BAD_REQUEST_BODY",
        validationErrorString: escapedReason(reason),
      },
    },
  }));

// ---------------------------------------------------------------------------------------------
// Edge templates: the renderer's own features, over bodies with fields of any type
// ---------------------------------------------------------------------------------------------

/** {"s": text, "n": number, "l": list, "m": map, ...}, each field sometimes of another type or absent. */
const edgeBody = fc
  .record(
    {
      s: fc.oneof({ weight: 4, arbitrary: anyText.map((s) => JSON.stringify(s)) }, { weight: 1, arbitrary: jsonText }),
      t: fc.oneof(
        fc.constantFrom('"a,b,,c,,"', '"x.y.z"', '"  padded\\t"', '"a1b22c333"', '"Hello World"', '"it\'s"', '""', '"ab"'),
        jsonText,
      ),
      n: fc.oneof({ weight: 4, arbitrary: numberText }, { weight: 1, arbitrary: jsonText }),
      l: fc.oneof(
        { weight: 4, arbitrary: fc.array(jsonText, { maxLength: 4 }).map((items) => `[${items.join(",")}]`) },
        { weight: 1, arbitrary: jsonText },
      ),
      m: fc.oneof({ weight: 4, arbitrary: jsonText.filter((t) => t.startsWith("{")) }, { weight: 1, arbitrary: jsonText }),
      z: fc.constant("null"),
    },
    { requiredKeys: [] },
  )
  .map(
    (fields) =>
      `{${Object.entries(fields)
        .map(([key, text]) => `"${key}":${text}`)
        .join(",")}}`,
  );
const edgeCase: fc.Arbitrary<Request> = fc.record({ body: edgeBody, headers, pathParameters, queryString });

const EDGE_TEMPLATES: Readonly<Record<string, string>> = {
  "edge: printing maps, lists and JSON": `$input.path('$')
$input.path('$.m')|$input.path('$.l')|$input.path('$.z')|$input.path('$.missing')
$input.json('$')
$input.json('$.m')|$input.json('$.l')|$input.json('$.s')|$input.json('$.z')|$input.json('$.missing')
#set($m = {"a": 1, "b": [1, "two", true], "c": {"d": $input.path('$.n')}})$m $m.b $m.c.d
#set($l = [$input.path('$.s'), $input.path('$.n'), $input.path('$.l')])$l $l.size()
$input.params() $input.params('name') $input.params('Idempotency-Key') $input.params('nope')
$context.identity $context.responseOverride`,
  "edge: numbers": `#set($n = $input.path('$.n'))$n|$input.json('$.n')|$input.path('$.l')
#if($n == 1)one#end#if($n == 0)zero#end#if($n != 0)nonzero#end#if($n > 0)positive#end#if($n < 0)negative#end#if($n >= 1000000)big#end
#set($i = 7)#set($d = 2.5)$i $d #set($q = $i / 2)$q #set($r = $i % 3)$r #set($x = $i * $d)$x #set($y = 0 - $i)$y #set($w = 1.0)$w
#if(1 == 1.0)int-equals-double#end #if("1" == 1)text-equals-number#end #if($i > $d)compare#end`,
  "edge: string methods and Java regexes": String.raw`#set($s = "$!input.path('$.s')")#set($t = "$!input.path('$.t')")$s.length() $t.length() $t.trim() $t.toUpperCase() $t.toLowerCase()
$t.replaceAll("\d+", "<$0>") $t.replaceAll("(\w)(\w*)", "$2$1") $t.replaceFirst("[aeiou]", "_") $t.replace(".", "!") $s.replaceAll("\\'", "'") $s.replaceAll("[^\p{Alnum}]", "")
$t.matches("[a-z0-9,]+") $t.matches(".*\s.*") $s.matches("(?s).*") $t.matches("\p{Upper}.*") $t.matches("a|ab")
#set($parts = $t.split(","))$parts.size():#foreach($p in $parts)[$p]#end #set($two = $t.split("\.", 2))$two.size()
$t.contains("a") $t.startsWith("a") $t.endsWith(",") $t.indexOf(",") $t.lastIndexOf(".") $t.indexOf("z", 2) $t.equals("ab") $t.equalsIgnoreCase("AB") $t.isEmpty() $t.compareTo("m")
#if($t.length() > 2)$t.substring(1) $t.substring(1, 2) $t.charAt(0)#end
$s.concat("|").concat($t) $s.hashCode() #set($n = "${"$"}{s}and$t")$n`,
  "edge: foreach": `#foreach($x in $input.path('$.l'))$foreach.index:$foreach.count:$x#if($foreach.hasNext),#end#end
#foreach($v in $input.path('$.m'))$velocityCount=$v;#end
#foreach($k in $input.path('$.m').keySet())$k=$input.path('$.m').get($k)#if($foreach.last).#end#end
#foreach($e in $input.path('$.m').entrySet())$e.key:$e.value #end
#foreach($i in [1..4])#if($i == 3)#break#end$i#end #foreach($i in [3..1])$i#end #foreach($x in $input.path('$.missing'))never#end
#foreach($h in $input.params().header.keySet())$h;#end`,
  "edge: if and set with nulls": `#set($x = "kept")#set($x = $input.path('$.z'))$x #set($x = $input.path('$.missing'))$x #set($x = $nothing)$x
#set($y = $input.path('$.s'))#if($y)truthy#{else}falsy#end #if(!$y)not#end #if($y && $x)and#end #if($y || $nothing)or#end
#if($nothing)never#elseif($x == "kept")elseif#{else}else#end
#if($input.path('$.z') == $nothing)null-equals-null#end #if($input.path('$.s') == $input.path('$.s'))same#end
#set($m = {})#set($m.k = $input.path('$.missing'))$m $m.size() #set($m.k = "v")$m
#set($l = [])#if($l.add($input.path('$.s')))added#end $l.size() $l.isEmpty()
[$nothing][$!nothing][${"$"}{nothing}][$nothing.foo][$input.path('$.missing').length()]`,
  "edge: null and the empty string (a kept divergence)": `#if($input.path('$.missing') == "")null-equals-empty#end #if($nothing != "")null-differs-from-empty#end #if($input.path('$.z') == "")json-null-equals-empty#end`,
  "edge: util": String.raw`#set($s = "$!input.path('$.s')")$util.escapeJavaScript($s)
$util.escapeJavaScript($input.json('$')).replaceAll("\\'", "'")
$util.urlEncode($s) $util.urlDecode($util.urlEncode($s)) $util.base64Encode($s) $util.base64Decode($util.base64Encode($s))
#set($o = $util.parseJson($input.json('$.m')))$o #if($o)$o.size()#end $util.parseJson($input.json('$.l'))
$util.escapeJavaScript($nothing)|$util.urlEncode($input.path('$.missing'))|$util.escapeJavaScript($input.path('$.n'))`,
  "edge: responseOverride": `#set($s = $input.path('$.s'))#if($s == "SUCCEEDED")ok#{else}#set($context.responseOverride.status = 500)#set($context.responseOverride.header.X-Status = "$!s")#end
#set($context.responseOverride.header.Location = "/$context.stage/x/$util.urlEncode($input.params('name'))")$context.responseOverride.status`,
};

// ---------------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------------

interface TemplateUnderTest {
  readonly name: string;
  readonly template: string;
  readonly cases: fc.Arbitrary<Request>;
}

/**
 * The Origin header of a browser's request, as the CORS templates read it: an allowed origin, one
 * that is not, what breaks templates, or none; the header's name in any letter case.
 */
const CORS_ORIGINS = ["https://app.example.com", "http://localhost:5173"];
const originHeaders = fc
  .tuple(
    fc.constantFrom("Origin", "origin", "ORIGIN", "Referer"),
    fc.oneof(fc.constantFrom(...CORS_ORIGINS, "https://evil.example", "https://app.example.com.evil", "", "null", "*"), anyText),
    headers,
  )
  .map(([name, value, others]) => ({ ...others, [name]: value }));
/** A case of the CORS templates: a route's answer (or a preflight's empty body) with the request's headers. */
const withOrigin = (cases: fc.Arbitrary<Request>): fc.Arbitrary<Request> =>
  fc.tuple(cases, originHeaders).map(([request, requestHeaders]) => ({ ...request, headers: requestHeaders }));

/** The stack's mapping templates, as Terraform renders them (each text once, named by the first resource that has it). */
function stackTemplates(): TemplateUnderTest[] {
  const workflows = [
    ...DEFAULT_WORKFLOWS,
    { ...DEFAULT_WORKFLOWS[0], name: "odd-errors", path: "odd-errors", errors: ODD_ERRORS },
    // Request data in the input: a POST with every option, a GET (no body) that starts a STANDARD workflow.
    { ...DEFAULT_WORKFLOWS[0], name: "orders", path: "orders/{id}", input: ORDERS_INPUT },
    {
      ...DEFAULT_WORKFLOWS[1],
      name: "jobs",
      path: "jobs/{kind}",
      statusPath: "job-runs",
      method: "GET" as const,
      requestSchema: undefined,
      input: JOBS_INPUT,
    },
  ];
  const found = new Map<string, TemplateUnderTest>();
  // What Step Functions answers each route, by the path part the route's method is on.
  const answers: Record<string, fc.Arbitrary<string>> = {
    "express-instance": syncAnswer,
    "odd-errors": syncAnswer,
    "standard-instance": startAnswer,
    "{name}": describeAnswer,
  };
  // The stack as configured by default, and with CORS on (several origins with credentials, and
  // any origin): every response template then starts with the CORS headers template.
  const configs: [string, Partial<AppConfig>][] = [
    ["", {}],
    ["cors: ", { corsAllowedOrigins: CORS_ORIGINS.join(","), corsAllowCredentials: true }],
    ["cors *: ", { corsAllowedOrigins: "*" }],
  ];
  for (const [prefix, overrides] of configs) {
    const { outdir, stackDir } = synthStack({ workflows, config: testConfig(overrides) });
    const stack = localStack(stackDir);
    // The routes' resources, or in "openapi" mode those the body's import makes.
    const json = apiResources(stackDir);
    const add = (name: string, text: string, cases: fc.Arbitrary<Request>) => {
      const template = stack.render(text, name);
      if (!found.has(template)) found.set(template, { name: `${prefix}${name}`, template, cases: prefix ? withOrigin(cases) : cases });
    };
    for (const [id, integration] of Object.entries(resources(json, "aws_api_gateway_integration"))) {
      // The start routes of "orders/{id}" and "jobs/{kind}" put request data in the input.
      const part = pathPartOf(json, integration) ?? "";
      const cases = ["{id}", "{kind}"].includes(part) ? inputCase : requestCase;
      if (part === "{kind}") jobsTemplates.add(`${prefix}${id} (request)`);
      for (const text of Object.values<string>(integration.request_templates ?? {})) add(`${id} (request)`, text, cases);
    }
    for (const [id, response] of Object.entries(resources(json, "aws_api_gateway_integration_response"))) {
      const body = response.selection_pattern
        ? errorAnswer
        : // A preflight's: "OPTIONS", or in "resources" mode a reference to its method's http_method.
          /OPTIONS|preflight/i.test(String(response.http_method))
          ? fc.constant("")
          : (answers[pathPartOf(json, response) ?? ""] ?? jsonBody);
      for (const text of Object.values<string>(response.response_templates ?? {})) add(id, text, answerCase(body));
    }
    for (const [id, response] of Object.entries(resources(json, "aws_api_gateway_gateway_response"))) {
      for (const text of Object.values<string>(response.response_templates ?? {})) add(id, text, gatewayCase);
    }
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  return [...found.values()];
}

/** The project's render, in the reference's terms. */
function renderLocally(template: string, request: Request): ReferenceResult {
  try {
    const { output, responseOverride } = renderMappingTemplate(template, { ...request, context: request.context ?? CONTEXT });
    return {
      output,
      header: responseOverride.header,
      ...(responseOverride.status !== undefined ? { status: responseOverride.status } : {}),
    };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const same = (a: ReferenceResult, b: ReferenceResult) =>
  "error" in a || "error" in b
    ? "error" in a && "error" in b
    : a.output === b.output && a.status === b.status && JSON.stringify(a.header) === JSON.stringify(b.header);

/** A divergent case, short: the request, and both results from the first character where they differ. */
function divergence(request: ReferenceCase, local: ReferenceResult, velocity: ReferenceResult): string {
  const { template: _, context, ...shown } = request;
  const parts = [`request: ${JSON.stringify(context === CONTEXT ? shown : { ...shown, context })}`];
  if ("output" in local && "output" in velocity && local.output !== velocity.output) {
    let at = 0;
    while (local.output[at] === velocity.output[at]) at++;
    const around = (text: string) => JSON.stringify(text.slice(Math.max(0, at - 30), at + 50));
    parts.push(`output differs at character ${at}:`, `  lang/vtl/: ${around(local.output)}`, `  Velocity 1.7: ${around(velocity.output)}`);
  } else {
    parts.push(`  lang/vtl/: ${JSON.stringify(local).slice(0, 400)}`, `  Velocity 1.7: ${JSON.stringify(velocity).slice(0, 400)}`);
  }
  return parts.join("\n");
}

interface Tally {
  readonly template: string;
  cases: number;
  identical: number;
  /** Identical cases where both renders failed. */
  failed: number;
  /** Cases that differ from plain Velocity 1.7 only as the listed divergences explain. */
  explained: number;
  readonly unexplained: string[];
}

/** Cases each listed divergence explains (those that no longer match without its emulation). */
const shown = new Map<string, number>();
/** Velocity's renders of the request templates of the workflows with `input`, with their requests. */
const inputCalls: { readonly template: string; readonly request: ReferenceCase; readonly rendered: ReferenceResult }[] = [];
/** Names of the "jobs/{kind}" start templates (set by stackTemplates; resource names differ in "openapi" mode). */
const jobsTemplates = new Set<string>();
/** Velocity's renders of the stack's BAD_REQUEST_BODY template, with the reason each case gave. */
const badRequestBodies: { readonly reason: string; readonly rendered: ReferenceResult }[] = [];

it("is run by CI, which installs the Debian packages the reference needs", () => {
  const ci = fs.readFileSync(path.join(__dirname, "..", "..", ".ci", "run"), "utf8");
  expect(/^VELOCITY_PACKAGES=\((.*)\)$/m.exec(ci)?.[1].split(" ")).toEqual(DEBIAN_PACKAGES);
});

/** Why the real engine cannot run here (then the test is skipped, saying so, but fails in CI). */
const unavailable = referenceUnavailable();
const skipped = !!unavailable && process.env.CI !== "true";
const INSTALL = `apt-get install ${DEBIAN_PACKAGES.join(" ")}`;
if (skipped)
  console.warn(`SKIPPED vtl-conformance: ${unavailable}. Install Java and Debian's Velocity 1.7 (${INSTALL}), then run ${RUN_ALONE}`);

describe.skipIf(skipped)(
  `mapping templates rendered by lang/vtl/ and by Apache Velocity 1.7${skipped ? ` (skipped: ${unavailable}; ${INSTALL}, then ${RUN_ALONE})` : ""}`,
  () => {
    const tallies: Tally[] = [];
    let seconds = 0;
    let javaSeconds = 0;
    let localSeconds = 0;
    let sampleSeconds = 0;
    let stackCount = 0;

    beforeAll(() => {
      if (unavailable) return; // the test below fails, saying why
      const started = Date.now();
      const ofStack = stackTemplates();
      const templates = [...ofStack, ...Object.entries(EDGE_TEMPLATES).map(([name, template]) => ({ name, template, cases: edgeCase }))];
      stackCount = ofStack.length;
      const cases: ReferenceCase[] = [];
      templates.forEach(({ cases: arbitrary }, t) => {
        for (const request of fc.sample(arbitrary, { seed: SEED + t, numRuns: CASES }))
          cases.push({ ...request, context: request.context ?? CONTEXT, template: String(t) });
      });
      sampleSeconds = (Date.now() - started) / 1000;
      // Plain Velocity 1.7, and with every listed emulation.
      const all = DIVERGENCES.map((divergence) => divergence.id);
      const sources = Object.fromEntries(templates.map(({ template }, t) => [String(t), template]));
      let t0 = Date.now();
      const reference = renderWithVelocity(sources, cases, [[], all]);
      javaSeconds = (Date.now() - t0) / 1000;
      t0 = Date.now();
      for (const { name } of templates) tallies.push({ template: name, cases: 0, identical: 0, failed: 0, explained: 0, unexplained: [] });
      const explained: { request: ReferenceCase; local: ReferenceResult }[] = [];
      cases.forEach((request, i) => {
        const tally = tallies[Number(request.template)];
        const local = renderLocally(templates[Number(request.template)].template, request);
        const [velocity, emulated] = reference[i];
        const reason = (request.context?.error as { validationErrorString?: string } | undefined)?.validationErrorString;
        const name = templates[Number(request.template)].name;
        // The start templates of "orders/{id}" and "jobs/{kind}" (resource names differ in "openapi" mode).
        if (templates[Number(request.template)].cases === inputCase) inputCalls.push({ template: name, request, rendered: velocity });
        if (templates[Number(request.template)].name.includes("bad_request_body") && reason !== undefined)
          badRequestBodies.push({ reason, rendered: velocity });
        tally.cases++;
        if (same(local, velocity)) {
          tally.identical++;
          if ("error" in local) tally.failed++;
        } else if (same(local, emulated)) {
          tally.explained++;
          explained.push({ request, local });
        } else tally.unexplained.push(divergence(request, local, emulated));
      });
      localSeconds = (Date.now() - t0) / 1000;
      // Which divergence each explained case needs: it no longer matches without that one's emulation.
      const withoutOne =
        all.length > 1 && explained.length
          ? renderWithVelocity(
              sources,
              explained.map(({ request }) => request),
              all.map((id) => all.filter((other) => other !== id)),
            )
          : [];
      explained.forEach(({ local }, i) => {
        all.forEach((id, d) => {
          if (all.length === 1 || !same(local, withoutOne[i][d])) shown.set(id, (shown.get(id) ?? 0) + 1);
        });
      });
      seconds = (Date.now() - started) / 1000;
      if (process.env.APIGW_SFN_VTL_REPORT) {
        const table = tallies.map(
          (t) =>
            `${t.template}: ${t.cases} cases, ${t.identical} identical (${t.failed} failed in both), ${t.explained} explained, ${t.unexplained.length} unexplained`,
        );
        const cases = tallies.flatMap((tally) => tally.unexplained.map((text) => `## ${tally.template}\n${text}\n`));
        fs.mkdirSync(path.dirname(process.env.APIGW_SFN_VTL_REPORT), { recursive: true });
        fs.writeFileSync(process.env.APIGW_SFN_VTL_REPORT, [...table, "", ...cases].join("\n"));
      }
      const total = (key: "cases" | "identical" | "failed" | "explained") => tallies.reduce((sum, tally) => sum + tally[key], 0);
      const unexplained = tallies.reduce((sum, tally) => sum + tally.unexplained.length, 0);
      console.log(
        `vtl-conformance: ${tallies.length} templates (${stackCount} of the stack, ${tallies.length - stackCount} edge), ${total("cases")} cases (seed ${SEED}): ` +
          `${total("identical")} identical to Velocity 1.7 (${((100 * total("identical")) / total("cases")).toFixed(2)}%; ${total("failed")} of them failed in both), ` +
          `${total("explained")} explained by listed divergences (${all.map((id) => `${id}: ${shown.get(id) ?? 0}`).join(", ")}), ${unexplained} unexplained; ` +
          `${seconds.toFixed(1)} s (synthesis and generation ${sampleSeconds.toFixed(1)} s, Velocity ${javaSeconds.toFixed(1)} s, lang/vtl/ ${localSeconds.toFixed(1)} s)`,
      );
    });

    it("runs: Java and Debian's Velocity 1.7 jars are installed", () => {
      expect(unavailable, `${unavailable}: ${INSTALL}`).toBeUndefined();
    });

    it("lists each kept divergence with what it is, why it is kept, and its source", () => {
      for (const divergence of DIVERGENCES) {
        expect(Object.keys(divergence).sort()).toEqual(["id", "reason", "source", "what"]);
        for (const value of Object.values(divergence)) expect(value).toMatch(/\S/);
      }
    });

    it("renders every template byte-identically to Velocity 1.7, or as a listed divergence explains", () => {
      if (unavailable) return; // the first test fails, saying why
      expect(tallies.length).toBeGreaterThan(0);
      for (const tally of tallies) {
        expect(tally.cases).toBeGreaterThanOrEqual(CASES);
        const shown = tally.unexplained.slice(0, 3).join("\n\n");
        expect(
          tally.unexplained.length,
          `${tally.template}: ${tally.unexplained.length} of ${tally.cases} cases diverge, unexplained (APIGW_SFN_VTL_REPORT=<file> writes them all), e.g.:\n\n${shown}\n`,
        ).toBe(0);
      }
    });

    it("renders most cases of every template without error, so that the comparison means something", () => {
      if (unavailable) return;
      for (const tally of tallies)
        expect(tally.failed, `${tally.template}: ${tally.failed} of ${tally.cases} cases fail to render`).toBeLessThan(tally.cases / 2);
    });

    it("answers a body the validator refuses with JSON whose detail is the validator's reason, whatever it quotes", () => {
      if (unavailable) return;
      expect(badRequestBodies.length).toBeGreaterThanOrEqual(CASES);
      for (const { reason, rendered } of badRequestBodies) {
        expect("output" in rendered, JSON.stringify(rendered)).toBe(true);
        const output = "output" in rendered ? rendered.output : "";
        expect(JSON.parse(output).detail, output).toBe(JSON.parse(`"${reason}"`));
      }
    });

    it("makes, on Velocity 1.7, a call whose input holds the request's path, query and named headers only, whatever they hold", () => {
      if (unavailable) return;
      expect(new Set(inputCalls.map((c) => c.template)).size).toBe(2);
      let parsed = 0;
      for (const { template, request, rendered } of inputCalls) {
        if (!("output" in rendered)) continue; // a body JsonPath cannot read fails in both (counted above)
        const jobs = jobsTemplates.has(template);
        const call = JSON.parse(rendered.output);
        expect(Object.keys(call).sort()).toEqual(jobs ? ["input", "name", "stateMachineArn"] : ["input", "stateMachineArn"]);
        expect(call.stateMachineArn).toMatch(jobs ? /:stateMachine:apigw-sfn-jobs$/ : /:stateMachine:apigw-sfn-orders$/);
        const input = JSON.parse(call.input);
        const named = (jobs ? JOBS_INPUT : ORDERS_INPUT).header.map((h) => h.toLowerCase());
        expect(
          Object.keys(input.header).every((h) => named.includes(h.toLowerCase())),
          JSON.stringify(input.header),
        ).toBe(true);
        // Java writes an unpaired surrogate as "?": compare what survives UTF-8.
        const wellFormed = (v: unknown) =>
          JSON.stringify(v).replace(/\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/gi, "?");
        expect(wellFormed(input.path)).toBe(wellFormed(request.pathParameters ?? {}));
        expect(wellFormed(input.querystring)).toBe(wellFormed(request.queryString ?? {}));
        expect("body" in input).toBe(!jobs);
        parsed++;
      }
      expect(parsed).toBeGreaterThan(inputCalls.length / 2);
    });

    it("keeps only divergences that the generated cases show", () => {
      if (unavailable) return;
      for (const { id } of DIVERGENCES)
        expect(shown.get(id) ?? 0, `no generated case shows the divergence ${id}: remove it from vtl-divergences.json`).toBeGreaterThan(0);
    });
  },
);
