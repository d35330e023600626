// Types for asl-validator 4, which ships none.
declare module "asl-validator" {
  interface AslValidationError {
    readonly "Error code": string;
    readonly Message: string;
  }
  interface AslValidationResult {
    readonly isValid: boolean;
    readonly errors: readonly AslValidationError[];
    errorsText(separator?: string): string;
  }
  function validator(
    definition: Record<string, unknown>,
    options?: { readonly checkPaths?: boolean; readonly checkArn?: boolean },
  ): AslValidationResult;
  export = validator;
}
