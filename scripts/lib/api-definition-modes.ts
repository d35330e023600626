/**
 * The ways the REST API can be defined (issue 19): as one Terraform resource per path, method,
 * integration and response ("resources", the default) or as one OpenAPI body ("openapi"), chosen
 * by the setting `apiDefinition`. A build whose stacks/config.ts does not declare the setting, or
 * not that value, has only the resources mode; the bench then says a mode is "not in this build".
 */
import { SETTINGS, type Setting } from "../../stacks/config";

/** The setting that chooses the mode. */
export const API_DEFINITION_SETTING = "apiDefinition";
export const API_DEFINITION_MODES = ["resources", "openapi"] as const;
export type ApiDefinitionMode = (typeof API_DEFINITION_MODES)[number];

export interface ModeAvailability {
  readonly mode: ApiDefinitionMode;
  /** The environment variable and value that select it; none for the resources mode of a build without the setting (it is the only mode there). */
  readonly env?: Readonly<Record<string, string>>;
  /** Why it cannot be measured in this build, when it cannot. */
  readonly unavailable?: string;
}

/** Each mode, with how to select it or why this build has it not. */
export function apiDefinitionModes(settings: readonly Setting[] = SETTINGS): ModeAvailability[] {
  const setting = settings.find((s) => (s.key as string) === API_DEFINITION_SETTING);
  const values = setting?.constraint && "oneOf" in setting.constraint ? (setting.constraint.oneOf as readonly unknown[]) : undefined;
  return API_DEFINITION_MODES.map((mode) => {
    if (setting && (values === undefined || values.includes(mode))) return { mode, env: { [setting.env]: mode } };
    if (mode === "resources" && !setting) return { mode };
    return {
      mode,
      unavailable: setting
        ? `not in this build (${setting.env} does not take "${mode}")`
        : `not in this build (stacks/config.ts declares no ${API_DEFINITION_SETTING} setting)`,
    };
  });
}
