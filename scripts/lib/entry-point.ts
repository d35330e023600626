/** How entry points end: one line for a mistake a user can fix, a stack trace only for a bug. */
import { TemplateError } from "../../lang/terraform-template";
import { ConfigError } from "../../stacks/config";
import { QuotaError } from "../../stacks/constructs/aws-quotas";

/**
 * Runs an entry point's work. Errors a user causes (configuration, workflow authoring, templates,
 * construct props) print `<what> failed: <message>` and exit 1, with no stack trace; set
 * APIGW_SFN_DEBUG=1 to see one anyway. Anything else is a bug: its stack trace is printed too.
 */
export function runEntryPoint(what: string, work: () => void | Promise<void>): void {
  const fail = (error: unknown): void => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`${what} failed: ${message}`);
    if (process.env.APIGW_SFN_DEBUG === "1" || !isUserError(error)) console.error(error instanceof Error ? error.stack : error);
    process.exitCode = 1;
  };
  try {
    const result = work();
    if (result instanceof Promise) result.catch(fail);
  } catch (error) {
    fail(error);
  }
}

/**
 * Whether an error reports a mistake in what the user wrote: configuration, templates, AWS quotas it exceeds, and the
 * props constructs validate (plain Errors thrown by project code while building the app). Errors
 * of the runtime itself (TypeError, RangeError, ...) are bugs.
 */
export function isUserError(error: unknown): boolean {
  if (error instanceof ConfigError || error instanceof TemplateError || error instanceof QuotaError) return true;
  return error instanceof Error && error.constructor === Error;
}
