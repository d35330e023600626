/**
 * The AWS integration with Step Functions (`arn:aws:apigateway:<region>:states:action/<Action>`):
 * the integration request body is the action's request, answered by the local Step Functions
 * (local/step-functions.ts: StartSyncExecution, StartExecution, DescribeExecution, StopExecution),
 * with the request's `X-Mock-Test-Case` header choosing the mocked test case (local/mock-config.ts).
 */
import { MOCK_TEST_CASE_HEADER } from "../../mock-config";
import { headerValue } from "../context";
import type { Integration } from "./integration";

export const stepFunctionsIntegration: Integration = {
  type: "AWS",
  service: "states",
  invoke(context, body) {
    const { integration } = context.route!;
    return context.stage.backends.stepFunctions.call(integration.action!, body, {
      mockTestCase: headerValue(context.headers, MOCK_TEST_CASE_HEADER),
    });
  },
};
