/**
 * `npm run docs` (scripts/docs.ts): docs/configuration.md is generated from the SETTINGS table and
 * the declarations of a workflow's fields, and the committed page is what the generator writes today; its
 * `--check` says what the tests say of every generated page.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { constraintMessage } from "../../lang/constraints";
import { SETTINGS } from "../../stacks/config";
import { CONFIGURATION_DOC, configurationMarkdown, generatedPages, workflowFields } from "../../scripts/docs";
import { run } from "../support/run";
import { testEnv } from "../support/synth";

const ROOT = path.resolve(__dirname, "..", "..");

describe("docs/configuration.md", () => {
  it("is what npm run docs generates from the current SETTINGS and workflow fields", () => {
    const committed = fs.readFileSync(CONFIGURATION_DOC, "utf8");
    expect(committed === configurationMarkdown(), "docs/configuration.md is out of date: run npm run docs").toBe(true);
  });
});

describe("npm run docs -- --check", () => {
  it("agrees with the tests: it exits 0 exactly when every generated page is what the tests expect", async () => {
    const stale = generatedPages()
      .filter(({ file, text }) => !fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text)
      .map(({ file }) => path.relative(ROOT, file));
    const result = await run(process.execPath, [require.resolve("tsx/cli"), "scripts/docs.ts", "--check"], {
      cwd: ROOT,
      env: testEnv(),
      timeoutMs: 120_000,
    });
    expect(result.status, result.output).toBe(stale.length === 0 ? 0 : 1);
    const reported = [...result.stdout.matchAll(/^(\S+) is out of date: run npm run docs$/gm)].map((match) => match[1]);
    expect(reported).toEqual(stale);
  });
});

describe("the generated page", () => {
  const page = configurationMarkdown();
  const rowOf = (key: string) => page.split("\n").find((line) => line.startsWith(`| \`${key}\` |`));

  it("has a row per setting with its environment variable, default, constraint and description", () => {
    for (const setting of SETTINGS) {
      const row = rowOf(setting.key);
      expect(row, setting.key).toBeDefined();
      expect(row).toContain(`\`${setting.env}\``);
      expect(row).toContain(`\`${String(setting.default)}\``);
      expect(row).toContain(setting.description);
      if (setting.constraint) expect(row).toContain(constraintMessage(setting.constraint).replace(/</g, "&lt;"));
    }
  });

  it("changes with the SETTINGS table, so a stale page fails the test above", () => {
    const changed = SETTINGS.map((s) => (s.key === "stageName" ? { ...s, default: "prod", constraint: { min: 1, max: 2 } } : s));
    const row = configurationMarkdown(changed)
      .split("\n")
      .find((line) => line.startsWith("| `stageName` |"));
    expect(row).toContain("`prod`");
    expect(row).toContain("must be between 1 and 2");
  });

  it("escapes a | of a pattern, which would otherwise split the table's cells", () => {
    expect(rowOf("region")).toContain("(-gov\\|-iso");
  });

  it("documents every field of a workflow from its declaration (stacks/workflow-fields.ts), with its default", () => {
    const fields = workflowFields();
    expect(fields.map((f) => f.name)).toEqual([
      "name",
      "type",
      "templateFile",
      "templateVariables",
      "path",
      "requestSchema",
      "statusPath",
      "resources",
      "errors",
      "method",
      "input",
      "authorization",
      "authorizationScopes",
    ]);
    expect(fields.find((f) => f.name === "errors")).toMatchObject({ type: "Record<string, number>", optional: true, defaultValue: "{}" });
    expect(fields.find((f) => f.name === "type")!.type).toBe('"EXPRESS" | "STANDARD"');
    expect(fields.find((f) => f.name === "templateVariables")).toMatchObject({
      type: "Record<string, string | number>",
      optional: true,
      defaultValue: "{}",
    });
    expect(fields.find((f) => f.name === "requestSchema")).toMatchObject({ optional: true, defaultValue: "no validation" });
    expect(rowOf("statusPath")).toContain('| no | `"<path>/executions"` | STANDARD only:');
    expect(rowOf("name")).toContain("| yes | – | Short name:");
  });
});
