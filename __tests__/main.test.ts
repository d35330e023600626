/**
 * The synth commands a user runs, as processes: `npm run synth` (scripts/synth.cjs), `npm run
 * synth:module` and `cdktf synth`; and what they print when the configuration or a workflow is wrong.
 * They run in the fixture project (support/project.ts): the tests' configuration, not the checkout's.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { fixtureProject } from "./support/project";
import { CDKTF_CLI_STARTS, run as runCommand } from "./support/run";
import { testEnv } from "./support/synth";

const ROOT = path.resolve(__dirname, "..");

function run(command: string, args: string[], env: Record<string, string> = {}) {
  return runCommand(command, args, { cwd: fixtureProject(), env: testEnv({ CHECKPOINT_DISABLE: "1", ...env }), timeoutMs: 120_000 });
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The stacks written, each with its two state machine templates, and no path of this machine anywhere. */
function expectPortableStacks(outdir: string, stacks: readonly string[]): void {
  const files = filesUnder(outdir);
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  expect(Object.keys(manifest.stacks)).toEqual(stacks);
  for (const stack of stacks) {
    expect(files).toContain(path.join("stacks", stack, "cdk.tf.json"));
    const templates = files.filter(
      (file) => file.startsWith(path.join("stacks", stack, "assets") + path.sep) && file.endsWith(".asl.json.tftpl"),
    );
    expect(templates, stack).toHaveLength(2);
  }
  for (const file of files) {
    const text = fs.readFileSync(path.join(outdir, file), "utf8");
    for (const local of [outdir, fixtureProject(), ROOT, os.homedir(), os.tmpdir()]) expect(text, file).not.toContain(local);
  }
}

