/**
 * What this interpreter does not implement, found before a run so that such a workflow is
 * refused at start rather than run wrong: one line naming the state and the feature.
 */
import { isJsonObject } from "./json";
import { isPath } from "./jsonpath";
import { isIntrinsic, parseIntrinsic } from "./intrinsics";

export interface UnsupportedFeature {
  readonly state: string;
  readonly feature: string;
}

const PATH_FIELDS = [
  "InputPath",
  "OutputPath",
  "ResultPath",
  "ItemsPath",
  "SecondsPath",
  "TimestampPath",
  "TimeoutSecondsPath",
  "MaxConcurrencyPath",
  "ErrorPath",
  "CausePath",
];

/** The first feature of a definition this interpreter cannot run, if any. */
export function firstUnsupportedFeature(definition: unknown): UnsupportedFeature | undefined {
  const found: UnsupportedFeature[] = [];
  walk(definition, found);
  return found[0];
}

function walk(machine: unknown, found: UnsupportedFeature[]): void {
  const states = isJsonObject(machine) ? machine.States : undefined;
  if (!isJsonObject(states)) return;
  for (const [name, state] of Object.entries(states)) {
    if (!isJsonObject(state)) continue;
    const add = (feature: string) => found.push({ state: name, feature });
    if (state.Type === "Map") {
      const processor = state.ItemProcessor ?? state.Iterator;
      const mode = isJsonObject(processor) && isJsonObject(processor.ProcessorConfig) ? processor.ProcessorConfig.Mode : undefined;
      if (mode === "DISTRIBUTED") add("a distributed Map (ProcessorConfig.Mode DISTRIBUTED)");
      for (const field of ["ItemReader", "ItemBatcher", "ResultWriter"]) if (field in state) add(`the Map field ${field}`);
      for (const field of [
        "ToleratedFailureCount",
        "ToleratedFailurePercentage",
        "ToleratedFailureCountPath",
        "ToleratedFailurePercentagePath",
      ]) {
        if (field in state) add(`the Map field ${field} (tolerated failures)`);
      }
      walk(processor, found);
    }
    if (state.Type === "Parallel" && Array.isArray(state.Branches)) for (const branch of state.Branches) walk(branch, found);
    if (state.Type === "Task") {
      const resource = String(state.Resource);
      if (resource.endsWith(".sync") || resource.endsWith(".sync:2")) add(`the .sync integration pattern (${resource})`);
      if (resource.endsWith(".waitForTaskToken")) add(`the .waitForTaskToken integration pattern (${resource})`);
      if (/:activity:/.test(resource)) add(`an activity (${resource})`);
    }
    for (const field of PATH_FIELDS) {
      const value = state[field];
      if (typeof value === "string" && !isPath(value) && !(field.endsWith("Path") && isIntrinsic(value)))
        add(`the JSONPath ${field} '${value}'`);
    }
    checkTemplates(state, add);
  }
}

/** Paths and intrinsic calls in `….$` values must parse (e.g. Jayway functions such as `.length()` do not). */
function checkTemplates(value: unknown, add: (feature: string) => void): void {
  if (Array.isArray(value)) for (const item of value) checkTemplates(item, add);
  else if (isJsonObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key.endsWith(".$") && typeof item === "string") {
        if (isIntrinsic(item)) {
          try {
            parseIntrinsic(item);
          } catch {
            add(`the intrinsic function call '${item}'`);
          }
        } else if (!isPath(item)) add(`the JSONPath '${item}' of ${key}`);
      } else if (key !== "States" && key !== "Branches" && key !== "ItemProcessor" && key !== "Iterator") checkTemplates(item, add);
    }
  }
}
