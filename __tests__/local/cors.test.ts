/**
 * CORS through the local API, from the stack synthesized with CORS origins set: the emulator serves
 * the OPTIONS MOCK routes and applies what synth wrote (the templates' responseOverride headers and
 * the gateway responses' response parameters), never the configuration. A browser sees
 * Access-Control-Allow-Origin on every answer, so it sees the API's own status.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalApi, startLocalApi } from "../../local/server";
import { DEFAULT_WORKFLOWS } from "../../stacks/workflows";
import type { WorkflowConfig } from "../../stacks/workflows";
import { type Reply, request } from "../support/http";
import { synthStack, testConfig } from "../support/synth";

const APP = "https://app.example.com";
const DEV = "http://localhost:5173";
const EVIL = "https://evil.example";

/** An EXPRESS workflow that fails with an error no configuration maps: 500. */
const BROKEN: WorkflowConfig = {
  name: "broken",
  type: "EXPRESS",
  templateFile: "",
  templateVariables: {},
  path: "broken",
  resources: [],
};
const BROKEN_ASL = { StartAt: "Fail", States: { Fail: { Type: "Fail", Error: "Broken.Always", Cause: "always" } } };

let api: LocalApi;
const dirs: string[] = [];

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-cors-"));
  dirs.push(dir);
  const templateFile = path.join(dir, "broken.asl.json.tftpl");
  fs.writeFileSync(templateFile, JSON.stringify(BROKEN_ASL));
  const synth = synthStack({
    config: testConfig({ corsAllowedOrigins: `${APP},${DEV}`, corsAllowCredentials: true }),
    workflows: [...DEFAULT_WORKFLOWS, { ...BROKEN, templateFile }],
  });
  dirs.push(synth.outdir);
  api = await startLocalApi({ stackDir: synth.stackDir, port: 0, log: false, ec2TransitionDelayMs: 10 });
});

afterAll(async () => {
  await api?.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function post(route: string, body: unknown, origin: string = APP, headers: Record<string, string> = {}): Promise<Reply> {
  return request(api.origin, "POST", `/v1/${route}`, typeof body === "string" ? body : JSON.stringify(body), {
    "Content-Type": "application/json",
    Origin: origin,
    ...headers,
  });
}

function preflight(route: string, origin: string, method = "POST"): Promise<Reply> {
  return request(api.origin, "OPTIONS", `/v1/${route}`, undefined, {
    Origin: origin,
    "Access-Control-Request-Method": method,
    "Access-Control-Request-Headers": "content-type,authorization",
  });
}

/** Expects the CORS headers of an answer to an allowed origin. */
function expectCors(reply: Reply, origin: string): void {
  expect(reply.headers["access-control-allow-origin"], `${reply.status} ${reply.text}`).toBe(origin);
  expect(reply.headers["access-control-allow-credentials"]).toBe("true");
  expect(reply.headers["access-control-expose-headers"]).toBe("Location,x-amzn-RequestId");
  expect(reply.headers.vary).toBe("Origin");
}

describe("the CORS preflight, served locally", () => {
  it("answers an allowed origin's preflight with 200, its origin, the path's methods, the headers and the max age", async () => {
    const reply = await preflight("express-instance", APP);
    expect(reply.status).toBe(200);
    expect(reply.headers["access-control-allow-origin"]).toBe(APP);
    expect(reply.headers["access-control-allow-methods"]).toBe("OPTIONS,POST");
    expect(reply.headers["access-control-allow-headers"]).toBe(
      "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,Idempotency-Key",
    );
    expect(reply.headers["access-control-max-age"]).toBe("7200");
    expect(reply.headers["access-control-allow-credentials"]).toBe("true");
    expect(reply.headers.vary).toBe("Origin");
  });

  it("answers each allowed origin with its own, whatever the letter case of the Origin header's name", async () => {
    const reply = await request(api.origin, "OPTIONS", "/v1/executions/some-name", undefined, { origin: DEV });
    expect(reply.status).toBe(200);
    expect(reply.headers["access-control-allow-origin"]).toBe(DEV);
    expect(reply.headers["access-control-allow-methods"]).toBe("GET,OPTIONS");
  });

  it("answers a disallowed origin's preflight with no CORS header, so the browser refuses the call", async () => {
    const reply = await preflight("express-instance", EVIL);
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.headers).filter((name) => name.startsWith("access-control-"))).toEqual([]);
    expect(reply.headers.vary).toBe("Origin");
  });
});

