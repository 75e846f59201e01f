export {
  CemcpError, ConfigError, UpstreamError, SandboxError, ExecutionError, UsageError,
  isCemcpError, describeError,
} from './errors.js';
export type { ErrorCode } from './errors.js';
export { toIdentifier, isDangerousName, isReservedWord, isSandboxGlobal } from './identifiers.js';
export { silentLogger, fanOutLogger } from './logger.js';
export type { Logger, LogSeverity } from './logger.js';
export { countTokens, estimateTokens, truncateToTokens, tokenizerLoaded, warmTokenizer, TOKENIZER_NAME } from './tokens.js';
export { decodePointerSegment, resolvePointer } from './json-pointer.js';
export { CUT_MARK, clipText } from './cut.js';
export { globToRegExp } from './glob.js';
export { readBoundedBody } from './bounded-body.js';
export { readBoundedLines } from './bounded-lines.js';
export type { BoundedBodyOptions } from './bounded-body.js';
export { followRedirects } from './redirects.js';
export type { RedirectOptions, RedirectOutcome, RedirectRequest } from './redirects.js';
export type { GlobOptions } from './glob.js';
export { editDistance } from './edit-distance.js';
export type { CallError, CallOptions, CallOutcome, CallTarget, ContentItem, ToolCallResult, ToolInvoker } from './call.js';
export type { JsonValue, Records, RunRecords } from './records.js';
export { LOCAL_PRINCIPAL, principalKey, samePrincipal } from './principal.js';
export type { Principal, PrincipalSource } from './principal.js';
export { compilePrincipalMatch } from './principal-match.js';
export type { PrincipalMatch, PrincipalMatcher } from './principal-match.js';
