/** `npm run bench:local` (scripts/bench-local.ts), run as a user runs it on a fresh checkout. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { fixtureProject } from "../support/project";
import { run } from "../support/run";
import { testEnv } from "../support/synth";

describe("npm run bench:local", () => {
  it("synthesizes the stack itself, so it runs on a checkout where nothing was synthesized", async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-bench-local-"));
    const result = await run("npm", ["run", "--silent", "bench:local", "--", "--requests", "1", "--concurrency", "1"], {
      // The fixture project: the tests' configuration, not the checkout's cdktf.json or environment.
      cwd: fixtureProject(),
      env: testEnv({ CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" }),
      timeoutMs: 120_000,
    });
    expect(result.status, result.output).toBe(0);
    expect(result.stdout).toMatch(/^start-up \d+ ms \(synthesis \d+ ms,/m);
    expect(result.stdout).toMatch(/^sequential .*\(200 x1; 5xx: 0\)$/m);
    expect(fs.existsSync(path.join(outdir, "stacks", "apigw-sfn", "cdk.tf.json"))).toBe(true);
  }, 150_000);
});
