/**
 * The route stage: the stage name, then the resource and method a request path reaches. An
 * unknown stage, path or method is 403 {"message":"Missing Authentication Token"}: a REST API
 * answers an unknown route this way, not 404/405 (API Gateway documentation, "Gateway response
 * types for API Gateway": MISSING_AUTHENTICATION_TOKEN).
 */
import type { ApiModel } from "../../stack-reader";
import { GatewayError, type Handler, type RequestContext } from "../context";

/** A match of a request path against the API's resources. */
export interface RouteMatch {
  readonly resourcePath: string;
  readonly pathParameters: Record<string, string>;
}

/** Finds the route of a request and its path parameters. */
export class RouteHandler implements Handler {
  private readonly resourcePaths: readonly string[];

  constructor(private readonly model: ApiModel) {
    this.resourcePaths = [...new Set([...model.resourcePaths, ...model.routes.map((r) => r.resourcePath)])];
  }

  handle(context: RequestContext): void {
    const { request } = context;
    const prefix = `/${this.model.stageName}`;
    if (request.path !== prefix && !request.path.startsWith(`${prefix}/`)) throw new GatewayError("MISSING_AUTHENTICATION_TOKEN");
    const below = request.path.slice(prefix.length) || "/";
    const match = matchResource(this.resourcePaths, below);
    const method = request.method.toUpperCase();
    const route =
      match &&
      (this.model.routes.find((r) => r.resourcePath === match.resourcePath && r.httpMethod === method) ??
        this.model.routes.find((r) => r.resourcePath === match.resourcePath && r.httpMethod === "ANY"));
    if (!match || !route) throw new GatewayError("MISSING_AUTHENTICATION_TOKEN");
    context.route = route;
    context.pathParameters = match.pathParameters;
  }
}

/**
 * Matches a path below the stage ("/executions/abc") against resource paths ("/executions/{name}"):
 * a literal segment before a `{param}`, before a greedy `{proxy+}`.
 */
export function matchResource(resourcePaths: readonly string[], path: string): RouteMatch | undefined {
  // "/a/b" -> ["a", "b"]; a trailing slash is an empty last segment: only a {param} matches it (empty).
  const segments = path === "/" ? [] : path.split("/").slice(1);
  let best: { match: RouteMatch; score: number[] } | undefined;
  for (const resourcePath of resourcePaths) {
    const parts = resourcePath === "/" ? [] : resourcePath.slice(1).split("/");
    const parameters: Record<string, string> = {};
    const score: number[] = [];
    let ok = true;
    let i = 0;
    for (const [index, part] of parts.entries()) {
      const greedy = /^\{(.+)\+\}$/.exec(part);
      if (greedy) {
        if (index !== parts.length - 1 || i >= segments.length) ok = false;
        else parameters[greedy[1]] = segments.slice(i).map(decode).join("/");
        i = segments.length;
        score.push(0);
        break;
      }
      if (i >= segments.length) {
        ok = false;
        break;
      }
      const parameter = /^\{(.+)\}$/.exec(part);
      if (parameter) {
        parameters[parameter[1]] = decode(segments[i]);
        score.push(1);
      } else if (part === decode(segments[i])) {
        score.push(2);
      } else {
        ok = false;
        break;
      }
      i += 1;
    }
    if (!ok || i !== segments.length) continue;
    if (!best || compareScores(score, best.score) > 0) best = { match: { resourcePath, pathParameters: parameters }, score };
  }
  return best?.match;
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? -1) - (b[i] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
