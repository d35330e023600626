/**
 * The local API keeps the integration timeout the synthesized stack sets (timeout_milliseconds,
 * from the integrationTimeoutMs setting), unscaled, while the workflows' waits are scaled: an
 * execution that outlasts it answers API Gateway's 504 INTEGRATION_TIMEOUT response, one that
 * ends within it answers as usual, and the banner says the timeout.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type LocalApi, startLocalApi } from "../../local/server";
import type { WorkflowConfig } from "../../stacks/workflows";
import { synthStack, testConfig } from "../support/synth";

/** The integration timeout of the stack: 2 s, unscaled. */
const TIMEOUT_MS = 2000;
/** Waits x0.1: the slow workflow's 60 s Wait lasts 6 s, three times the timeout; the quick one's 5 s lasts 0.5 s. */
const WAIT_SCALE = 0.1;

/** An EXPRESS workflow of one Wait state, without TimeoutSeconds (a TimeoutSeconds would have to fit in 2 s). */
function waiting(name: string, seconds: number): WorkflowConfig {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-local-timeout-"));
  const file = path.join(dir, `${name}.asl.json.tftpl`);
  fs.writeFileSync(file, JSON.stringify({ StartAt: "Wait", States: { Wait: { Type: "Wait", Seconds: seconds, End: true } } }));
  return { name, type: "EXPRESS", templateFile: file, templateVariables: {}, path: name, resources: [] };
}

let api: LocalApi;
let outdir: string;

beforeAll(async () => {
  // Each workflow has no TimeoutSeconds under a 2 s timeout: synth warns about it, which is not this file's subject.
  const spy = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    const synth = synthStack({
      config: testConfig({ integrationTimeoutMs: TIMEOUT_MS, authorization: "NONE", allowUnauthenticated: true }),
      workflows: [waiting("slow", 60), waiting("quick", 5)],
    });
    outdir = synth.outdir;
    api = await startLocalApi({ stackDir: synth.stackDir, port: 0, log: false, waitScale: WAIT_SCALE });
  } finally {
    spy.mockRestore();
  }
});

afterAll(async () => {
  await api?.close();
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
});

async function post(route: string): Promise<{ status: number; json: unknown; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${api.url}/${route}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
  const json = await response.json();
  return { status: response.status, json, ms: performance.now() - started };
}

describe("the integration timeout in the local API", () => {
  it("answers 504 IntegrationTimeout once the synthesized timeout has passed, though the execution goes on", async () => {
    const reply = await post("slow");
    expect(reply.status).toBe(504);
    expect(reply.json).toEqual({ error: "IntegrationTimeout", message: "Endpoint request timed out" });
    // Not before the timeout; well before the scaled 6 s Wait ends.
    expect(reply.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(reply.ms).toBeLessThan(5000);
    expect(api.stepFunctions.runningCount).toBe(1);
  });

  it("answers the workflow's result when it ends within the timeout", async () => {
    const reply = await post("quick");
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({});
  });

  it("says the synthesized timeout in the banner, not a fixed 29 s", () => {
    expect(api.banner.join("\n")).toContain("integration timeouts are not scaled (2 s)");
  });
});
