/**
 * `npm run synth` runs scripts/synth.cjs: main.ts compiled once into a bundle (rebuilt whenever a
 * source changes), run with V8's code cache. It must write exactly what `tsx main.ts` writes, fail
 * as it fails, and never run a stale bundle. Inside the bundle, asl-validator's schema check is
 * compiled at build time: it must judge every definition as asl-validator itself does.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "./support/run";

const ROOT = path.resolve(__dirname, "..");
const BUILD = path.join(ROOT, "scripts", "synth-build", "build.cjs");
const TEMPLATES = path.join(ROOT, "templates");

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

async function synth(command: "launcher" | "tsx" | "npm", env: Record<string, string>, cwd = ROOT) {
  const [file, args] =
    command === "launcher"
      ? [process.execPath, [path.join(cwd, "scripts", "synth.cjs")]]
      : command === "npm"
        ? ["npm", ["run", "--silent", "synth"]]
        : ["npx", ["tsx", "main.ts"]];
  return run(file, args, { cwd, env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env }, timeoutMs: 180_000 });
}

/** Builds `entry` with the synth build into a folder of the project (packages resolve from there). */
async function buildBundle(entry: string, name: string): Promise<{ outDir: string; bundle: string }> {
  const outDir = path.join(ROOT, ".build", `test-${name}-${process.pid}-${Date.now()}`);
  const script = `require(${JSON.stringify(BUILD)}).build({ root: ${JSON.stringify(ROOT)}, entry: ${JSON.stringify(entry)}, outDir: ${JSON.stringify(outDir)}, bundleName: ${JSON.stringify(name)} }).then((file) => console.log(file), (error) => { console.error(error.message); process.exit(1); })`;
  const result = await run(process.execPath, ["-e", script], { cwd: ROOT, timeoutMs: 120_000 });
  expect(result.status, result.output).toBe(0);
  return { outDir, bundle: result.stdout.trim() };
}

const workflowsFile = (() => {
  const file = path.join(tempDir("bundle-workflows"), "workflows.json");
  const express = (name: string) => ({
    name,
    type: "EXPRESS",
    templateFile: "state-machines/express.asl.json.tftpl",
    path: `ops/${name}`,
    requestSchema: "models/instance-request.schema.json",
    resources: ["demo-instance"],
  });
  fs.writeFileSync(
    file,
    JSON.stringify({
      workflows: [
        express("first"),
        { ...express("second"), type: "STANDARD", templateFile: "state-machines/standard.asl.json.tftpl", templateVariables: { wait_seconds: 5 }, statusPath: "runs" },
        express("third"),
      ],
    }),
  );
  return file;
})();

