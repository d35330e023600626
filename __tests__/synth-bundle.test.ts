/**
 * `npm run synth` runs scripts/synth.cjs: scripts/synth-entry.ts bundled by esbuild. What a user
 * relies on: it writes exactly what an in-process synth() writes, it runs the sources as they are
 * now, and a stack trace names the TypeScript files. The commands run in the fixture project
 * (support/project.ts), configured as the tests are, not as the checkout is.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { synth as synthInProcess } from "../main";
import { copyProject, fixtureProject } from "./support/project";
import { run } from "./support/run";
import { TEST_CDKTF_JSON, testEnv } from "./support/synth";

const ROOT = path.resolve(__dirname, "..");

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `apigw-sfn-${prefix}-`));
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** Every file of both folders, byte for byte. */
function expectSameFiles(actual: string, expected: string): void {
  const files = filesUnder(expected);
  expect(files.length).toBeGreaterThan(0);
  expect(filesUnder(actual)).toEqual(files);
  for (const file of files) {
    expect(fs.readFileSync(path.join(actual, file)).equals(fs.readFileSync(path.join(expected, file))), file).toBe(true);
  }
}

function launch(args: string[], env: Record<string, string>, cwd = fixtureProject()) {
  return run(process.execPath, args, { cwd, env: testEnv({ CHECKPOINT_DISABLE: "1", ...env }), timeoutMs: 120_000 });
}

function workflowsFile(): string {
  const file = path.join(tempDir("bundle-workflows"), "workflows.json");
  const express = (name: string) => ({
    name,
    type: "EXPRESS",
    templateFile: "state-machines/express.asl.json.tftpl",
    path: `ops/${name}`,
    requestSchema: "models/instance-request.schema.json",
    resources: ["demo-instance"],
  });
  const standard = {
    ...express("second"),
    type: "STANDARD",
    templateFile: "state-machines/standard.asl.json.tftpl",
    templateVariables: { wait_seconds: 5 },
    statusPath: "runs",
  };
  fs.writeFileSync(file, JSON.stringify({ workflows: [express("first"), standard, express("third")] }));
  return file;
}

describe("npm run synth: the bundled app", () => {
  it("writes byte for byte what synth() writes in process: the default stack, HCL, and workflows from a file", async () => {
    const cases: [string, Record<string, string>][] = [
      ["default", {}],
      ["hcl", { SYNTH_HCL_OUTPUT: "true" }],
      ["workflows", { APIGW_SFN_WORKFLOWS_FILE: workflowsFile() }],
    ];
    for (const [name, env] of cases) {
      const expected = path.join(tempDir(`in-process-${name}`), "out");
      synthInProcess({ outdir: expected, cdktfJson: TEST_CDKTF_JSON, env: testEnv(env) });
      const actual = path.join(tempDir(`bundle-${name}`), "out");
      const result =
        name === "default"
          ? await run("npm", ["run", "--silent", "synth"], {
              cwd: fixtureProject(),
              env: testEnv({ CHECKPOINT_DISABLE: "1", CDKTF_OUTDIR: actual }),
            })
          : await launch(["scripts/synth.cjs"], { ...env, CDKTF_OUTDIR: actual });
      expect(result.status, result.output).toBe(0);
      expectSameFiles(actual, expected);
    }
  });

  it("is the app cdktf.json gives the CDKTF CLI, so that cdktf synth runs it too", () => {
    const cdktfJson = JSON.parse(fs.readFileSync(path.join(ROOT, "cdktf.json"), "utf8"));
    const packageJson = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(cdktfJson.app).toBe("node scripts/synth.cjs");
    expect(packageJson.scripts.synth).toBe(cdktfJson.app);
  });

  it("refuses arguments (as cdktf's zip helper would pass), so that it never runs itself in a loop", async () => {
    const outdir = path.join(tempDir("bundle-args"), "out");
    const result = await launch(["scripts/synth.cjs", "some-folder", "some.zip"], { CDKTF_OUTDIR: outdir });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^synth failed: .*takes no arguments/)]);
    expect(filesUnder(outdir)).toEqual([]);
  });

  it("keeps its build output out of git", () => {
    const ignored = execFileSync("git", ["check-ignore", ".build/synth/inputs.json", ".build/accepted/x"], { cwd: ROOT, encoding: "utf8" });
    expect(ignored.trim().split("\n")).toEqual([".build/synth/inputs.json", ".build/accepted/x"]);
  });
});

