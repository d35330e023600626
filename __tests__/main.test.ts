/** The two synth commands a user runs, as processes: `npm run synth` (scripts/synth.cjs) and `cdktf synth`. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { run as runCommand } from "./support/run";

const ROOT = path.resolve(__dirname, "..");

function run(command: string, args: string[], env: Record<string, string> = {}) {
  return runCommand(command, args, { cwd: ROOT, env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env }, timeoutMs: 120_000 });
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

/** Both outputs, the root stack and the reusable module, each with its two state machine templates and no local path. */
function expectPortableStack(outdir: string): void {
  const files = filesUnder(outdir);
  for (const stack of ["apigw-sfn", "apigw-sfn-module"]) {
    expect(files).toContain(path.join("stacks", stack, "cdk.tf.json"));
    const templates = files.filter((file) => file.startsWith(path.join("stacks", stack, "assets") + path.sep) && file.endsWith(".asl.json.tftpl"));
    expect(templates, stack).toHaveLength(2);
  }
  for (const file of files) {
    const text = fs.readFileSync(path.join(outdir, file), "utf8");
    for (const local of [outdir, ROOT, os.homedir(), os.tmpdir()]) expect(text, file).not.toContain(local);
  }
}

describe("synth", () => {
  it("npm run synth writes a self-contained, portable stack and module with no AWS credentials", async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-main-"));
    const result = await run("npm", ["run", "--silent", "synth"], { CDKTF_OUTDIR: outdir, AWS_ACCESS_KEY_ID: "", AWS_PROFILE: "" });
    expect(result.status, result.output).toBe(0);
    expectPortableStack(outdir);
  });

  it("npx cdktf synth writes the same stack and module through the CDKTF CLI", async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-cli-"));
    const result = await run("npx", ["cdktf", "synth", "--output", outdir]);
    expect(result.status, result.output).toBe(0);
    expectPortableStack(outdir);
  });

  it("writes only the root stack with moduleOutput off, removing a module an earlier synth wrote", async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-nomodule-"));
    expect((await run("node", ["scripts/synth.cjs"], { CDKTF_OUTDIR: outdir })).status).toBe(0);
    expect(fs.existsSync(path.join(outdir, "stacks", "apigw-sfn-module", "cdk.tf.json"))).toBe(true);
    const result = await run("node", ["scripts/synth.cjs"], { CDKTF_OUTDIR: outdir, APIGW_SFN_MODULE_OUTPUT: "false" });
    expect(result.status, result.output).toBe(0);
    expect(fs.existsSync(path.join(outdir, "stacks", "apigw-sfn", "cdk.tf.json"))).toBe(true);
    expect(filesUnder(path.join(outdir, "stacks", "apigw-sfn-module"))).toEqual([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks)).toEqual(["apigw-sfn"]);
  });

  it("stops with a message naming the bad setting and writes nothing", async () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-bad-")), "out");
    const result = await run("npx", ["tsx", "main.ts"], { CDKTF_OUTDIR: outdir, APIGW_SFN_STAGE_NAME: "not a stage" });
    expect(result.status).toBe(1);
    expect(result.output).toContain('synth failed: invalid configuration:');
    expect(result.output).toContain('environment variable APIGW_SFN_STAGE_NAME: "not a stage"');
    expect(filesUnder(outdir)).toEqual([]);
  });
});