describe("npm run synth: the compiled bundle", () => {
  it("writes byte for byte what tsx main.ts writes: the default stack, HCL, and workflows from a file", async () => {
    const cases: [string, Record<string, string>][] = [
      ["default", {}],
      ["hcl", { SYNTH_HCL_OUTPUT: "true" }],
      ["workflows", { APIGW_SFN_WORKFLOWS_FILE: workflowsFile }],
    ];
    for (const [name, env] of cases) {
      const expected = path.join(tempDir(`tsx-${name}`), "out");
      const actual = path.join(tempDir(`bundle-${name}`), "out");
      const reference = await synth("tsx", { ...env, CDKTF_OUTDIR: expected });
      expect(reference.status, reference.output).toBe(0);
      const result = await synth(name === "default" ? "npm" : "launcher", { ...env, CDKTF_OUTDIR: actual });
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

  it("fails as tsx main.ts fails: the same message, status 1, nothing written", async () => {
    const dir = tempDir("bundle-errors");
    const badAsl = path.join(dir, "bad.asl.json.tftpl");
    fs.writeFileSync(badAsl, JSON.stringify({ StartAt: "A", States: { A: { Type: "Pass", InputPath: "$..[", Next: "Missing" } } }));
    const badSchema = path.join(dir, "bad.schema.json");
    fs.writeFileSync(badSchema, JSON.stringify({ title: "Bad", type: "object", properties: { a: { type: "no-such-type" } } }));
    const workflows = (overrides: Record<string, unknown>) => {
      const file = path.join(dir, `workflows-${Object.keys(overrides).join("-")}.json`);
      const workflow = { name: "bad", type: "EXPRESS", templateFile: "state-machines/express.asl.json.tftpl", path: "bad", resources: ["demo-instance"], ...overrides };
      fs.writeFileSync(file, JSON.stringify([workflow]));
      return file;
    };
    const cases: [string, Record<string, string>, string][] = [
      ["a bad setting", { APIGW_SFN_STAGE_NAME: "not a stage" }, 'environment variable APIGW_SFN_STAGE_NAME: "not a stage"'],
      ["an invalid ASL template", { APIGW_SFN_WORKFLOWS_FILE: workflows({ templateFile: badAsl }) }, "is not a valid Amazon States Language definition: "],
      ["an invalid request schema", { APIGW_SFN_WORKFLOWS_FILE: workflows({ requestSchema: badSchema }) }, "is not a valid JSON Schema (draft 4): "],
    ];
    for (const [name, env, message] of cases) {
      const outdirs = { tsx: path.join(dir, `tsx-${name}`), launcher: path.join(dir, `bundle-${name}`) };
      const reference = await synth("tsx", { ...env, CDKTF_OUTDIR: outdirs.tsx });
      const result = await synth("launcher", { ...env, CDKTF_OUTDIR: outdirs.launcher });
      expect(reference.status, name).toBe(1);
      expect(result.status, name).toBe(1);
      expect(result.stderr, name).toContain(`synth failed: `);
      expect(result.stderr, name).toContain(message);
      expect(result.stderr.trim(), name).toBe(reference.stderr.replace(/^npm warn.*\n/gm, "").trim());
      expect(filesUnder(outdirs.launcher), name).toEqual([]);
    }
  });
});

describe("the bundle is never stale", () => {
  let copy: string;
  const stampOf = () => JSON.parse(fs.readFileSync(path.join(copy, ".build", "synth", "main.stamp.json"), "utf8"));
  const description = async () => {
    const outdir = path.join(tempDir("copy-out"), "out");
    const result = await synth("launcher", { CDKTF_OUTDIR: outdir }, copy);
    expect(result.status, result.output).toBe(0);
    const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "apigw-sfn", "cdk.tf.json"), "utf8"));
    return json.resource.aws_api_gateway_rest_api.api.description as string;
  };

  beforeAll(() => {
    // A clone of the project: its files, and the installed packages linked.
    copy = tempDir("copy");
    for (const name of ["main.ts", "cdktf.json", "package.json", "tsconfig.json", "stacks", "local", "templates", "scripts"]) {
      fs.cpSync(path.join(ROOT, name), path.join(copy, name), { recursive: true });
    }
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(copy, "node_modules"), "dir");
  });

  it("is built on the first run, and rebuilt whenever a file it was built from changes", async () => {
    const stackFile = path.join(copy, "stacks", "apigw-sfn-stack.ts");
    const original = fs.readFileSync(stackFile, "utf8");
    expect(await description()).toBe("Starts Step Functions workflows: synchronously for EXPRESS, asynchronously for STANDARD");
    const first = stampOf().bundle;

    // Same size, and a modification time older than the build: only the content tells.
    fs.writeFileSync(stackFile, original.replace("synchronously for EXPRESS", "SYNCHRONOUSLY FOR EXPRESS"));
    fs.utimesSync(stackFile, new Date("2001-01-01T00:00:00Z"), new Date("2001-01-01T00:00:00Z"));
    expect(await description()).toBe("Starts Step Functions workflows: SYNCHRONOUSLY FOR EXPRESS, asynchronously for STANDARD");
    const second = stampOf().bundle;
    expect(second).not.toBe(first);

    // Touched, not changed: the same bundle runs.
    fs.utimesSync(stackFile, new Date(), new Date());
    expect(await description()).toBe("Starts Step Functions workflows: SYNCHRONOUSLY FOR EXPRESS, asynchronously for STANDARD");
    expect(stampOf().bundle).toBe(second);

    // Changed right after a run, within the same second: rebuilt.
    fs.writeFileSync(stackFile, original.replace("Starts Step Functions workflows", "Starts workflows"));
    expect(await description()).toBe("Starts workflows: synchronously for EXPRESS, asynchronously for STANDARD");
    // A file the changed one imports: rebuilt too.
    const templateFile = path.join(copy, "stacks", "terraform-template.ts");
    fs.appendFileSync(templateFile, '\nexport const ADDED_FOR_A_TEST = "x";\n');
    fs.writeFileSync(
      stackFile,
      `import { ADDED_FOR_A_TEST } from "./terraform-template";\n` +
        original.replace('"Starts Step Functions workflows:', '"Starts Step Functions workflows " + ADDED_FOR_A_TEST + ":'),
    );
    expect(await description()).toBe("Starts Step Functions workflows x: synchronously for EXPRESS, asynchronously for STANDARD");
    fs.writeFileSync(templateFile, fs.readFileSync(templateFile, "utf8").replace('ADDED_FOR_A_TEST = "x"', 'ADDED_FOR_A_TEST = "y"'));
    expect(await description()).toBe("Starts Step Functions workflows y: synchronously for EXPRESS, asynchronously for STANDARD");
  });

  it("synthesizes correctly from a corrupt code cache, and writes a good one", async () => {
    await description();
    const cacheFile = path.join(copy, ".build", "synth", `${stampOf().bundle}.v8cache`);
    expect(fs.existsSync(cacheFile)).toBe(true);
    fs.writeFileSync(cacheFile, Buffer.alloc(4096, 7));
    const expected = await description();
    expect(fs.readFileSync(cacheFile).equals(Buffer.alloc(4096, 7))).toBe(false);
    expect(await description()).toBe(expected);
  });

  it("keeps its build output out of git", () => {
    fs.mkdirSync(path.join(ROOT, ".build", "synth"), { recursive: true });
    const ignored = execFileSync("git", ["check-ignore", ".build/synth/main.stamp.json"], { cwd: ROOT, encoding: "utf8" });
    expect(ignored.trim()).toBe(".build/synth/main.stamp.json");
  });

  afterAll(() => {
    if (copy) fs.rmSync(copy, { recursive: true, force: true });
  });
});

