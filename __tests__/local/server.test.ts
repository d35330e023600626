/**
 * The local API over HTTP, serving the project's own synthesized stack: what a client receives
 * from both routes, and what the real API would refuse, refused the same way.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_INSTANCE_ID } from "../../local/ec2";
import { localOptionsFromEnv, startLocalApi, type LocalApi, type LocalApiOptions } from "../../local/server";
import { parseTemplatefileCall, TerraformStackJson } from "../../local/terraform-json";
import { type Reply, request as send } from "../support/http";
import { routesAsResources } from "../support/stack-json";
import { synthStack } from "../support/synth";

const OTHER_INSTANCE = "i-0123456789abcdef1";
let stackDir: string;
let api: LocalApi;

beforeAll(async () => {
  stackDir = synthStack().stackDir;
  api = await startLocalApi({
    stackDir,
    port: 0,
    log: false,
    // 0.01: the EXPRESS workflow's 25-second timeout is 250 ms, room enough for its retries on a
    // loaded machine; the STANDARD workflow's wait is 290 ms.
    waitScale: 0.01,
    ec2TransitionDelayMs: 20,
    instances: [
      { instanceId: DEMO_INSTANCE_ID, state: "stopped" },
      { instanceId: OTHER_INSTANCE, state: "running" },
    ],
  });
});

afterAll(async () => {
  await api?.close();
});

describe("the banner", () => {
  it("says of each route what its kind answers, as the route table words it", () => {
    const line = (method: string, routePath: string) => api.banner.find((l) => l.includes(`${method} ${api.url}/${routePath}`)) ?? "";
    expect(line("POST", "express-instance")).toMatch(/states:StartSyncExecution -> \S+express \(waits for the result\)$/);
    expect(line("POST", "standard-instance")).toMatch(/states:StartExecution -> \S+standard \(answers 202 at once\)$/);
    expect(line("GET", "executions/{name}")).toMatch(/states:DescribeExecution -> \S+standard \(reads an execution\)$/);
  });
});

/** A request to the local API with exactly the headers given. */
const request = (method: string, urlPath: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Reply> =>
  send(api.origin, method, urlPath, body, headers);

const post = (route: string, body: unknown, contentType = "application/json") =>
  request("POST", `/v1/${route}`, typeof body === "string" ? body : JSON.stringify(body), { "Content-Type": contentType });

async function describeExecution(executionArn: string) {
  const answer = await api.stepFunctions.call("DescribeExecution", JSON.stringify({ executionArn }));
  return JSON.parse(answer.body);
}

describe("POST /express-instance (synchronous)", () => {
  it("starts the stopped demo instance and answers 200 with the StartInstances result", async () => {
    const reply = await post("express-instance", { instance_id: DEMO_INSTANCE_ID });
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toBe("application/json");
    expect(reply.json.StartingInstances).toEqual([
      { InstanceId: DEMO_INSTANCE_ID, CurrentState: { Code: 0, Name: "pending" }, PreviousState: { Code: 80, Name: "stopped" } },
    ]);
    await api.ec2.idle();
    expect(api.ec2.stateOf(DEMO_INSTANCE_ID)).toBe("running");
  });

  it("stops a running instance and answers 200 with the StopInstances result", async () => {
    const reply = await post("express-instance", { instance_id: OTHER_INSTANCE });
    expect(reply.status).toBe(200);
    expect(reply.json.StoppingInstances[0]).toMatchObject({ InstanceId: OTHER_INSTANCE, CurrentState: { Name: "stopping" } });
  });

  it("answers 404 with the workflow's error and cause as JSON when the instance does not exist", async () => {
    const reply = await post("express-instance", { instance_id: "i-00000000000000000" });
    expect(reply.status).toBe(404);
    expect(reply.json).toMatchObject({
      status: "FAILED",
      error: "Instance.NotFound",
      cause: "EC2 knows no instance with this ID in this account and region.",
      executionArn: expect.stringMatching(/^arn:aws:states:us-east-1:123456789012:express:apigw-sfn-express:/),
    });
  });

  it("accepts a Content-Type with a charset and in any case as JSON", async () => {
    const reply = await post("express-instance", { instance_id: "i-00000000000000000" }, "Application/JSON; charset=UTF-8");
    expect(reply.status).toBe(404);
    expect(reply.json.status).toBe("FAILED");
  });

  it("reads a request without Content-Type as JSON, as API Gateway does", async () => {
    const reply = await request("POST", "/v1/express-instance", JSON.stringify({ instance_id: "i-00000000000000000" }));
    expect(reply.status).toBe(404);
    expect(reply.json.status).toBe("FAILED");
  });
});

describe("POST /standard-instance (asynchronous)", () => {
  it("answers 202 at once with the execution's ARN and start date while the execution runs", async () => {
    const reply = await post("standard-instance", { instance_id: "i-00000000000000000" });
    expect(reply.status).toBe(202);
    expect(reply.json.executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:execution:apigw-sfn-standard:[^:]+$/);
    expect(reply.json.startDate).toBeCloseTo(Date.now() / 1000, -1);
    expect((await describeExecution(reply.json.executionArn)).status).toBe("RUNNING");
  });

  it("runs the execution in the background to its end", async () => {
    const reply = await post("standard-instance", { instance_id: "i-00000000000000000" });
    await api.stepFunctions.idle();
    expect(await describeExecution(reply.json.executionArn)).toMatchObject({ status: "FAILED", error: "Instance.NotFound" });
  });

  const bodies: Record<string, unknown> = {
    "quotes and backslashes": { note: 'say "hi" \\ \\" \\\\' },
    apostrophes: { note: "it's 'quoted'" },
    "VTL and Terraform syntax": { note: "#set($x = 1) $input.json('$') ${var} $${x} %{ if }" },
    "control characters and unicode": { note: "tab\tnewline\nnul\u0000 é 😀 \u2028" },
    "HTML and slashes": { note: "</script><!-- //" },
    "nested values": { list: [1, 2.5, true, null, { deep: ["x"] }], big: 12345678901234568 },
    "a JSON injection attempt": { note: '", "stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:other' },
  };
  it.each(Object.entries(bodies))("passes a body with %s to the execution unchanged", async (_name, extra) => {
    const body = { instance_id: DEMO_INSTANCE_ID, ...(extra as object) };
    const reply = await post("standard-instance", body);
    expect(reply.status).toBe(202);
    const execution = await describeExecution(reply.json.executionArn);
    expect(execution.stateMachineArn).toBe("arn:aws:states:us-east-1:123456789012:stateMachine:apigw-sfn-standard");
    expect(JSON.parse(execution.input)).toEqual(JSON.parse(JSON.stringify(body)));
  });
});

describe("requests the real API refuses", () => {
  it("refuses a body sent as text/plain with 415 and starts nothing", async () => {
    await api.stepFunctions.idle();
    const reply = await post("express-instance", `instance_id=${DEMO_INSTANCE_ID}`, "text/plain");
    expect(reply.status).toBe(415);
    expect(reply.json.message).toBe("Unsupported Media Type");
    expect(api.stepFunctions.runningCount).toBe(0);
  });

  it("refuses malformed JSON with 400 and a JSON message, and starts nothing", async () => {
    const reply = await post("standard-instance", '{"instance_id": "i-0123456789abcdef0"');
    expect(reply.status).toBe(400);
    expect(typeof reply.json.message).toBe("string");
    expect(api.stepFunctions.runningCount).toBe(0);
  });

  it("answers an unknown path with 403 Missing Authentication Token", async () => {
    const reply = await post("no-such-route", {});
    expect(reply.status).toBe(403);
    expect(reply.json.message).toBe("Missing Authentication Token");
  });

  it("answers a known path with a method it does not have with 403 Missing Authentication Token", async () => {
    const reply = await request("DELETE", "/v1/express-instance");
    expect(reply.status).toBe(403);
    expect(reply.json.message).toBe("Missing Authentication Token");
  });

  it("answers a path outside the stage with 403", async () => {
    const reply = await request("POST", "/express-instance", JSON.stringify({ instance_id: DEMO_INSTANCE_ID }), {
      "Content-Type": "application/json",
    });
    expect(reply.status).toBe(403);
  });

  it("refuses a body over API Gateway's 10 MB limit with 413", async () => {
    const reply = await request("POST", "/v1/express-instance", Buffer.alloc(10 * 1024 * 1024 + 1, 0x20), {
      "Content-Type": "application/json",
    });
    expect(reply.status).toBe(413);
  });
});

describe("behaviour read from the synthesized stack", () => {
  /** A copy of the synthesized stack, edited, served by a second local API. */
  async function serveEdited(
    edit: (json: Record<string, any>, dir: string) => void,
    extra: Partial<LocalApiOptions> = {},
  ): Promise<LocalApi> {
    const dir = fs.mkdtempSync(`${stackDir}-edited-`);
    fs.cpSync(stackDir, dir, { recursive: true });
    const file = path.join(dir, "cdk.tf.json");
    // The routes as resources, also when the stack defines them by its OpenAPI body (server.openapi.test.ts).
    const json = routesAsResources(dir);
    edit(json, dir);
    fs.writeFileSync(file, JSON.stringify(json));
    return startLocalApi({ stackDir: dir, port: 0, log: false, waitScale: 0.001, ec2TransitionDelayMs: 20, ...extra });
  }

  /** The Terraform name of the resource at a path part. */
  const resourceNamed = (json: Record<string, any>, pathPart: string) =>
    Object.entries(json.resource.aws_api_gateway_resource as Record<string, any>).find(([, r]) => r.path_part === pathPart)![0];

  it("answers with an edited response mapping template", async () => {
    const edited = await serveEdited((json) => {
      const resource = resourceNamed(json, "express-instance");
      for (const response of Object.values(json.resource.aws_api_gateway_integration_response as Record<string, any>)) {
        if (response.resource_id === `\${aws_api_gateway_resource.${resource}.id}` && !response.selection_pattern) {
          response.response_templates["application/json"] = '{"edited": "$input.path(\'$.status\')"}';
        }
      }
    });
    try {
      const response = await fetch(`${edited.url}/express-instance`, {
        method: "POST",
        body: JSON.stringify({ instance_id: DEMO_INSTANCE_ID }),
        headers: { "Content-Type": "application/json" },
      });
      expect(await response.json()).toEqual({ edited: "SUCCEEDED" });
    } finally {
      await edited.close();
    }
  });

  /** The serving copy with the EXPRESS workflow's definition replaced. */
  const withExpressDefinition = (definition: object, extra: Partial<LocalApiOptions> = {}) =>
    serveEdited((json, dir) => {
      const express = Object.values(json.resource.aws_sfn_state_machine as Record<string, any>).find((m) => m.type === "EXPRESS");
      const stack = new TerraformStackJson(json, dir, { region: "us-east-1", accountId: "123456789012", instanceIds: [] });
      fs.writeFileSync(stack.templatefilePath(parseTemplatefileCall(express.definition).path), JSON.stringify(definition));
    }, extra);

  describe("a DynamoDB putItem Task answered by a mock configuration (AWS's Step Functions Local format)", () => {
    const putItem = {
      StartAt: "PutItem",
      States: {
        PutItem: {
          Type: "Task",
          Resource: "arn:aws:states:::dynamodb:putItem",
          Parameters: { TableName: "instances", Item: { id: { "S.$": "$.instance_id" } } },
          Retry: [{ ErrorEquals: ["DynamoDB.ProvisionedThroughputExceededException"], IntervalSeconds: 1, MaxAttempts: 1 }],
          End: true,
        },
      },
    };
    const expressName = () => api.model.stateMachines.find((m) => m.type === "EXPRESS")!.name;
    const written = { SdkHttpMetadata: { HttpStatusCode: 200 } };
    const config = () => {
      const file = path.join(fs.mkdtempSync(`${stackDir}-mocks-`), "MockConfigFile.json");
      fs.writeFileSync(
        file,
        JSON.stringify({
          StateMachines: { [expressName()]: { TestCases: { HappyPath: { PutItem: "Written" }, Throttled: { PutItem: "ThrottledOnce" } } } },
          MockedResponses: {
            Written: { "0": { Return: written } },
            ThrottledOnce: {
              "0": {
                Throw: {
                  Error: "DynamoDB.ProvisionedThroughputExceededException",
                  Cause: "Rate of requests exceeds the allowed throughput.",
                },
              },
              "1": { Return: written },
            },
          },
        }),
      );
      return file;
    };
    const post = (url: string, testCase?: string) =>
      fetch(`${url}/express-instance`, {
        method: "POST",
        body: JSON.stringify({ instance_id: DEMO_INSTANCE_ID }),
        headers: { "Content-Type": "application/json", ...(testCase ? { "X-Mock-Test-Case": testCase } : {}) },
      });

    it("answers the mocked result of the test case named by the X-Mock-Test-Case header", async () => {
      const edited = await withExpressDefinition(putItem, { mockConfig: config(), mockTestCases: { [expressName()]: "Throttled" } });
      try {
        const response = await post(edited.url, "HappyPath");
        expect(await response.json()).toEqual(written);
      } finally {
        await edited.close();
      }
    });

    it("retries a Throw of the first attempt and succeeds with the second answer (the machine's default test case)", async () => {
      const edited = await withExpressDefinition(putItem, { mockConfig: config(), mockTestCases: { [expressName()]: "Throttled" } });
      try {
        const response = await post(edited.url);
        expect(await response.json()).toEqual(written);
      } finally {
        await edited.close();
      }
    });

    it("refuses to start with a mock of a state the machine does not have, naming it", async () => {
      const file = config();
      const json = JSON.parse(fs.readFileSync(file, "utf8"));
      json.StateMachines[expressName()].TestCases.HappyPath = { Missing: "Written" };
      fs.writeFileSync(file, JSON.stringify(json));
      await expect(withExpressDefinition(putItem, { mockConfig: file })).rejects.toThrow(
        `mock configuration ${file}: StateMachines.${expressName()}.TestCases.HappyPath.Missing is not a Task state of ${expressName()}`,
      );
    });
  });

  it("answers what a JSONata workflow with Assign, Output, a Choice and a Map computes", async () => {
    // Each construct as recorded on AWS: see __tests__/local/asl/cases.ts (variables, Output, JSONata, Map).
    const edited = await withExpressDefinition({
      QueryLanguage: "JSONata",
      StartAt: "Remember",
      States: {
        Remember: { Type: "Pass", Assign: { id: "{% $states.input.instance_id %}", factor: 10 }, Next: "Scale" },
        Scale: {
          Type: "Map",
          Items: "{% [1, 2, 3] %}",
          ItemProcessor: { StartAt: "Times", States: { Times: { Type: "Pass", Output: "{% $states.input * $factor %}", End: true } } },
          Assign: { total: "{% $sum($states.result) %}" },
          Next: "Big",
        },
        Big: { Type: "Choice", Choices: [{ Condition: "{% $total > 50 %}", Next: "Answer" }], Default: "Small" },
        Answer: { Type: "Pass", Output: { id: "{% $id %}", total: "{% $total %}" }, End: true },
        Small: { Type: "Fail", Error: "TooSmall" },
      },
    });
    try {
      const response = await fetch(`${edited.url}/express-instance`, {
        method: "POST",
        body: JSON.stringify({ instance_id: DEMO_INSTANCE_ID }),
        headers: { "Content-Type": "application/json" },
      });
      expect(await response.json()).toEqual({ id: DEMO_INSTANCE_ID, total: 60 });
    } finally {
      await edited.close();
    }
  });

  it("reports through the status route what the STANDARD twin of a JSONata workflow computed", async () => {
    const edited = await serveEdited((json, dir) => {
      const standard = Object.values(json.resource.aws_sfn_state_machine as Record<string, any>).find((m) => m.type === "STANDARD");
      const stack = new TerraformStackJson(json, dir, { region: "us-east-1", accountId: "123456789012", instanceIds: [] });
      fs.writeFileSync(
        stack.templatefilePath(parseTemplatefileCall(standard.definition).path),
        JSON.stringify({
          QueryLanguage: "JSONata",
          StartAt: "Remember",
          States: {
            Remember: { Type: "Pass", Assign: { id: "{% $states.input.instance_id %}" }, Next: "Pause" },
            Pause: { Type: "Wait", Seconds: "WAIT_SECONDS", Next: "Scale" },
            Scale: {
              Type: "Map",
              Items: "{% [1, 2, 3] %}",
              ItemProcessor: { StartAt: "Times", States: { Times: { Type: "Pass", Output: "{% $states.input * 10 %}", End: true } } },
              Assign: { total: "{% $sum($states.result) %}" },
              Next: "Big",
            },
            Big: { Type: "Choice", Choices: [{ Condition: "{% $total > 50 %}", Next: "Answer" }], Default: "Small" },
            Answer: { Type: "Pass", Output: { id: "{% $id %}", total: "{% $total %}" }, End: true },
            Small: { Type: "Fail", Error: "TooSmall" },
          },
        }).replace('"WAIT_SECONDS"', "${wait_seconds}"),
      );
    });
    try {
      const started = await fetch(`${edited.url}/standard-instance`, {
        method: "POST",
        body: JSON.stringify({ instance_id: DEMO_INSTANCE_ID }),
        headers: { "Content-Type": "application/json" },
      });
      expect(started.status).toBe(202);
      const { name } = (await started.json()) as { name: string };
      await edited.stepFunctions.idle();
      const status = await fetch(`${edited.url}/executions/${name}`);
      expect(await status.json()).toMatchObject({ status: "SUCCEEDED", output: { id: DEMO_INSTANCE_ID, total: 60 } });
    } finally {
      await edited.close();
    }
  });

  it("refuses to start, in one line naming the workflow, the state and the feature, a definition the interpreter cannot run", async () => {
    const start = withExpressDefinition({
      StartAt: "Fan",
      States: {
        Fan: {
          Type: "Map",
          ItemProcessor: {
            ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" },
            StartAt: "I",
            States: { I: { Type: "Pass", End: true } },
          },
          End: true,
        },
      },
    });
    const error: Error = await start.then(
      async (api) => {
        await api.close();
        throw new Error("started");
      },
      (e: Error) => e,
    );
    expect(error.message).not.toContain("\n");
    expect(error.message).toMatch(
      /^state machine \S+ \(.+\): state 'Fan' uses a distributed Map \(ProcessorConfig\.Mode DISTRIBUTED\), which the local interpreter does not implement$/,
    );
  });

  it("refuses to start a definition AWS refuses, with AWS's message", async () => {
    const error: Error = await withExpressDefinition({
      QueryLanguage: "JSONata",
      StartAt: "P",
      States: { P: { Type: "Pass", QueryLanguage: "JSONPath", End: true } },
    }).then(
      async (api) => {
        await api.close();
        throw new Error("started");
      },
      (e: Error) => e,
    );
    expect(error.message).toContain(
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: 'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine at /States/P'",
    );
  });

  it("runs an edited state machine definition", async () => {
    const edited = await serveEdited((json, dir) => {
      const express = Object.values(json.resource.aws_sfn_state_machine as Record<string, any>).find((m) => m.type === "EXPRESS");
      const stack = new TerraformStackJson(json, dir, { region: "us-east-1", accountId: "123456789012", instanceIds: [] });
      const asset = stack.templatefilePath(parseTemplatefileCall(express.definition).path);
      fs.writeFileSync(
        asset,
        JSON.stringify({ StartAt: "Edited", States: { Edited: { Type: "Pass", Result: { edited: "asl" }, End: true } } }),
      );
    });
    try {
      const response = await fetch(`${edited.url}/express-instance`, {
        method: "POST",
        body: JSON.stringify({ instance_id: DEMO_INSTANCE_ID }),
        headers: { "Content-Type": "application/json" },
      });
      expect(await response.json()).toEqual({ edited: "asl" });
    } finally {
      await edited.close();
    }
  });
});

describe("starting", () => {
  it("documents every environment variable npm run local reads in docs/local.md's settings table", () => {
    const read = new Set<string>();
    localOptionsFromEnv(new Proxy({}, { get: (_, name) => void read.add(String(name)) }));
    const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "local.md"), "utf8");
    const table = doc.slice(doc.indexOf("## Settings"), doc.indexOf("\n## ", doc.indexOf("## Settings") + 1));
    const documented = [...table.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((match) => match[1]);
    expect(read.size).toBeGreaterThan(5);
    for (const name of read) expect(documented, name).toContain(name);
  });

  it("names the setting that picks another port when the port is in use", async () => {
    await expect(startLocalApi({ stackDir, port: api.port, host: "127.0.0.1", log: false })).rejects.toThrow(
      `port ${api.port} of 127.0.0.1 is already in use: set PORT to another port (PORT=0 picks a free one)`,
    );
  });
});