describe("CORS headers on every answer of a route", () => {
  it("carries them on the 200 of the EXPRESS route", async () => {
    const reply = await post("express-instance", { instance_id: "i-0123456789abcdef0" });
    expect(reply.status).toBe(200);
    expectCors(reply, APP);
  });

  it("carries them on the 202 of the STANDARD route, beside its Location header", async () => {
    const reply = await post("standard-instance", { instance_id: "i-0123456789abcdef0" }, DEV);
    expect(reply.status).toBe(202);
    expect(reply.headers.location).toMatch(/^\/v1\/executions\//);
    expectCors(reply, DEV);
  });

  it("carries them on the 400 of the body validator (a gateway response)", async () => {
    const reply = await post("express-instance", { instance: "i-0123456789abcdef0" });
    expect(reply.status).toBe(400);
    expect(reply.json.error).toBe("BadRequestBody");
    expectCors(reply, APP);
  });

  it("carries them on the 403 of an unsigned request to no route (MISSING_AUTHENTICATION_TOKEN)", async () => {
    const reply = await post("no-such-route", {});
    expect(reply.status).toBe(403);
    expect(reply.json.error).toBe("MissingAuthenticationToken");
    expectCors(reply, APP);
  });

  it("carries them on the 415 of a body that is not JSON", async () => {
    const reply = await post("express-instance", "instance_id=x", APP, { "Content-Type": "text/plain" });
    expect(reply.status).toBe(415);
    expectCors(reply, APP);
  });

  it("carries them on the 404 of the workflow's error map (Instance.NotFound)", async () => {
    const reply = await post("express-instance", { instance_id: "i-00000000000000000" });
    expect(reply.status).toBe(404);
    expect(reply.json.error).toBe("Instance.NotFound");
    expectCors(reply, APP);
  });

  it("carries them on the 500 of a failure no error map names", async () => {
    const reply = await post("broken", {});
    expect(reply.status).toBe(500);
    expect(reply.json.error).toBe("Broken.Always");
    expectCors(reply, APP);
  });

  it("carries them on the 404 of the status route (the Step Functions error template)", async () => {
    const reply = await request(api.origin, "GET", "/v1/executions/never-started", undefined, { Origin: DEV });
    expect(reply.status).toBe(404);
    expectCors(reply, DEV);
  });

  it("gives a disallowed origin none of them on a route's answer, and the same status", async () => {
    const reply = await post("express-instance", { instance_id: "i-00000000000000000" }, EVIL);
    expect(reply.status).toBe(404);
    expect(Object.keys(reply.headers).filter((name) => name.startsWith("access-control-"))).toEqual([]);
    expect(reply.headers.vary).toBe("Origin");
  });
});

describe("CORS with any origin (*), served locally", () => {
  let any: LocalApi;

  beforeAll(async () => {
    const synth = synthStack({ config: testConfig({ corsAllowedOrigins: "*" }) });
    dirs.push(synth.outdir);
    any = await startLocalApi({ stackDir: synth.stackDir, port: 0, log: false, ec2TransitionDelayMs: 10 });
  });

  afterAll(async () => {
    await any?.close();
  });

  it("answers every origin's preflight with *, without Vary or credentials", async () => {
    const reply = await request(any.origin, "OPTIONS", "/v1/standard-instance", undefined, { Origin: EVIL });
    expect(reply.status).toBe(200);
    expect(reply.headers["access-control-allow-origin"]).toBe("*");
    expect(reply.headers["access-control-allow-credentials"]).toBeUndefined();
    expect(reply.headers.vary).toBeUndefined();
  });

  it("answers * on a route's answer and on a gateway response", async () => {
    const ok = await request(any.origin, "POST", "/v1/express-instance", JSON.stringify({ instance_id: "i-0123456789abcdef0" }), {
      "Content-Type": "application/json",
      Origin: EVIL,
    });
    expect(ok.status).toBe(200);
    expect(ok.headers["access-control-allow-origin"]).toBe("*");
    const unsigned = await request(any.origin, "DELETE", "/v1/express-instance", undefined, { Origin: EVIL });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers["access-control-allow-origin"]).toBe("*");
  });
});
