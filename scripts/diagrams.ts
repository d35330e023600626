/**
 * `npm run diagrams`: synthesizes the stack (main.ts) and writes docs/workflows.md, one Mermaid
 * flowchart per state machine, from the definitions as Terraform renders them. When README.md
 * holds the markers of a generated section (see local/diagrams.ts), that section is rewritten too.
 *
 * `npm run diagrams -- --check` writes nothing and exits 1 when a file is out of date.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { updateReadmeSection, workflowsMarkdown } from "../local/diagrams";
import { readStack } from "../local/stack-reader";
import { ROOT_STACK, synth } from "../main";

const PROJECT_ROOT = path.resolve(__dirname, "..");

const DOC = path.join(PROJECT_ROOT, "docs", "workflows.md");
const README = path.join(PROJECT_ROOT, "README.md");

function main(): void {
  const check = process.argv.includes("--check");
  // A scratch output folder: regenerating the diagrams leaves cdktf.out as it was.
  const { outdir, stackDirs } = synth({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-diagrams-")) });
  const model = readStack(stackDirs[ROOT_STACK]);
  const wanted = new Map<string, string>([[DOC, workflowsMarkdown(model)]]);
  if (fs.existsSync(README)) {
    const updated = updateReadmeSection(fs.readFileSync(README, "utf8"), model);
    if (updated !== undefined) wanted.set(README, updated);
  }
  let stale = 0;
  for (const [file, text] of wanted) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
    const name = path.relative(PROJECT_ROOT, file);
    if (current === text) {
      console.log(`${name} is up to date`);
    } else if (check) {
      console.log(`${name} is out of date: run npm run diagrams`);
      stale += 1;
    } else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      console.log(`wrote ${name}`);
    }
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  process.exit(stale > 0 ? 1 : 0);
}

main();
