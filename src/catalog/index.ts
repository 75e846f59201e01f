export { Catalog, buildOperations } from './catalog.js';
export type { CatalogSource, ToolLike } from './catalog.js';
export type { Operation, JsonSchema, ToolAnnotations } from './operation.js';
export { createSearchIndex, splitWords, DEFAULT_SEARCH_LIMIT } from './search-index.js';
export type { SearchHit, SearchIndex, SearchOptions } from './search-index.js';
export { renderSignature, renderDeclarations } from './declarations.js';
export type { SignatureDetail, SignatureOptions, DeclarationsOptions } from './declarations.js';
export { lintDescription, DESCRIPTION_COMPONENTS, DESCRIPTION_SMELLS, DESCRIPTION_TARGET_TOKENS, PARAMETER_TARGET_TOKENS } from './description-lint.js';
export type { DescriptionLint, DescriptionComponent, DescriptionSmell, LintInput } from './description-lint.js';
