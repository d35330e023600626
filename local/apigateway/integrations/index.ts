/** The integrations the local API serves, found by type and service. */
import type { IntegrationModel } from "../../stack-reader";
import type { Integration } from "./integration";
import { mockIntegration } from "./mock";
import { stepFunctionsIntegration } from "./step-functions";

export type { Integration } from "./integration";

/** Every integration the local API serves; a new one is added here. */
export const INTEGRATIONS: readonly Integration[] = [stepFunctionsIntegration, mockIntegration];

/** The integration serving a model, or undefined when none does. */
export function integrationFor(model: IntegrationModel, integrations: readonly Integration[] = INTEGRATIONS): Integration | undefined {
  return integrations.find((i) => i.type === model.type && (i.service === undefined || i.service === model.service));
}
