/**
 * The authorize stage. Authorization (AWS_IAM, Cognito, custom authorizers) and API keys are not
 * checked locally: the server prints a warning at start for each route that has them
 * (local/server.ts). An authorizer is added here, as one handler, by the route's authorization type.
 */
import type { Handler, RequestContext } from "../context";

/** Lets every request through: the local API does not check authorization. */
export class AuthorizeHandler implements Handler {
  handle(_context: RequestContext): void {}
}
