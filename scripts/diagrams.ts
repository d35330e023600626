/**
 * `npm run diagrams`: writes docs/workflows.md, one Mermaid flowchart per state machine, from the
 * definitions as Terraform renders them, for the workflows of the checkout's cdktf.json (its
 * `context`; the environment is not read, so the page does not depend on who generates it).
 * `npm run docs` writes it too, with the other generated pages.
 *
 * `npm run diagrams -- --check` writes nothing and exits 1 when the file is out of date; the test
 * (__tests__/local/diagrams.test.ts) compares with the same workflowsDoc(), so the two always agree.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { workflowsMarkdown } from "../local/diagrams";
import { readStack } from "../local/stack-reader";
import { ROOT_STACK, synth } from "../main";

const PROJECT_ROOT = path.resolve(__dirname, "..");

export const WORKFLOWS_DOC = path.join(PROJECT_ROOT, "docs", "workflows.md");

/** docs/workflows.md as the checkout's configuration (cdktf.json, no environment) generates it. */
export function workflowsDoc(): string {
  // A scratch output folder: regenerating the diagrams leaves cdktf.out as it was.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-diagrams-"));
  try {
    const { stackDirs } = synth({ outdir: scratch, env: {}, cdktfJson: path.join(PROJECT_ROOT, "cdktf.json") });
    return workflowsMarkdown(readStack(stackDirs[ROOT_STACK]));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** A generated page: where it goes and its text as generated now. */
export interface GeneratedPage {
  readonly file: string;
  readonly text: string;
}

/**
 * Writes each page that differs from its file, or with `check` only reports it; returns whether
 * every page was up to date. Prints one line per page.
 */
export function refreshPages(pages: readonly GeneratedPage[], check: boolean): boolean {
  let upToDate = true;
  for (const { file, text } of pages) {
    const name = path.relative(PROJECT_ROOT, file);
    if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === text) {
      console.log(`${name} is up to date`);
      continue;
    }
    upToDate = false;
    if (check) {
      console.log(`${name} is out of date: run npm run docs`);
    } else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      console.log(`wrote ${name}`);
    }
  }
  return upToDate;
}

function main(): void {
  const check = process.argv.includes("--check");
  if (!refreshPages([{ file: WORKFLOWS_DOC, text: workflowsDoc() }], check) && check) process.exitCode = 1;
}

if (require.main === module) main();
