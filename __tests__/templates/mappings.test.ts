/**
 * The mapping templates in templates/mappings, as Terraform renders them into the synthesized
 * stack and as API Gateway runs them: what Step Functions is asked to do for a request body, and
 * what the client receives for each answer Step Functions can give.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { renderMappingTemplate } from "../../lang/vtl";
import { Route } from "../support/api-gateway";
import { localStack } from "../support/stack-json";
import { synthStack } from "../support/synth";

const ARNS = {
  express: "arn:aws:states:us-east-1:123456789012:stateMachine:apigw-sfn-express",
  standard: "arn:aws:states:us-east-1:123456789012:stateMachine:apigw-sfn-standard",
};

/** The request ID API Gateway gives the requests in these tests (see support/api-gateway.ts). */
const REQUEST_ID = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef";

let express: Route;
let standard: Route;
let status: Route;
beforeAll(() => {
  const stack = localStack(synthStack().stackDir);
  // The templates reference the state machines' ARNs; the local values are the ARNS above.
  express = new Route(stack, "express_start");
  standard = new Route(stack, "standard_start");
  status = new Route(stack, "standard_status");
});

const NASTY_BODIES = [
  `{"instance_id": "i-0123456789abcdef0"}`,
  `{"instance_id": "it's"}`,
  `{"note": "O'Brien said \\"hi\\" and left a backslash \\\\ and a \\\\' pair"}`,
  `{"a": "\\\\'", "b": "\\\\\\\\'", "c": "''''"}`,
  `{"injection": "\\", \\"stateMachineArn\\": \\"arn:aws:states:us-east-1:666666666666:stateMachine:evil"}`,
  `{"stateMachineArn": "arn:aws:states:us-east-1:666666666666:stateMachine:evil", "name": "chosen"}`,
  `{"vtl": "$input.body #set($x = 1) $util.escapeJavaScript('x') \${aws_sfn_state_machine.express_state_machine.arn}"}`,
  `{"terraform": "$\${not_a_reference} %{ if true }x%{ endif }"}`,
  `{"unicode": "é中文🚀\\u0000\\u001f\\u2028\\u2029\\ud83d\\ude80", "slash": "</script>"}`,
  `{"nested": {"list": [1, -2.5, 1e21, true, false, null, {"deep": [[[["x"]]]]}]}, "empty": {}, "none": []}`,
  `"just a string"`,
  `42`,
  `[{"instance_id": "i-1"}, {"instance_id": "i-2"}]`,
  `{\n  "pretty":\t"printed",\r\n  "with": [ 1 , 2 ]\n}`,
];

function parseCall(request: string, what: string): Record<string, unknown> {
  try {
    return JSON.parse(request);
  } catch (error) {
    throw new Error(`the request to Step Functions is not JSON for ${what}:\n${request}\n${error}`);
  }
}

function expectValidStartRequest(route: Route, arn: string, body: string): void {
  const call = parseCall(route.integrationRequest(body), `body ${body}`);
  if (route === standard) {
    expect(Object.keys(call).sort()).toEqual(["input", "name", "stateMachineArn"]);
    expect(call.name).toBe(REQUEST_ID);
  } else {
    expect(Object.keys(call).sort()).toEqual(["input", "stateMachineArn"]);
  }
  expect(call.stateMachineArn).toBe(arn);
  expect(typeof call.input).toBe("string");
  expect(JSON.parse(call.input as string)).toEqual(JSON.parse(body));
}

