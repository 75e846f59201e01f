// Typed errors with stable codes. Imported by every stage; imports nothing.
// Callers branch on `code`, never on `instanceof` or message text.

export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_PROTOCOL'
  | 'OPENAPI_SPEC_INVALID'
  | 'OPERATION_UNKNOWN'
  | 'ARGUMENT_INVALID'
  | 'TOOL_ERROR'
  | 'SYNTAX_ERROR'
  | 'TYPE_ERROR'
  | 'GUEST_THREW'
  | 'SANDBOX_TIMEOUT'
  | 'SANDBOX_CPU'
  | 'SANDBOX_MEMORY'
  | 'SANDBOX_STACK'
  | 'SANDBOX_CRASHED'
  | 'SANDBOX_CANCELLED'
  | 'LIMIT_TOOL_CALLS'
  | 'LIMIT_OUTPUT'
  | 'LIMIT_ARGUMENT_SIZE'
  | 'LIMIT_RESULT_SIZE'
  | 'LIMIT_UPSTREAM_BUSY'
  | 'LIMIT_HANDLES'
  | 'LIMIT_STATE'
  | 'LIMIT_PRINCIPAL'
  | 'HANDLE_DROPPED'
  | 'HANDLE_UNKNOWN'
  | 'NO_SESSION'
  | 'EGRESS_DENIED'
  | 'EGRESS_FAILED'
  | 'POLICY_DENIED'
  | 'SESSION_STORE'
  | 'USAGE';

export class CemcpError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

export class ConfigError extends CemcpError {}
export class UpstreamError extends CemcpError {}
export class SandboxError extends CemcpError {}
export class ExecutionError extends CemcpError {}
export class UsageError extends CemcpError {}

export function isCemcpError(value: unknown): value is CemcpError {
  return value instanceof Error && typeof (value as Partial<CemcpError>).code === 'string' && 'details' in value;
}

/** A one-line description of any thrown value, for logs and error text. */
export function describeError(value: unknown): string {
  if (value instanceof Error) return value.message;
  return String(value);
}