describe("synth", () => {
  it("npm run synth writes one self-contained, portable stack with no AWS credentials", async () => {
    const outdir = tempDir("apigw-sfn-main-");
    const result = await run("npm", ["run", "--silent", "synth"], { CDKTF_OUTDIR: outdir, AWS_ACCESS_KEY_ID: "", AWS_PROFILE: "" });
    expect(result.status, result.output).toBe(0);
    expectPortableStacks(outdir, ["apigw-sfn"]);
  });

  it("npm run synth says in one line what it wrote where", async () => {
    const outdir = path.join(tempDir("apigw-sfn-said-"), "out");
    const result = await run("npm", ["run", "--silent", "synth"], { CDKTF_OUTDIR: outdir });
    expect(result.stdout).toBe(`synth wrote apigw-sfn to ${path.join(outdir, "stacks", "apigw-sfn", "cdk.tf.json")}, with its assets/\n`);
    // Run from another folder with a relative output folder: the line names it as given.
    const module = await runCommand("node", [path.join(ROOT, "scripts", "synth.cjs")], {
      cwd: tempDir("apigw-sfn-said-"),
      env: { ...process.env, CHECKPOINT_DISABLE: "1", CDKTF_OUTDIR: "out", APIGW_SFN_MODULE_OUTPUT: "true" },
      timeoutMs: 120_000,
    });
    expect(module.stdout).toBe(
      "synth wrote apigw-sfn to out/stacks/apigw-sfn/cdk.tf.json and apigw-sfn-module to out/stacks/apigw-sfn-module/cdk.tf.json, each with its assets/\n",
    );
  });

  it.skipIf(!CDKTF_CLI_STARTS)("npx cdktf synth writes the same single stack, so cdktf deploy and diff need no stack name", async () => {
    const outdir = tempDir("apigw-sfn-cli-");
    const result = await run("npx", ["cdktf", "synth", "--output", outdir]);
    expect(result.status, result.output).toBe(0);
    expectPortableStacks(outdir, ["apigw-sfn"]);
    const listed = await run("npx", ["cdktf", "list", "--output", outdir]);
    expect(listed.status, listed.output).toBe(0);
    const names = [...listed.stdout.matchAll(/^(\S+)\s+\S*stacks\//gm)].map((match) => match[1]);
    expect(names).toEqual(["apigw-sfn"]);
  });

  it("npm run synth:module also writes the reusable module, and a later synth removes it", async () => {
    const outdir = tempDir("apigw-sfn-module-");
    const withModule = await run("npm", ["run", "--silent", "synth:module"], { CDKTF_OUTDIR: outdir });
    expect(withModule.status, withModule.output).toBe(0);
    expectPortableStacks(outdir, ["apigw-sfn", "apigw-sfn-module"]);
    const plain = await run("node", ["scripts/synth.cjs"], { CDKTF_OUTDIR: outdir });
    expect(plain.status, plain.output).toBe(0);
    expect(filesUnder(path.join(outdir, "stacks", "apigw-sfn-module"))).toEqual([]);
    expectPortableStacks(outdir, ["apigw-sfn"]);
  });
});

describe("synth errors", () => {
  /** Runs npm run synth's command and expects one `synth failed:` line, exit 1, no stack trace and nothing written. */
  async function expectOneLineFailure(env: Record<string, string>, message: RegExp): Promise<string> {
    const outdir = path.join(tempDir("apigw-sfn-bad-"), "out");
    const result = await run("node", ["scripts/synth.cjs"], { CDKTF_OUTDIR: outdir, ...env });
    expect(result.status, result.output).toBe(1);
    const lines = result.stderr.split("\n").filter((line) => line.trim() !== "" && !/npm warn/i.test(line));
    expect(lines[0]).toMatch(/^synth failed: /);
    expect(result.output).toMatch(message);
    expect(result.output, "no stack trace").not.toMatch(/^\s+at /m);
    expect(result.stdout).toBe("");
    expect(filesUnder(outdir)).toEqual([]);
    return result.output;
  }

  function workflowsFile(workflows: unknown): string {
    const file = path.join(tempDir("apigw-sfn-workflows-"), "workflows.json");
    fs.writeFileSync(file, JSON.stringify(workflows));
    return file;
  }

  const express = {
    name: "express",
    type: "EXPRESS",
    templateFile: "state-machines/express.asl.json.tftpl",
    path: "express-instance",
    resources: ["demo-instance"],
  };

  it("names the bad setting and where it came from", async () => {
    await expectOneLineFailure(
      { APIGW_SFN_STAGE_NAME: "not a stage" },
      /environment variable APIGW_SFN_STAGE_NAME: "not a stage" must hold/,
    );
  });

  it("names the workflow and the field when a Task acts on resources the workflow does not list", async () => {
    const file = workflowsFile([{ ...express, resources: [] }]);
    await expectOneLineFailure(
      { APIGW_SFN_WORKFLOWS_FILE: file },
      /workflow "express": its tasks call ec2:StartInstances, ec2:StopInstances, which must be limited .* list them in its "resources"/,
    );
  });

  it("names the workflow and the state when a Task's IAM action cannot be derived", async () => {
    const templatesDir = tempDir("apigw-sfn-templates-");
    fs.writeFileSync(
      path.join(templatesDir, "odd.asl.json.tftpl"),
      JSON.stringify({ StartAt: "Odd", States: { Odd: { Type: "Task", Resource: "arn:aws:states:::glue:startJobRun.sync", End: true } } }),
    );
    // STANDARD: AWS refuses a .sync integration in an EXPRESS machine before any IAM is derived.
    const file = workflowsFile([{ name: "odd", type: "STANDARD", templateFile: "odd.asl.json.tftpl", path: "odd" }]);
    await expectOneLineFailure(
      { APIGW_SFN_WORKFLOWS_FILE: file, APIGW_SFN_TEMPLATES_DIR: templatesDir },
      /workflow "odd": state "Odd": cannot derive the IAM action of the Task resource "arn:aws:states:::glue:startJobRun.sync"/,
    );
  });

  it("refuses a template file outside the templates folder without reading it", async () => {
    const file = workflowsFile([{ ...express, templateFile: "/etc/passwd" }]);
    const output = await expectOneLineFailure(
      { APIGW_SFN_WORKFLOWS_FILE: file },
      /workflows\[0\] \("express"\): "templateFile" must name a file inside templates\/ \(the templatesDir setting\), got "\/etc\/passwd"/,
    );
    expect(output).not.toContain("root:");
  });

  it("refuses a template path that climbs out of the templates folder", async () => {
    const file = workflowsFile([{ ...express, templateFile: "../package.json" }]);
    await expectOneLineFailure({ APIGW_SFN_WORKFLOWS_FILE: file }, /"templateFile" must name a file inside templates\//);
  });
});
