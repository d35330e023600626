/**
 * The mapping templates in templates/mappings, as Terraform renders them into the synthesized
 * stack and as API Gateway runs them: what Step Functions is asked to do for a request body, and
 * what the client receives for each answer Step Functions can give.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { renderMappingTemplate } from "../../local/vtl";
import { Route } from "../support/api-gateway";
import { synthStack } from "../support/synth";

const ARNS = {
  express: "arn:aws:states:us-east-1:123456789012:stateMachine:apigw-sfn-express",
  standard: "arn:aws:states:us-east-1:123456789012:stateMachine:apigw-sfn-standard",
};
const REFERENCES = {
  "aws_sfn_state_machine.express_state_machine.arn": ARNS.express,
  "aws_sfn_state_machine.standard_state_machine.arn": ARNS.standard,
};

let express: Route;
let standard: Route;
beforeAll(() => {
  const { json } = synthStack();
  express = new Route(json, "express", REFERENCES);
  standard = new Route(json, "standard", REFERENCES);
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

function expectValidStartRequest(route: Route, arn: string, body: string): void {
  const request = route.integrationRequest(body);
  let call: Record<string, unknown>;
  try {
    call = JSON.parse(request);
  } catch (error) {
    throw new Error(`the request to Step Functions is not JSON for body ${body}:\n${request}\n${error}`);
  }
  expect(Object.keys(call).sort()).toEqual(["input", "stateMachineArn"]);
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
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 3 }), (value, indent) => {
        const body = JSON.stringify(value, null, indent);
        expectValidStartRequest(express, ARNS.express, body);
        expectValidStartRequest(standard, ARNS.standard, body);
      }),
      { numRuns: 300 },
    );
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
      'An error occurred while executing the state \'StartInstance\' (entered at the event id #4). ' +
      'The JSONPath \'$.instance_id\' specified for the field \'InstanceIds.$\' could not be found in the input \'{"other":"x"}\'\n\t\\ done';
    const response = express.clientResponse(200, syncAnswer({ status: "FAILED", error: "States.Runtime", cause }));
    expect(response.status).toBe(500);
    expect(parseBody(response)).toEqual({ status: "FAILED", error: "States.Runtime", cause, executionArn: EXECUTION_ARN });
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
      fc.property(fc.string(), fc.string({ unit: "binary" }), (error, cause) => {
        const response = express.clientResponse(200, syncAnswer({ status: "FAILED", error, cause }));
        expect(response.status).toBe(500);
        expect(parseBody(response)).toMatchObject({ error, cause });
      }),
      { numRuns: 300 },
    );
  });
});

describe("asynchronous response (StartExecution)", () => {
  it("answers 202 at once with the execution's ARN and start date as JSON", () => {
    const executionArn = "arn:aws:states:us-east-1:123456789012:execution:apigw-sfn-standard:4c8f2a9e-1b3d-4f5e-9a7b-0c1d2e3f4a5b";
    const response = standard.clientResponse(200, JSON.stringify({ executionArn, startDate: 1.634283447457e9 }));
    expect(response.status).toBe(202);
    expect(parseBody(response)).toEqual({ executionArn, startDate: 1.634283447457e9 });
  });

  it("answers JSON, not a Java map, for the start date exactly as Step Functions sends it", () => {
    const response = standard.clientResponse(200, '{"executionArn":"arn:aws:states:us-east-1:1:execution:m:n","startDate":1.734283447457E9}');
    expect(response.body).not.toMatch(/executionArn=/);
    expect(parseBody(response).startDate).toBe(1734283447.457);
  });
});

describe("errors of the Step Functions API", () => {
  const cases = [
    [400, "com.amazonaws.swf.service.v2.model#InvalidExecutionInput", "Invalid State Machine Execution Input: 'Unexpected character (''')'", 400],
    [400, "com.amazonaws.swf.service.v2.model#ExecutionAlreadyExists", "Execution Already Exists: 'arn:aws:states:...'", 409],
    [400, "ThrottlingException", "Rate exceeded", 429],
    [400, "com.amazonaws.swf.service.v2.model#ExecutionLimitExceeded", "Too many executions", 429],
    [400, "com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist", "State Machine Does Not Exist", 502],
    [400, "com.amazonaws.swf.service.v2.model#InvalidArn", "Invalid Arn", 502],
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

  it("maps an access-denied answer, whose message field is capitalized, to 502", () => {
    const message = "User: arn:aws:sts::123456789012:assumed-role/apigw-sfn-apigw-sfn/x is not authorized to perform: states:StartSyncExecution";
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
