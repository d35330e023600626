/**
 * scripts/smoke.ts, the end-to-end check a user runs against `npm run local` or the deployed
 * stage: it passes against the local API serving the project's stack, and it reports failures
 * (and exits non-zero) against an API that breaks the contract.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalApi, type LocalApi } from "../../local/server";
import { runSmoke } from "../../scripts/smoke";
import { run } from "../support/run";
import { synthStack } from "../support/synth";

const ROOT = path.resolve(__dirname, "..", "..");

describe("against the local API", () => {
  let api: LocalApi;
  const lines: string[] = [];
  let result: Awaited<ReturnType<typeof runSmoke>>;

  beforeAll(async () => {
    // 0.01: the EXPRESS workflow's 25-second timeout is 250 ms, room enough for its retries.
    api = await startLocalApi({ stackDir: synthStack().stackDir, port: 0, log: false, waitScale: 0.01, ec2TransitionDelayMs: 20 });
    result = await runSmoke({ url: api.url, out: (line) => lines.push(line), pollMs: 20, timeoutMs: 20_000 });
  });

  afterAll(async () => {
    await api?.close();
  });

  it("passes every check it runs", () => {
    expect(
      lines.filter((line) => line.startsWith("FAIL")),
      lines.join("\n"),
    ).toEqual([]);
    expect(result.failed).toBe(0);
    expect(result.passed).toBeGreaterThanOrEqual(6);
  });

  it("prints each check with PASS, FAIL or SKIP", () => {
    const checks = lines.filter((line) => /^(PASS|FAIL|SKIP) {2}/.test(line));
    expect(checks).toHaveLength(result.passed + result.failed + result.skipped);
  });

  it("ends with the line 'N passed, M failed'", () => {
    expect(lines[lines.length - 1]).toBe(`${result.passed} passed, 0 failed`);
  });

  it("leaves the demo instance stopped", async () => {
    await api.stepFunctions.idle();
    await api.ec2.idle();
    expect(api.ec2.stateOf("i-0123456789abcdef0")).toBe(result.skipped > 0 ? "running" : "stopped");
  });
});

describe("against an API that answers 200 to everything", () => {
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    server = http.createServer((_req, res) => res.writeHead(200, { "Content-Type": "application/json" }).end("{}"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });

  afterAll(() => {
    server.close();
  });

  it("reports the broken checks as FAIL with what it received", async () => {
    const lines: string[] = [];
    const result = await runSmoke({ url, out: (line) => lines.push(line), pollMs: 10, timeoutMs: 1000 });
    expect(result.failed).toBeGreaterThanOrEqual(5);
    expect(lines).toContain("FAIL  A body sent as text/plain is refused: 415 Unsupported Media Type: expected status 415; got 200 {}");
    expect(lines[lines.length - 1]).toBe(`${result.passed} passed, ${result.failed} failed`);
  });

  it("exits with a non-zero status from the command line", async () => {
    // Not spawnSync: the server answering the smoke test runs in this process.
    const result = await run(
      process.execPath,
      [require.resolve("tsx/cli"), "scripts/smoke.ts", "--url", url, "--no-sigv4", "--timeout", "1"],
      { cwd: ROOT, timeoutMs: 60_000 },
    );
    expect(result.status).toBe(1);
    expect(result.stdout.trim().split("\n").pop()).toMatch(/^\d+ passed, [1-9]\d* failed$/);
  });
});

it("refuses to run without --url, saying how to call it", async () => {
  const result = await run(process.execPath, [require.resolve("tsx/cli"), "scripts/smoke.ts"], { cwd: ROOT, timeoutMs: 60_000 });
  expect(result.status).toBe(2);
  expect(result.stderr).toContain("--url <base URL of the stage> is required");
});
