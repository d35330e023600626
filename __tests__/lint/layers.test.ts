/**
 * The layer rules of .dependency-cruiser.cjs (run by `npm run lint`): the project's tree passes, and
 * each rule fails on a tree that breaks it, so a rule that silently stopped matching is noticed.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../support/run";

const ROOT = path.resolve(__dirname, "../..");
const CRUISE = path.join(ROOT, "node_modules", ".bin", "depcruise");
const CONFIG = path.join(ROOT, ".dependency-cruiser.cjs");

/** Runs dependency-cruiser with the project's rules over a folder. */
function cruise(cwd: string, paths: readonly string[]) {
  return run(CRUISE, ["--config", CONFIG, "--output-type", "err", ...paths], { cwd, timeoutMs: 60_000 });
}

/** A small tree in a temporary folder: files (path -> text), with a tsconfig and package.json. */
function tree(files: Readonly<Record<string, string>>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-layers-"));
  const all: Record<string, string> = {
    "tsconfig.json": JSON.stringify({ compilerOptions: { module: "commonjs", strict: true } }),
    "package.json": JSON.stringify({ name: "fixture", dependencies: {}, devDependencies: { vitest: "*" } }),
    ...files,
  };
  for (const [name, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

describe("layer rules", () => {
  it("pass on the project's own tree", async () => {
    const result = await cruise(ROOT, ["main.ts", "lang", "stacks", "local", "scripts", "__tests__"]);
    expect(result.status, result.output).toBe(0);
  });

  it.each([
    [
      "lang-is-the-bottom",
      { "lang/a.ts": 'import { b } from "../stacks/b";\nexport const a = b;\n', "stacks/b.ts": "export const b = 1;\n" },
    ],
    [
      "deploy-side-not-emulator",
      { "stacks/b.ts": 'import { c } from "../local/c";\nexport const b = c;\n', "local/c.ts": "export const c = 1;\n" },
    ],
    [
      "emulator-not-deploy-side",
      { "local/c.ts": 'import { b } from "../stacks/b";\nexport const c = b;\n', "stacks/b.ts": "export const b = 1;\n" },
    ],
    [
      "constructs-not-app",
      {
        "stacks/constructs/d.ts": 'import { config } from "../config";\nexport const d = config;\n',
        "stacks/config.ts": "export const config = 1;\n",
      },
    ],
    ["app-not-emulator", { "main.ts": 'import { c } from "./local/c";\nexport const m = c;\n', "local/c.ts": "export const c = 1;\n" }],
    [
      "no-circular",
      {
        "stacks/x.ts": 'import { y } from "./y";\nexport const x = () => y;\n',
        "stacks/y.ts": 'import { x } from "./x";\nexport const y = () => x;\n',
      },
    ],
    ["no-undeclared-dependency", { "stacks/e.ts": 'import { Compile } from "velocityjs";\nexport const e = Compile;\n' }],
    ["no-dev-dependency-at-run-time", { "local/f.ts": 'import { expect } from "vitest";\nexport const f = expect;\n' }],
  ])("%s fails on a tree that breaks it", async (rule, files) => {
    const dir = tree(files);
    const result = await cruise(dir, Object.keys(files));
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(rule);
  });
});
