/**
 * A copy of the project configured by the tests' cdktf.json (support/synth.ts TEST_CDKTF_JSON)
 * instead of the checkout's: the place to run the commands a user runs (`npm run synth`, `npx cdktf
 * synth`, `npm run local`) without reading the checkout's configuration. Its sources are the
 * checkout's, copied; its installed packages are the checkout's, linked.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TEST_CDKTF_JSON } from "./synth";

const ROOT = path.resolve(__dirname, "..", "..");

/** What the commands read: the entry points, both sides, the templates, the project's files. */
const PROJECT_FILES = ["main.ts", "package.json", "tsconfig.json", "lang", "stacks", "local", "scripts", "templates"];

let shared: string | undefined;

/** The folder of the fixture project, made once per test process; for tests that change nothing in it. */
export function fixtureProject(): string {
  shared ??= copyProject();
  return shared;
}

/** A new copy of the fixture project, for a test that changes its files. */
export function copyProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-fixture-project-"));
  for (const name of PROJECT_FILES) fs.cpSync(path.join(ROOT, name), path.join(dir, name), { recursive: true });
  // The project's cdktf.json (the app, the language), with the tests' configuration as its context.
  const cdktfJson = JSON.parse(fs.readFileSync(path.join(ROOT, "cdktf.json"), "utf8"));
  const { context } = JSON.parse(fs.readFileSync(TEST_CDKTF_JSON, "utf8"));
  fs.writeFileSync(path.join(dir, "cdktf.json"), `${JSON.stringify({ ...cdktfJson, context }, null, 2)}\n`);
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}