describe("the bundle of a copy of the project", () => {
  let copy: string;
  const sourceFile = () => path.join(copy, "stacks", "constructs", "workflow-api.ts");
  const bundles = () => fs.readdirSync(path.join(copy, ".build", "synth")).filter((name) => /^synth-[0-9a-f]+\.cjs$/.test(name));
  /** The API's description as the copy's synth writes it. */
  const description = async () => {
    const outdir = path.join(tempDir("copy-out"), "out");
    const result = await launch([path.join(copy, "scripts", "synth.cjs")], { CDKTF_OUTDIR: outdir }, copy);
    expect(result.status, result.output).toBe(0);
    const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "apigw-sfn", "cdk.tf.json"), "utf8"));
    return json.resource.aws_api_gateway_rest_api.api.description as string;
  };

  beforeAll(() => {
    // A clone of the project: its files, and the installed packages linked.
    copy = copyProject();
  });

  afterAll(() => {
    if (copy) fs.rmSync(copy, { recursive: true, force: true });
  });

  it("runs the sources as they are: a change is picked up by the next run, and only a change rebuilds", async () => {
    const original = fs.readFileSync(sourceFile(), "utf8");
    const edit = (from: string, to: string) => {
      expect(original).toContain(from);
      return original.replace(from, to);
    };
    expect(await description()).toBe("Starts Step Functions workflows: synchronously for EXPRESS, asynchronously for STANDARD");
    const first = bundles();
    expect(first).toHaveLength(1);
    expect(await description()).toBe("Starts Step Functions workflows: synchronously for EXPRESS, asynchronously for STANDARD");
    expect(bundles()).toEqual(first);

    // Same size, and a modification time from long ago: the content tells.
    fs.writeFileSync(sourceFile(), edit("synchronously for EXPRESS", "SYNCHRONOUSLY FOR EXPRESS"));
    fs.utimesSync(sourceFile(), new Date("2001-01-01T00:00:00Z"), new Date("2001-01-01T00:00:00Z"));
    expect(await description()).toBe("Starts Step Functions workflows: SYNCHRONOUSLY FOR EXPRESS, asynchronously for STANDARD");

    // A new file, imported by a changed one, and then a change to that new file alone.
    const added = path.join(copy, "stacks", "constructs", "added-for-a-test.ts");
    fs.writeFileSync(added, 'export const ADDED = "x";\n');
    fs.writeFileSync(
      sourceFile(),
      `import { ADDED } from "./added-for-a-test";\n${edit('"Starts Step Functions workflows:', '"Starts " + ADDED + ":')}`,
    );
    expect(await description()).toBe("Starts x: synchronously for EXPRESS, asynchronously for STANDARD");
    fs.writeFileSync(added, 'export const ADDED = "y";\n');
    expect(await description()).toBe("Starts y: synchronously for EXPRESS, asynchronously for STANDARD");
    fs.writeFileSync(sourceFile(), original);
  });

  it("prints stack traces that name the TypeScript file and line with --enable-source-maps", async () => {
    const file = path.join(copy, "stacks", "constructs", "rest-api.ts");
    const original = fs.readFileSync(file, "utf8");
    const anchor = "    super(scope, id);\n";
    expect(original).toContain(anchor);
    const planted = original.replace(anchor, `${anchor}    if (props.name) throw new TypeError("a planted bug");\n`);
    fs.writeFileSync(file, planted);
    const line = planted.split("\n").findIndex((text) => text.includes("a planted bug")) + 1;
    try {
      const outdir = path.join(tempDir("copy-bug"), "out");
      const result = await launch(["--enable-source-maps", path.join(copy, "scripts", "synth.cjs")], { CDKTF_OUTDIR: outdir }, copy);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^synth failed: a planted bug$/m);
      // A bug, not a user's mistake: the trace is printed, and names the source.
      expect(result.stderr).toContain(`stacks/constructs/rest-api.ts:${line}:`);
      expect(filesUnder(outdir)).toEqual([]);
    } finally {
      fs.writeFileSync(file, original);
    }
  });
});
