export {
  CemcpError, ConfigError, UpstreamError, SandboxError, ExecutionError, UsageError,
  isCemcpError, describeError,
} from './errors.js';
export type { ErrorCode } from './errors.js';
export { toIdentifier, isDangerousName, isSandboxGlobal } from './identifiers.js';
export { silentLogger, fanOutLogger } from './logger.js';
export type { Logger, LogSeverity } from './logger.js';
export { countTokens, estimateTokens, truncateToTokens, tokenizerLoaded, warmTokenizer, TOKENIZER_NAME } from './tokens.js';
export { decodePointerSegment, isJsonObject, resolvePointer } from './json-pointer.js';
export { CUT_MARK, clipText } from './cut.js';
export { editDistance } from './edit-distance.js';
export type { CallError, CallOptions, CallOutcome, CallTarget, ContentItem, ToolCallResult, ToolInvoker } from './call.js';
