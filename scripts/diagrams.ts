/**
 * `npm run diagrams`: synthesizes the stack (main.ts) and writes docs/workflows.md, one Mermaid
 * flowchart per state machine, from the definitions as Terraform renders them.
 *
 * `npm run diagrams -- --check` writes nothing and exits 1 when the file is out of date.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { workflowsMarkdown } from "../local/diagrams";
import { readStack } from "../local/stack-reader";
import { ROOT_STACK, synth } from "../main";

const PROJECT_ROOT = path.resolve(__dirname, "..");

const DOC = path.join(PROJECT_ROOT, "docs", "workflows.md");

function main(): void {
  const check = process.argv.includes("--check");
  // A scratch output folder: regenerating the diagrams leaves cdktf.out as it was.
  const { outdir, stackDirs } = synth({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-diagrams-")) });
  const text = workflowsMarkdown(readStack(stackDirs[ROOT_STACK]));
  fs.rmSync(outdir, { recursive: true, force: true });
  const current = fs.existsSync(DOC) ? fs.readFileSync(DOC, "utf8") : undefined;
  const name = path.relative(PROJECT_ROOT, DOC);
  if (current === text) {
    console.log(`${name} is up to date`);
  } else if (check) {
    console.log(`${name} is out of date: run npm run diagrams`);
    process.exit(1);
  } else {
    fs.mkdirSync(path.dirname(DOC), { recursive: true });
    fs.writeFileSync(DOC, text);
    console.log(`wrote ${name}`);
  }
}

main();
