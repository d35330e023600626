/**
 * `npm run local` as a process (the command npm runs: tsx scripts/local.ts): it synthesizes, serves
 * the documented curl examples with the documented statuses, and stops cleanly on Ctrl-C.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureProject } from "../support/project";
import { run } from "../support/run";
import { testEnv } from "../support/synth";

const ROOT = path.resolve(__dirname, "..", "..");
const TSX = require.resolve("tsx/cli");

/** The curl commands against localhost:3000 in a Markdown file, each with the status its `# NNN:` comment announces. */
function curlExamples(file: string): Array<{ command: string; status: number | undefined; file: string }> {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const examples: Array<{ command: string; status: number | undefined; file: string }> = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith("curl ")) continue;
    const first = i;
    let command = lines[i];
    while (command.endsWith("\\") && i + 1 < lines.length) command = `${command.slice(0, -1)}${lines[++i]}`;
    if (!command.includes("localhost:3000")) continue;
    let status: number | undefined;
    for (let j = first - 1; j >= 0 && lines[j].startsWith("#"); j--) {
      const announced = /^# (\d{3})\b/.exec(lines[j]);
      if (announced) status = Number(announced[1]);
    }
    examples.push({ command, status, file: path.relative(ROOT, file) });
  }
  return examples;
}

describe("npm run local", () => {
  let child: ChildProcessWithoutNullStreams;
  let output = "";
  let origin: string;

  beforeAll(async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-local-"));
    // In the fixture project: the documented examples are of the tests' configuration, not the checkout's.
    child = spawn(process.execPath, [TSX, "scripts/local.ts"], {
      cwd: fixtureProject(),
      // Executions end at once (waits x0.001), so no example's workflow is still toggling the
      // instance when the next example runs; the statuses are the documented ones either way.
      env: testEnv({
        PORT: "0",
        LOCAL_WAIT_SCALE: "0.001",
        CDKTF_OUTDIR: outdir,
        AWS_ACCESS_KEY_ID: "",
        AWS_SECRET_ACCESS_KEY: "",
        AWS_PROFILE: "",
      }),
    });
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm run local did not start:\n${output}`)), 90_000);
      const ready = () => {
        if (output.includes("Press Ctrl-C to stop.")) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on("data", ready);
      child.on("exit", (code) => reject(new Error(`npm run local exited with ${code}:\n${output}`)));
    });
    origin = /Base URL (http:\/\/localhost:\d+)\/v1/.exec(output)![1];
  });

  afterAll(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });

  it("prints the routes, the simulated instance and the authorization warning at start", () => {
    expect(output).toMatch(/POST http:\/\/localhost:\d+\/v1\/express-instance +states:StartSyncExecution -> apigw-sfn-express/);
    expect(output).toMatch(/POST http:\/\/localhost:\d+\/v1\/standard-instance +states:StartExecution -> apigw-sfn-standard/);
    expect(output).toContain("i-0123456789abcdef0  stopped");
    expect(output).toContain("The local API does NOT check AWS_IAM authorization");
  });

  it("answers the curl examples of docs/local.md, docs/api.md and the README with the statuses they announce", async () => {
    const examples = ["docs/local.md", "docs/api.md", "README.md"].flatMap((file) => curlExamples(path.join(ROOT, file)));
    expect(examples.length).toBeGreaterThanOrEqual(6);
    for (const example of examples) {
      expect(example.status, `${example.file}: no "# NNN: ..." comment announces the status of ${example.command}`).toBeDefined();
      const result = await run("bash", ["-c", example.command.replaceAll("http://localhost:3000", origin)], { timeoutMs: 30_000 });
      expect(result.status, `${example.command}\n${result.stderr}`).toBe(0);
      const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(result.stdout)?.[1]);
      expect(status, `${example.file}: ${example.command}\n${result.stdout}`).toBe(example.status);
      // Let the instance finish its transition (200 ms) before the next example.
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  });

  it("stops cleanly on Ctrl-C (SIGINT)", async () => {
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(output).toContain("stopped");
  });
});

it("refuses a bad setting, naming the variable, before synthesizing", async () => {
  const result = await run(process.execPath, [TSX, "scripts/local.ts"], {
    cwd: fixtureProject(),
    env: testEnv({ LOCAL_INSTANCES: "i-123:maybe" }),
    timeoutMs: 60_000,
  });
  expect(result.status).toBe(2);
  expect(result.stderr).toContain('LOCAL_INSTANCES: "i-123:maybe" is not <instance id>[:stopped|:running]');
});