describe("asl-validator in the bundle", () => {
  let bundled: (definition: unknown, options?: unknown) => { isValid: boolean; errors: unknown[]; errorsText: (s?: string) => string };
  let outDir: string;
  const library: typeof bundled = require("asl-validator");

  beforeAll(async () => {
    const entry = path.join(tempDir("asl-entry"), "entry.cjs");
    fs.writeFileSync(entry, `module.exports = require(${JSON.stringify(require.resolve("asl-validator"))});\n`);
    const built = await buildBundle(entry, "asl-validator");
    outDir = built.outDir;
    bundled = require(built.bundle);
  });

  afterAll(() => {
    if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
  });

  const express = JSON.parse(fs.readFileSync(path.join(TEMPLATES, "state-machines", "express.asl.json.tftpl"), "utf8"));
  const standard = JSON.parse(fs.readFileSync(path.join(TEMPLATES, "state-machines", "standard.asl.json.tftpl"), "utf8").replace("${wait_seconds}", "29"));
  const pass = (extra: Record<string, unknown>) => ({ StartAt: "A", States: { A: { Type: "Pass", End: true, ...extra } } });
  const CASES: [string, unknown, unknown?][] = [
    ["the EXPRESS template", express],
    ["the STANDARD template", standard],
    ["no StartAt", { States: { A: { Type: "Succeed" } } }],
    ["an unknown state type", { StartAt: "A", States: { A: { Type: "Sleep", End: true } } }],
    ["a bad InputPath", pass({ InputPath: "$..[" })],
    ["a bad ResultPath", pass({ ResultPath: "$.a[*]" })],
    ["a bad payload template path", pass({ Parameters: { "a.$": "$$$" } })],
    ["a bad intrinsic function", pass({ Parameters: { "a.$": "States.Nope($.x)" } })],
    ["a missing Next target", { StartAt: "A", States: { A: { Type: "Pass", Next: "B" } } }],
    ["Next and End", { StartAt: "A", States: { A: { Type: "Pass", Next: "A", End: true } } }],
    ["a bad task ARN", { StartAt: "A", States: { A: { Type: "Task", Resource: "not-an-arn", End: true } } }],
    ["two timeouts", { StartAt: "A", States: { A: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", TimeoutSeconds: 1, TimeoutSecondsPath: "$.t", End: true } } }],
    ["a good timestamp", { StartAt: "A", States: { A: { Type: "Wait", Timestamp: "2024-01-01T00:00:00Z", End: true } } }],
    ["a bad timestamp", { StartAt: "A", States: { A: { Type: "Wait", Timestamp: "yesterday", End: true } } }],
    ["a Choice with a bad Variable", { StartAt: "C", States: { C: { Type: "Choice", Choices: [{ Variable: "$..", IsPresent: true, Next: "D" }], Default: "D" }, D: { Type: "Succeed" } } }],
    ["a good JSONata expression", { QueryLanguage: "JSONata", StartAt: "A", States: { A: { Type: "Pass", Output: "{% $states.input.x %}", End: true } } }],
    ["a bad JSONata expression", { QueryLanguage: "JSONata", StartAt: "A", States: { A: { Type: "Pass", Output: "{% ( %}", End: true } } }],
    ["a bad JSONata condition", { QueryLanguage: "JSONata", StartAt: "C", States: { C: { Type: "Choice", Choices: [{ Condition: "{% $x = %}", Next: "D" }], Default: "D" }, D: { Type: "Succeed" } } }],
    ["a Map with errors in its processor", { StartAt: "M", States: { M: { Type: "Map", ItemProcessor: { StartAt: "X", States: { X: { Type: "Pass", OutputPath: "$[", Next: "Y" } } }, End: true } } }],
    ["a Parallel branch that leaves", { StartAt: "P", States: { P: { Type: "Parallel", Branches: [{ StartAt: "X", States: { X: { Type: "Pass", Next: "Z" } } }], Next: "Z" }, Z: { Type: "Succeed" } } }],
    ["a Fail with Cause and CausePath", { StartAt: "F", States: { F: { Type: "Fail", Cause: "x", CausePath: "$.c" } } }],
    ["not an object", [1, 2]],
    ["paths unchecked (options)", pass({ InputPath: "$..[" }), { checkPaths: false, checkArn: true }],
    ["ARNs unchecked (options)", { StartAt: "A", States: { A: { Type: "Task", Resource: "not-an-arn", End: true } } }, { checkPaths: true, checkArn: false }],
  ];

  /** The verdict, the errors and their text, or what it threw (asl-validator throws on some shapes). */
  const outcome = (validate: typeof bundled, definition: unknown, options?: unknown) => {
    try {
      const result = validate(structuredClone(definition), options);
      return { isValid: result.isValid, errors: result.errors, text: result.errorsText("; ") };
    } catch (error) {
      return { threw: `${(error as Error).name}: ${(error as Error).message}` };
    }
  };
  const compare = (definition: unknown, options?: unknown) => {
    const expected = outcome(library, definition, options);
    expect(outcome(bundled, definition, options)).toEqual(expected);
    return "isValid" in expected && expected.isValid;
  };

  it("judges every definition as asl-validator does, with the same errors", () => {
    const verdicts = CASES.map(([name, definition, options]) => [name, compare(definition, options)]);
    // The corpus holds both kinds.
    expect(verdicts.filter(([, valid]) => valid).length).toBeGreaterThan(2);
    expect(verdicts.filter(([, valid]) => !valid).length).toBeGreaterThan(10);
  });

  it("judges mutated templates as asl-validator does", () => {
    const value = fc.oneof(
      fc.constantFrom("$", "$.x", "$$.Execution.Id", "$[", "States.Array($.a)", "States.Nope()", "{% $x %}", "{% ( %}", "arn:aws:states:::lambda:invoke", "Succeed", "Wait", "2024-01-01T00:00:00Z"),
      fc.string({ maxLength: 6 }),
      fc.integer({ min: -2, max: 100 }),
      fc.boolean(),
      fc.constant(null),
      fc.constant({}),
    );
    const paths = (node: unknown, prefix: string[] = []): string[][] =>
      node !== null && typeof node === "object"
        ? Object.entries(node).flatMap(([key, child]) => [[...prefix, key], ...paths(child, [...prefix, key])])
        : [];
    fc.assert(
      fc.property(fc.constantFrom(express, standard), fc.nat(), fc.option(value, { nil: undefined }), (template, pick, replacement) => {
        const definition = structuredClone(template);
        const all = paths(definition);
        const target = all[pick % all.length];
        let parent: Record<string, unknown> = definition;
        for (const key of target.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
        if (replacement === undefined) delete parent[target[target.length - 1]];
        else parent[target[target.length - 1]] = replacement;
        compare(definition);
      }),
      // asl-validator compiles its schema on every call (a few hundred milliseconds each).
      { numRuns: 25 },
    );
  });
});

describe("packages in the bundle", () => {
  it("zips a folder asset (cdktf runs its own zip helper with node, from node_modules)", async () => {
    const dir = tempDir("archive");
    fs.mkdirSync(path.join(dir, "site"));
    fs.writeFileSync(path.join(dir, "site", "index.html"), "<p>hello</p>\n");
    const entry = path.join(dir, "entry.cjs");
    fs.writeFileSync(
      entry,
      [
        // The zip helper must not be this bundle: a second run of it would say so and fail.
        `if (process.env.APIGW_SFN_ARCHIVE_TEST) { console.error("the bundle ran itself"); process.exit(3); }`,
        `process.env.APIGW_SFN_ARCHIVE_TEST = "1";`,
        `const { App, AssetType, TerraformAsset, TerraformStack } = require(${JSON.stringify(path.dirname(require.resolve("cdktf/package.json")))});`,
        `const app = new App({ outdir: process.env.OUT });`,
        `const stack = new TerraformStack(app, "archive");`,
        `new TerraformAsset(stack, "site", { path: process.env.SRC, type: AssetType.ARCHIVE });`,
        `app.synth();`,
      ].join("\n"),
    );
    const { outDir, bundle } = await buildBundle(entry, "archive");
    try {
      const out = path.join(dir, "out");
      const result = await run(process.execPath, [bundle], { cwd: ROOT, env: { ...process.env, OUT: out, SRC: path.join(dir, "site") }, timeoutMs: 60_000 });
      expect(result.status, result.output).toBe(0);
      const zips = filesUnder(out).filter((file) => file.endsWith(".zip"));
      expect(zips).toHaveLength(1);
      expect(fs.statSync(path.join(out, zips[0])).size).toBeGreaterThan(0);
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  });
});