describe("request mapping", () => {
  it.each(NASTY_BODIES)("passes the body %s unchanged as the execution input of both routes", (body) => {
    expectValidStartRequest(express, ARNS.express, body);
    expectValidStartRequest(standard, ARNS.standard, body);
  });

  it("passes every generated JSON body unchanged, and nothing in it can change the call", () => {
    // Not the JSON null: JsonPath reads no path in it, so the template fails (and the request
    // model, which wants an object, answers 400 before any template runs).
    fc.assert(
      fc.property(
        fc.jsonValue().filter((value) => value !== null),
        fc.integer({ min: 0, max: 3 }),
        (value, indent) => {
          const body = JSON.stringify(value, null, indent);
          expectValidStartRequest(express, ARNS.express, body);
          expectValidStartRequest(standard, ARNS.standard, body);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("fails the render for a body that is the JSON null", () => {
    expect(() => express.integrationRequest("null")).toThrow(/root can not be null/);
  });

  it("passes strings full of quotes, backslashes and apostrophes unchanged", () => {
    const tricky = fc.string({ unit: fc.constantFrom("'", '"', "\\", "/", "\n", "$", "#", "{", "}", "a", "é", "🚀"), maxLength: 40 });
    fc.assert(
      fc.property(fc.dictionary(tricky, tricky), (value) => {
        expectValidStartRequest(express, ARNS.express, JSON.stringify(value));
      }),
      { numRuns: 300 },
    );
  });

  it("would break on an apostrophe with the article's published template, which lost its backslashes", () => {
    const article = `#set($input = $input.json('$'))
{
  "input": "$util.escapeJavaScript($input).replaceAll("\\'", "'")",
  "stateMachineArn": "${ARNS.express}"
}`;
    expect(() => JSON.parse(renderMappingTemplate(article, { body: `{"name": "O'Brien"}` }).output)).toThrow();
    expectValidStartRequest(express, ARNS.express, `{"name": "O'Brien"}`);
  });
});

const EXECUTION_ARN = "arn:aws:states:us-east-1:123456789012:express:apigw-sfn-express:5f3b:7c1d";

function syncAnswer(fields: Record<string, unknown>): string {
  return JSON.stringify({
    executionArn: EXECUTION_ARN,
    stateMachineArn: ARNS.express,
    name: "5f3b",
    startDate: 1.634283447457e9,
    stopDate: 1.634283447561e9,
    input: '{"instance_id":"i-0123456789abcdef0"}',
    billingDetails: { billedDurationInMilliseconds: 200, billedMemoryUsedInMB: 64 },
    ...fields,
  });
}

function parseBody(response: { body: string }): any {
  try {
    return JSON.parse(response.body);
  } catch (error) {
    throw new Error(`the client receives invalid JSON:\n${response.body}\n${error}`);
  }
}

/** The workflow errors the synchronous response maps to a status of their own. */
const MAPPED_ERRORS = [
  "Instance.NotFound",
  "Instance.Terminated",
  "Instance.IncorrectState",
  "Request.InvalidAction",
  "Ec2.Unavailable",
  "States.Timeout",
];

describe("synchronous response (StartSyncExecution)", () => {
  it("answers 200 with the workflow's output as the body when the execution SUCCEEDED", () => {
    const output = { StartingInstances: [{ InstanceId: "i-0123456789abcdef0", CurrentState: { Code: 0, Name: "pending" } }] };
    const response = express.clientResponse(200, syncAnswer({ status: "SUCCEEDED", output: JSON.stringify(output) }));
    expect(response.status).toBe(200);
    expect(parseBody(response)).toEqual(output);
  });

  it("answers 200 with any JSON output unchanged", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const output = JSON.stringify(value);
        const response = express.clientResponse(200, syncAnswer({ status: "SUCCEEDED", output }));
        expect(response.status).toBe(200);
        expect(parseBody(response)).toEqual(JSON.parse(output));
      }),
      { numRuns: 200 },
    );
  });

  it("answers 500 with error and cause, quotes and all, when the execution FAILED", () => {
    const cause =
      "An error occurred while executing the state 'StartInstance' (entered at the event id #4). " +
      "The JSONPath '$.instance_id' specified for the field 'InstanceIds.$' could not be found in the input '{\"other\":\"x\"}'\n\t\\ done";
    const response = express.clientResponse(200, syncAnswer({ status: "FAILED", error: "States.Runtime", cause }));
    expect(response.status).toBe(500);
    expect(parseBody(response)).toEqual({ status: "FAILED", error: "States.Runtime", cause, executionArn: EXECUTION_ARN });
  });

  it.each([
    ["Instance.NotFound", "EC2 knows no instance with this ID in this account and region.", 404],
    ["Instance.Terminated", "The instance is shutting down or terminated: it can no longer be started or stopped.", 409],
    ["Instance.IncorrectState", "The instance is stopping: it can be started once it is stopped. Try again later.", 409],
    ["Request.InvalidAction", '"action" must be "start", "stop" or "toggle".', 400],
    ["Ec2.Unavailable", "Request limit exceeded. (Service: Ec2, Status Code: 503, Request ID: 6b7a1a3c-7f2e-4c55-9d1e-0c6f9a8b2d41)", 503],
    ["States.Timeout", "", 504],
    ["Ec2.Ec2Exception", "You are not authorized to perform this operation. (Service: Ec2, Status Code: 403, Request ID: 1)", 500],
    ["States.Runtime", "An error occurred while executing the state 'CheckInstanceStatus'.", 500],
  ] as const)("answers a FAILED execution whose error is %s (cause %j) with %i, the error and the cause", (error, cause, expected) => {
    const response = express.clientResponse(200, syncAnswer({ status: "FAILED", error, cause }));
    expect(response.status).toBe(expected);
    expect(parseBody(response)).toEqual({ status: "FAILED", error, cause, executionArn: EXECUTION_ARN });
  });

  it("answers 504 when the execution TIMED_OUT, and 500 when it was ABORTED", () => {
    const timedOut = express.clientResponse(200, syncAnswer({ status: "TIMED_OUT", error: "States.Timeout" }));
    expect(timedOut.status).toBe(504);
    expect(parseBody(timedOut)).toEqual({ status: "TIMED_OUT", error: "States.Timeout", cause: "", executionArn: EXECUTION_ARN });
    const aborted = express.clientResponse(200, syncAnswer({ status: "ABORTED" }));
    expect(aborted.status).toBe(500);
    expect(parseBody(aborted)).toMatchObject({ status: "ABORTED", error: "", cause: "" });
  });

  it("answers valid JSON for any error and cause a failed execution reports", () => {
    fc.assert(
      fc.property(
        fc.string().filter((error) => !MAPPED_ERRORS.includes(error)),
        fc.string({ unit: "binary" }),
        (error, cause) => {
          const response = express.clientResponse(200, syncAnswer({ status: "FAILED", error, cause }));
          expect(response.status).toBe(500);
          expect(parseBody(response)).toMatchObject({ error, cause });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("asynchronous response (StartExecution)", () => {
  it("answers 202 at once with the execution's ARN, name and start date, and where to read its status", () => {
    const name = "4c8f2a9e-1b3d-4f5e-9a7b-0c1d2e3f4a5b";
    const executionArn = `arn:aws:states:us-east-1:123456789012:execution:apigw-sfn-standard:${name}`;
    const response = standard.clientResponse(200, JSON.stringify({ executionArn, startDate: 1.634283447457e9 }));
    expect(response.status).toBe(202);
    expect(parseBody(response)).toEqual({ executionArn, name, startDate: 1.634283447457e9 });
    expect(response.headers).toEqual({ Location: `/v1/executions/${name}` });
  });

  it("answers JSON, not a Java map, for the start date exactly as Step Functions sends it", () => {
    const response = standard.clientResponse(
      200,
      '{"executionArn":"arn:aws:states:us-east-1:1:execution:m:n","startDate":1.734283447457E9}',
    );
    expect(response.body).not.toMatch(/executionArn=/);
    expect(parseBody(response).startDate).toBe(1734283447.457);
  });
});

describe("errors of the Step Functions API", () => {
  const cases = [
    [
      400,
      "com.amazonaws.swf.service.v2.model#InvalidExecutionInput",
      "Invalid State Machine Execution Input: 'Unexpected character (''')'",
      400,
    ],
    [400, "ThrottlingException", "Rate exceeded", 429],
    [400, "com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist", "State Machine Does Not Exist", 502],
    [400, "com.amazonaws.swf.service.v2.model#StateMachineDeleting", "State Machine is being deleted", 502],
    [413, "RequestEntityTooLarge", "Request entity too large", 400],
    [500, "InternalFailure", "An internal error occurred", 502],
    [503, "ServiceUnavailable", "Service is unavailable", 502],
  ] as const;

  it.each(cases)("maps a %i %s (message %j) to %i, never to a success status", (status, type, message, expected) => {
    for (const route of [express, standard]) {
      const response = route.clientResponse(status, JSON.stringify({ __type: type, message }));
      expect(response.status).toBe(expected);
      expect(parseBody(response)).toEqual({ error: type.replace(/^.*#/, ""), message });
    }
  });

  it("maps ExecutionLimitExceeded, which only StartExecution returns, to 429 on the asynchronous route", () => {
    const body = JSON.stringify({ __type: "com.amazonaws.swf.service.v2.model#ExecutionLimitExceeded", message: "Too many executions" });
    const response = standard.clientResponse(400, body);
    expect(response.status).toBe(429);
    expect(parseBody(response)).toEqual({ error: "ExecutionLimitExceeded", message: "Too many executions" });
  });

  it("maps an access-denied answer, whose message field is capitalized, to 502", () => {
    const message =
      "User: arn:aws:sts::123456789012:assumed-role/apigw-sfn-apigw-sfn/x is not authorized to perform: states:StartSyncExecution";
    const response = express.clientResponse(400, JSON.stringify({ __type: "AccessDeniedException", Message: message }));
    expect(response.status).toBe(502);
    expect(parseBody(response)).toEqual({ error: "AccessDeniedException", message });
  });

  it("answers valid JSON even when the error body has no type or message", () => {
    for (const body of ["{}", '{"message": null}', '{"__type": "#"}']) {
      const response = standard.clientResponse(400, body);
      expect(response.status).toBe(400);
      expect(parseBody(response)).toEqual({ error: "StepFunctionsError", message: "" });
    }
  });
});

describe("idempotent asynchronous starts (Idempotency-Key)", () => {
  it.each(["order-42", "A_b-9", "x".repeat(80)])("uses a valid key %s as the execution name", (key) => {
    const call = parseCall(
      standard.integrationRequest('{"instance_id": "i-0123456789abcdef0"}', { headers: { "Idempotency-Key": key } }),
      key,
    );
    expect(call.name).toBe(key);
  });

  it.each(["idempotency-key", "IDEMPOTENCY-KEY", "IdEmPoTeNcY-kEy"])(
    "reads the key from a header named %s: header names are case-insensitive",
    (header) => {
      const call = parseCall(
        standard.integrationRequest("{}", { headers: { Accept: "*/*", [header]: "retry-1", "X-Other": "x" } }),
        header,
      );
      expect(call.name).toBe("retry-1");
    },
  );

  it("reads the key from the header only, not from a query string parameter of that name", () => {
    const call = parseCall(standard.integrationRequest("{}", { queryString: { "Idempotency-Key": "from-query" } }), "query string");
    expect(call.name).toBe(REQUEST_ID);
  });

  it("names each request without a key after its unique request ID", () => {
    expect(parseCall(standard.integrationRequest("{}"), "no key").name).toBe(REQUEST_ID);
  });

  it.each(["has space", "x".repeat(81), "a/b", 'quote"', "é"])("turns an invalid key %j into a name Step Functions rejects", (key) => {
    const call = parseCall(standard.integrationRequest("{}", { headers: { "Idempotency-Key": key } }), key);
    expect(call.name).toBe("invalid idempotency key");
  });

  it("answers 400 explaining the key format when Step Functions rejects the name", () => {
    const response = standard.clientResponse(
      400,
      JSON.stringify({ __type: "com.amazonaws.swf.service.v2.model#InvalidName", message: "Invalid Name: 'invalid idempotency key'" }),
    );
    expect(response.status).toBe(400);
    expect(parseBody(response)).toEqual({
      error: "InvalidName",
      message: "The Idempotency-Key header must hold 1 to 80 letters, digits, hyphens or underscores.",
    });
  });

  const REUSED =
    "This Idempotency-Key names an execution that already exists: started with a different request body, or already ended. " +
    "Read that execution (its input and outcome) to tell which; use a new key for a new request.";

  it("answers 409 naming the existing execution when a key is reused for another body or after its execution finished", () => {
    // Step Functions' message, the same in both cases (as moto records it from AWS).
    const executionArn = "arn:aws:states:us-east-1:123456789012:execution:apigw-sfn-standard:order-42";
    const response = standard.clientResponse(
      400,
      JSON.stringify({
        __type: "com.amazonaws.swf.service.v2.model#ExecutionAlreadyExists",
        message: `Execution Already Exists: '${executionArn}'`,
      }),
    );
    expect(response.status).toBe(409);
    expect(parseBody(response)).toEqual({ error: "ExecutionAlreadyExists", message: REUSED, executionArn, name: "order-42" });
  });

  it("answers 409 without an execution when the message does not quote one", () => {
    for (const message of ["Execution Already Exists", "Execution Already Exists: ''", ""]) {
      const response = standard.clientResponse(400, JSON.stringify({ __type: "ExecutionAlreadyExists", message }));
      expect(response.status).toBe(409);
      expect(parseBody(response)).toEqual({ error: "ExecutionAlreadyExists", message: REUSED });
    }
  });
});

describe("execution status route (DescribeExecution)", () => {
  const EXECUTION_PREFIX = "arn:aws:states:us-east-1:123456789012:execution:apigw-sfn-standard";

  function describeAnswer(fields: Record<string, unknown>): string {
    return JSON.stringify({
      executionArn: `${EXECUTION_PREFIX}:order-42`,
      stateMachineArn: ARNS.standard,
      name: "order-42",
      startDate: 1.734283447457e9,
      input: '{"instance_id":"i-0123456789abcdef0"}',
      ...fields,
    });
  }

  it("asks for the named execution of the STANDARD state machine only", () => {
    const call = parseCall(status.integrationRequest("", { pathParameters: { name: "order-42" } }), "status");
    expect(call).toEqual({ executionArn: `${EXECUTION_PREFIX}:order-42` });
  });

  it("keeps a name full of quotes inside the execution ARN string", () => {
    const name = 'x", "stateMachineArn": "evil';
    const call = parseCall(status.integrationRequest("", { pathParameters: { name } }), "status");
    expect(call).toEqual({ executionArn: `${EXECUTION_PREFIX}:${name}` });
  });

  it("answers a running execution's status, start date and input (the body that started it), without output or error", () => {
    const response = status.clientResponse(200, describeAnswer({ status: "RUNNING" }));
    expect(response.status).toBe(200);
    expect(parseBody(response)).toEqual({
      executionArn: `${EXECUTION_PREFIX}:order-42`,
      name: "order-42",
      status: "RUNNING",
      startDate: 1734283447.457,
      input: { instance_id: "i-0123456789abcdef0" },
    });
  });

  it("answers a succeeded execution's output, parsed, and its stop date", () => {
    const output = { StoppingInstances: [{ InstanceId: "i-0123456789abcdef0", CurrentState: { Code: 64, Name: "stopping" } }] };
    const response = status.clientResponse(
      200,
      describeAnswer({ status: "SUCCEEDED", stopDate: 1.734283476912e9, output: JSON.stringify(output) }),
    );
    expect(response.status).toBe(200);
    expect(parseBody(response)).toMatchObject({ status: "SUCCEEDED", stopDate: 1734283476.912, output });
  });

  it("answers a failed execution's error and its quote-laden cause, escaped", () => {
    const cause =
      'Ec2.Ec2Exception: The instance ID \'i-00000000000000000\' does not exist (Service: Ec2, Status Code: 400) {"detail": "\\n"}';
    const response = status.clientResponse(
      200,
      describeAnswer({ status: "FAILED", stopDate: 1.7342834e9, error: "Ec2.Ec2Exception", cause }),
    );
    expect(response.status).toBe(200);
    expect(parseBody(response)).toMatchObject({ status: "FAILED", error: "Ec2.Ec2Exception", cause });
    expect(parseBody(response).output).toBeUndefined();
  });

  it("answers 404 for an unknown or malformed execution name", () => {
    for (const type of ["ExecutionDoesNotExist", "InvalidArn"]) {
      const response = status.clientResponse(
        400,
        JSON.stringify({ __type: `com.amazonaws.swf.service.v2.model#${type}`, message: "Execution Does Not Exist: 'arn:...'" }),
      );
      expect(response.status).toBe(404);
      expect(parseBody(response)).toEqual({ error: type, message: "No execution has this name." });
    }
  });
});
