/**
 * Types for the public API of `asl-validator` (4.x), which ships JavaScript only: the module
 * is one function that checks a definition against the ASL schema and rules.
 */
declare module 'asl-validator' {
  /** One problem found in a definition. */
  export interface AslValidatorError {
    message?: string;
    [detail: string]: unknown;
  }

  export interface AslValidatorOptions {
    /** Check the syntax of InputPath, OutputPath, ResultPath and `.$` paths (default true). */
    checkPaths?: boolean;
    /** Check that Task `Resource` values are ARNs (default true). */
    checkArn?: boolean;
  }

  export interface AslValidatorResult {
    isValid: boolean;
    errors: AslValidatorError[];
    errorsText(separator?: string): string;
  }

  /** Validates a parsed definition. It writes defaults (QueryLanguage) into it: pass a copy. */
  export default function aslValidator(
    definition: unknown,
    options?: AslValidatorOptions,
  ): AslValidatorResult;
}
