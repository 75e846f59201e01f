// OpenAPI upstreams: spec loading, operation extraction, HTTP calls with host-side auth, and the
// measurement the benchmark calls. Re-exported by upstream/index.ts; nothing else imports inside.
export { createOpenApiSource, createOpenApiSourceFromDocument } from './source.js';
export type { OpenApiSource, SpecInfo } from './source.js';
export { loadSpec, parseSpecText } from './spec-loader.js';
export type { LoadedSpec, SpecLoadOptions } from './spec-loader.js';
export { extractOperations, methodPathName } from './extract.js';
export type { ExtractOptions } from './extract.js';
export type { OpenApiDocument, OpenApiOperation, OpenApiTool, ParameterBinding } from './types.js';
