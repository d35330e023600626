import { describe, expect, it } from "vitest";
import { apiDefinitionModes } from "../../../scripts/lib/api-definition-modes";
import { SETTINGS, type Setting } from "../../../stacks/config";

/** A build's settings with the apiDefinition setting (as issue 19 declares it) taking `values`. */
function withSetting(values: readonly string[]): Setting[] {
  const setting = {
    key: "apiDefinition",
    env: "APIGW_SFN_API_DEFINITION",
    description: "how the REST API is defined",
    kind: "string",
    default: "resources",
    constraint: { oneOf: values },
  } as unknown as Setting;
  return [...SETTINGS.filter((s) => (s.key as string) !== "apiDefinition"), setting];
}

describe("API definition modes", () => {
  it("has only the resources mode in a build that declares no apiDefinition setting, measured with the default configuration", () => {
    const modes = apiDefinitionModes(SETTINGS.filter((s) => (s.key as string) !== "apiDefinition"));
    expect(modes).toEqual([
      { mode: "resources" },
      { mode: "openapi", unavailable: "not in this build (stacks/config.ts declares no apiDefinition setting)" },
    ]);
  });

  it("selects each mode by the setting's environment variable in a build that declares both values", () => {
    expect(apiDefinitionModes(withSetting(["resources", "openapi"]))).toEqual([
      { mode: "resources", env: { APIGW_SFN_API_DEFINITION: "resources" } },
      { mode: "openapi", env: { APIGW_SFN_API_DEFINITION: "openapi" } },
    ]);
  });

  it("says which value a build's setting does not take", () => {
    expect(apiDefinitionModes(withSetting(["resources"]))[1]).toEqual({
      mode: "openapi",
      unavailable: 'not in this build (APIGW_SFN_API_DEFINITION does not take "openapi")',
    });
  });
});
