#!/usr/bin/env bash
# The suite is the project's, not the configuration's: in a copy of the project whose cdktf.json
# adds a workflow of another service (an EXPRESS workflow sending to an SQS queue) to the article's
# two, as docs/architecture.md says to add one, with the generated pages refreshed by the documented
# command (npm run docs), the whole suite (npm test) passes. .ci/run runs it after npm test.
#
# The copy holds the project's files as git lists them (committed, and new ones not ignored) as
# they are in the working tree, and links the installed node_modules. It is removed afterwards.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
COPY=$(mktemp -d "${TMPDIR:-/tmp}/apigw-sfn-configured-XXXXXX")
trap 'rm -rf "$COPY"' EXIT

cd "$ROOT"
git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' file; do [ -f "$file" ] && printf '%s\0' "$file"; done |
  xargs -0 cp --parents -t "$COPY"
ln -s "$ROOT/node_modules" "$COPY/node_modules"
cd "$COPY"
# A repository of its own: the tests that ask git what it ignores read the copy's .gitignore.
git init -q

# The new workflow: its template in templates/, its queue in "resources", nothing else.
cat >templates/state-machines/orders.asl.json.tftpl <<'TEMPLATE'
{
  "Comment": "Queues the order it is given, for a worker to process.",
  "StartAt": "QueueOrder",
  "States": {
    "QueueOrder": {
      "Type": "Task",
      "Resource": "arn:aws:states:::sqs:sendMessage",
      "Parameters": { "QueueUrl": "${queue_url}", "MessageBody.$": "$" },
      "End": true
    }
  }
}
TEMPLATE
# cdktf.json's workflows: the ones it lists (else the defaults), and the new one.
npx tsx -e '
import * as fs from "node:fs";
import { DEFAULT_WORKFLOWS } from "./stacks/workflows";
const cdktf = JSON.parse(fs.readFileSync("cdktf.json", "utf8"));
cdktf.context = cdktf.context ?? {};
cdktf.context.workflows = [
  ...(cdktf.context.workflows ?? DEFAULT_WORKFLOWS),
  {
    name: "orders",
    type: "EXPRESS",
    templateFile: "state-machines/orders.asl.json.tftpl",
    templateVariables: { queue_url: "https://sqs.us-east-1.amazonaws.com/123456789012/orders" },
    path: "orders",
    resources: ["arn:aws:sqs:us-east-1:123456789012:orders"],
  },
];
fs.writeFileSync("cdktf.json", `${JSON.stringify(cdktf, null, 2)}\n`);
'
echo "check-configured: cdktf.json of a copy of the project now lists $(node -p 'require("./cdktf.json").context.workflows.map((w) => w.name).join(", ")')"

npm run --silent docs
grep -q '^## apigw-sfn-orders (EXPRESS)$' docs/workflows.md || { echo "npm run docs did not draw the new workflow" >&2; exit 1; }
npm test
echo "check-configured: the suite passes with a third workflow in cdktf.json"
