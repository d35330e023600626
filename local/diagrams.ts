/**
 * Workflow diagrams: each state machine's definition (as the synthesized stack renders it) drawn as
 * a Mermaid flowchart, which GitHub renders in Markdown. Choice edges carry their rule (a JSONPath
 * rule in words, a JSONata Condition as its expression), the Default edge says so, Wait states
 * their duration, Catch edges their errors; the workflow variables a state, a Choice rule or a
 * Catch assigns are named on its node or edge (`assign x, y`); Succeed, Fail and End are terminals.
 */
import { expressionText, isJsonataExpression } from "./asl/jsonata";
import type { ApiModel, StateMachineModel } from "./stack-reader";

type Json = Record<string, unknown>;

/** Text safe inside a quoted Mermaid label. */
function label(text: string): string {
  return text
    .replace(/#/g, "#35;")
    .replace(/"/g, "#quot;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/\|/g, "#124;")
    .replace(/\n/g, " ");
}

const COMPARISONS: Readonly<Record<string, string>> = {
  Equals: "==",
  LessThan: "<",
  GreaterThan: ">",
  LessThanEquals: "<=",
  GreaterThanEquals: ">=",
  Matches: "matches",
};

/** A Choice rule in words, e.g. `$.x.Name == "running"` or `$.x is not present`. */
export function describeRule(rule: Json): string {
  if (rule.Condition !== undefined) return isJsonataExpression(rule.Condition) ? expressionText(rule.Condition) : String(rule.Condition);
  if (Array.isArray(rule.And)) return rule.And.map((r) => `(${describeRule(r as Json)})`).join(" and ");
  if (Array.isArray(rule.Or)) return rule.Or.map((r) => `(${describeRule(r as Json)})`).join(" or ");
  if (rule.Not && typeof rule.Not === "object") return `not (${describeRule(rule.Not as Json)})`;
  const variable = String(rule.Variable ?? "$");
  for (const [key, value] of Object.entries(rule)) {
    if (key === "Variable" || key === "Next" || key === "Comment" || key === "Assign" || key === "Output") continue;
    const test = /^Is(Present|Null|String|Numeric|Boolean|Timestamp)$/.exec(key);
    if (test) {
      const what = {
        Present: "present",
        Null: "null",
        String: "a string",
        Numeric: "a number",
        Boolean: "a boolean",
        Timestamp: "a timestamp",
      }[test[1]];
      return `${variable} is ${value === false ? "not " : ""}${what}`;
    }
    const comparison =
      /^(String|Numeric|Boolean|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals|Matches)(Path)?$/.exec(key);
    if (comparison) {
      const operand = comparison[3] ? String(value) : JSON.stringify(value);
      return `${variable} ${COMPARISONS[comparison[2]]} ${operand}`;
    }
  }
  return JSON.stringify(rule);
}

/** A JSONata expression as its text, anything else as written. */
function shown(value: unknown): string {
  return isJsonataExpression(value) ? expressionText(value) : String(value);
}

/** `assign x, y` for the variables an Assign block sets (JSONPath `x.$` keys named `x`), or "". */
function assigned(assign: unknown): string {
  if (assign === null || typeof assign !== "object" || Array.isArray(assign)) return "";
  const names = Object.keys(assign).map((key) => key.replace(/\.\$$/, ""));
  return names.length ? `assign ${names.join(", ")}` : "";
}

/** Joins the non-empty parts of an edge label. */
function joined(...parts: string[]): string {
  return parts.filter(Boolean).join(" / ");
}

/** What a state does, in a few words: the second line of its node (and the variables it assigns). */
function stateDetail(state: Json): string | undefined {
  const detail = stateAction(state);
  const variables = assigned(state.Assign);
  if (!variables) return detail;
  return detail === undefined ? variables : `${detail}<br/>${variables}`;
}

function stateAction(state: Json): string | undefined {
  switch (state.Type) {
    case "Task": {
      const resource = String(state.Resource ?? "");
      const sdk = /^arn:aws[a-z-]*:states:::aws-sdk:(.+)$/.exec(resource);
      const integration = /^arn:aws[a-z-]*:states:::(.+)$/.exec(resource);
      return `Task: ${sdk?.[1] ?? integration?.[1] ?? resource}`;
    }
    case "Wait":
      if (typeof state.Seconds === "number") return `Wait ${state.Seconds} s`;
      if (state.Seconds !== undefined) return `Wait ${shown(state.Seconds)} s`;
      if (state.SecondsPath) return `Wait seconds from ${state.SecondsPath}`;
      if (state.Timestamp) return `Wait until ${shown(state.Timestamp)}`;
      if (state.TimestampPath) return `Wait until ${state.TimestampPath}`;
      return "Wait";
    case "Pass":
    case "Succeed":
      return String(state.Type);
    case "Fail":
      return `Fail${state.Error ? `: ${state.Error}` : ""}`;
    default:
      return undefined;
  }
}

interface Graph {
  readonly lines: string[];
  next: number;
}

/** Draws one machine (or branch) into the graph; returns the id of its start state's node. */
function drawMachine(machine: Json, graph: Graph, prefix: string, indent: string, end: string): string {
  const states = (machine.States ?? {}) as Record<string, Json>;
  const ids = new Map<string, string>();
  for (const name of Object.keys(states)) ids.set(name, `${prefix}${graph.next++}`);
  const edge = (from: string, to: string, text?: string, dotted = false) =>
    graph.lines.push(`${indent}${from} ${dotted ? "-.->" : "-->"}${text ? `|"${label(text)}"|` : ""} ${to}`);
  for (const [name, state] of Object.entries(states)) {
    const id = ids.get(name)!;
    const detail = stateDetail(state);
    const content = `"${label(name)}${detail ? `<br/>${detail.split("<br/>").map(label).join("<br/>")}` : ""}"`;
    if (state.Type === "Parallel" || state.Type === "Map") {
      graph.lines.push(`${indent}subgraph ${id} ["${label(name)} (${state.Type})"]`);
      const branches =
        state.Type === "Parallel" ? ((state.Branches ?? []) as Json[]) : [(state.ItemProcessor ?? state.Iterator ?? {}) as Json];
      branches.forEach((branch, k) => {
        const branchStart = `${id}_b${k}`;
        const branchEnd = `${id}_e${k}`;
        graph.lines.push(`${indent}  ${branchStart}((" "))`);
        const first = drawMachine(branch, graph, `${id}_${k}_`, `${indent}  `, branchEnd);
        graph.lines.push(`${indent}  ${branchStart} --> ${first}`);
        graph.lines.push(`${indent}  ${branchEnd}((" "))`);
      });
      graph.lines.push(`${indent}end`);
    } else if (state.Type === "Choice") {
      graph.lines.push(`${indent}${id}{${content}}`);
    } else if (state.Type === "Succeed") {
      graph.lines.push(`${indent}${id}([${content}]):::succeed`);
    } else if (state.Type === "Fail") {
      graph.lines.push(`${indent}${id}([${content}]):::fail`);
    } else {
      graph.lines.push(`${indent}${id}[${content}]`);
    }
  }
  for (const [name, state] of Object.entries(states)) {
    const id = ids.get(name)!;
    const target = (next: unknown) => ids.get(String(next)) ?? `missing_${label(String(next))}`;
    if (state.Type === "Choice") {
      for (const rule of (state.Choices ?? []) as Json[]) edge(id, target(rule.Next), joined(describeRule(rule), assigned(rule.Assign)));
      if (state.Default !== undefined) edge(id, target(state.Default), "Default");
    } else if (typeof state.Next === "string") {
      edge(id, target(state.Next));
    } else if (state.End === true || state.Type === "Succeed") {
      edge(id, end);
    }
    for (const catcher of (state.Catch ?? []) as Json[]) {
      edge(
        id,
        target(catcher.Next),
        joined(`Catch: ${((catcher.ErrorEquals ?? []) as string[]).join(", ")}`, assigned(catcher.Assign)),
        true,
      );
    }
  }
  return ids.get(String(machine.StartAt)) ?? `missing_${label(String(machine.StartAt))}`;
}

/** The Mermaid flowchart of a definition (without the code fence). */
export function mermaidFlowchart(definition: Json): string {
  const graph: Graph = { lines: [], next: 0 };
  const first = drawMachine(definition, graph, "s", "  ", "end_node");
  return [
    "flowchart TD",
    "  start_node((Start))",
    `  start_node --> ${first}`,
    ...graph.lines,
    "  end_node((End))",
    "  classDef succeed fill:#dff5e1,stroke:#2e7d32",
    "  classDef fail fill:#fde2e1,stroke:#c62828",
  ].join("\n");
}

/** Which route starts a state machine, in words. */
function startedBy(model: ApiModel, machine: StateMachineModel): string {
  const routes = model.routes.filter((r) => r.stateMachines.includes(machine.name) && /^Start/.test(r.integration.action ?? ""));
  if (routes.length === 0) return "";
  return `Started by ${routes
    .map(
      (r) =>
        `\`${r.httpMethod} ${r.resourcePath}\` (${r.integration.action === "StartSyncExecution" ? "StartSyncExecution: the caller waits for the result" : `${r.integration.action}: the caller gets 202 at once`})`,
    )
    .join(", ")}.`;
}

/** One section per state machine: heading, what starts it, its comment, the diagram. */
function workflowSections(model: ApiModel): string {
  return model.stateMachines
    .map((machine) => {
      const notes = [startedBy(model, machine), typeof machine.definition.Comment === "string" ? machine.definition.Comment : ""];
      if (typeof machine.definition.TimeoutSeconds === "number")
        notes.push(`The execution times out after ${machine.definition.TimeoutSeconds} s.`);
      return [
        `## ${machine.name} (${machine.type})`,
        "",
        notes.filter(Boolean).join(" "),
        "",
        "```mermaid",
        mermaidFlowchart(machine.definition),
        "```",
        "",
      ].join("\n");
    })
    .join("\n");
}

/** The whole of docs/workflows.md. */
export function workflowsMarkdown(model: ApiModel): string {
  return [
    "# Workflow diagrams",
    "",
    "Generated by `npm run diagrams` from the state machine definitions of the synthesized stack (the",
    "ASL templates in `templates/state-machines/` as Terraform renders them). Do not edit: change a",
    "template, then run `npm run diagrams`; a test fails while this file is out of date.",
    "",
    workflowSections(model),
  ].join("\n");
}
