/** Mapping templates are checked while synthesizing; a template the parser accepted is not parsed again. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { App, TerraformStack } from "cdktf";
import { TemplateError } from "../../../lang/terraform-template";
import { mappingTemplate } from "../../../stacks/constructs/mapping-template";

function templateFile(text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-mapping-")), "t.vtl.tftpl");
  fs.writeFileSync(file, text);
  return file;
}

describe("mappingTemplate", () => {
  const stack = new TerraformStack(new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-mapping-out-")) }), "s");

  it("rejects invalid VTL every time it is asked, never from memory", () => {
    const file = templateFile('#if($input.path("$.a") == 1)\nunclosed ${marker}\n');
    for (let i = 0; i < 2; i++) {
      expect(() => mappingTemplate(stack, file, { marker: "x" })).toThrow(TemplateError);
      expect(() => mappingTemplate(stack, file, { marker: "x" })).toThrow(/is not a valid mapping template/);
    }
  });

  it("accepts valid VTL, the second time from memory, with the same result", () => {
    const file = templateFile('#set($a = $input.path("$.a"))\n{"a": "$a", "m": "${marker}"}\n');
    const first = mappingTemplate(stack, file, { marker: "x" });
    expect(mappingTemplate(stack, file, { marker: "x" })).toBe(first);
    expect(first).toContain('"m": "x"');
  });
});
