export { UpstreamConnection } from './connection.js';
export type { UpstreamState, UpstreamEvents, CallOptions } from './connection.js';
export { UpstreamPool } from './pool.js';
export type { StartReport, UpstreamStatus } from './pool.js';
export type { TransportKind } from './transport.js';
export { createOpenApiSource, createOpenApiSourceFromDocument, loadSpec, parseSpecText, extractOperations } from './openapi/index.js';
export type { OpenApiSource, OpenApiTool, OpenApiOperation, OpenApiDocument, LoadedSpec } from './openapi/index.js';
export { outcomeInvoker, toolOutcome, normalizeToolResult, errorText } from './tool-outcome.js';
export type { ResultCaller, ResultGuard } from './tool-outcome.js';
