/**
 * Walking an Amazon States Language definition: the one walker every reader of a workflow uses
 * (IAM derivation on the deploy side; the local runner, its checks and the diagrams on the
 * emulator side), so that nested states (Parallel branches, Map processors) are never missed by one
 * of them.
 */

/** A JSON object of a definition. */
export type AslObject = Record<string, unknown>;

function isObject(value: unknown): value is AslObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Calls `visit` for every state of a state machine (or of a branch or processor), in document
 * order, then for the states nested in it: Parallel branches and Map processors (ItemProcessor, or
 * the older Iterator).
 */
export function forEachState(machine: unknown, visit: (name: string, state: AslObject) => void): void {
  const states = isObject(machine) ? machine.States : undefined;
  if (!isObject(states)) return;
  for (const [name, state] of Object.entries(states)) {
    if (!isObject(state)) continue;
    visit(name, state);
    if (state.Type === "Parallel" && Array.isArray(state.Branches)) {
      for (const branch of state.Branches) forEachState(branch, visit);
    }
    if (state.Type === "Map") forEachState(state.ItemProcessor ?? state.Iterator, visit);
  }
}

/** The distinct Resource of every Task state, nested ones included, in order of first use. */
export function taskResources(definition: unknown): string[] {
  const found = new Set<string>();
  forEachState(definition, (_name, state) => {
    if (state.Type === "Task" && typeof state.Resource === "string") found.add(state.Resource);
  });
  return [...found];
}
