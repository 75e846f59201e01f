export { loadConfig, parseConfig, parseConfigText, expandVariables } from './load.js';
export type { LoadedConfig, Environment } from './load.js';
export { ConfigSchema, isStdioServer } from './schema.js';
export { findAuditDirExposures } from './launch-roots.js';
export type {
  Config, ServerConfig, StdioServerConfig, RemoteServerConfig, LimitsConfig, SurfaceConfig,
  UpstreamSettings, CemcpSettings, SessionsSettings, TypesSettings, PythonSettings,
} from './schema.js';
export { JWT_ALGORITHMS, DEFAULT_JWT_ALGORITHMS } from './auth-schema.js';
export type { AuthConfig, ApiKeyConfig, IntrospectionConfig } from './auth-schema.js';
export { OpenApiSourceSchema } from './openapi-schema.js';
export type { OpenApiSourceConfig, OpenApiAuth, OpenApiFilter } from './openapi-schema.js';
export type { PrivacyConfig, AuditConfig, PolicyConfig } from './oversight-schema.js';
export type { PrincipalCapsConfig, PrincipalPolicyConfig } from './principal-schema.js';
export { closestMatch } from './suggest.js';
export { resolveUpstreamLimits } from './upstream-limits.js';
export type { ResolvedUpstreamLimits, RateLimitConfig, UpstreamLimitDefaults } from './upstream-limits.js';
export type { StoreConfig, RedisStoreConfig } from './store-config.js';
