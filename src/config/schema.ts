// The config file's schema: `mcpServers` as Claude Desktop / Cursor / VS Code write it, plus
// cemcp's own `cemcp` section. Defaults live here and nowhere else. Imported by config/load.ts.
import { z } from 'zod';
import { AuthSchema } from './auth-schema.js';
import { AuditSchema, PolicySchema, PrivacySchema } from './oversight-schema.js';
import { OpenApiSourceSchema } from './openapi-schema.js';
import { PrincipalCapsSchema } from './principal-schema.js';
import { StoreSchema } from './store-config.js';
import { strictObject } from './suggest.js';
import { LocalUpstreamDefaultsSchema, RemoteUpstreamDefaultsSchema, UpstreamLimitKeys } from './upstream-limits.js';

const StringMap = z.record(z.string(), z.string());

export const StdioServerSchema = z.object({
  type: z.literal('stdio').optional(),
  command: z.string().min(1, 'expected a non-empty command'),
  args: z.array(z.string()).default([]),
  env: StringMap.optional(),
  cwd: z.string().optional(),
  disabled: z.boolean().optional(),
  /** Opt in to what the launch check refuses: a shell, inline code or an unreadable wrapper chain, shell metacharacters in `command`. */
  allowShell: z.boolean().optional(),
  /** Variables in `env` (or set by a wrapper such as `env NAME=VALUE`) that make the child load code, allowed for this entry: `["NODE_OPTIONS"]`. */
  allowEnv: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name')).optional(),
  /** maxConcurrent, rateLimit, callTimeoutMs: see upstream-limits.ts. */
  ...UpstreamLimitKeys,
});

export const RemoteServerSchema = z.object({
  type: z.enum(['http', 'streamable-http', 'sse']).optional(),
  url: z.url({ message: 'expected an http(s) URL' }),
  headers: StringMap.optional(),
  disabled: z.boolean().optional(),
  ...UpstreamLimitKeys,
});

/** A server entry is stdio when it has `command`, remote when it has `url`. */
export const ServerSchema = z.union([StdioServerSchema, RemoteServerSchema], {
  error: (issue) =>
    issue.code === 'invalid_union' ? 'expected either "command" (stdio) or "url" (http/sse)' : undefined,
});

export const LimitsSchema = strictObject({
  cpuMs: z.number().int().positive().default(10_000),
  wallMs: z.number().int().positive().default(30_000),
  memoryBytes: z.number().int().min(8 << 20).default(64 << 20),
  stackBytes: z.number().int().min(64 << 10).default(512 << 10),
  maxToolCalls: z.number().int().positive().default(200),
  maxLogBytes: z.number().int().positive().default(256 << 10),
  maxResultBytes: z.number().int().positive().default(8 << 20),
  /** Timeout of one upstream tool call. */
  toolCallTimeoutMs: z.number().int().positive().default(60_000),
  /** Tool calls of one run in flight at once; more wait their turn. */
  maxConcurrentCalls: z.number().int().positive().default(8),
  /** JSON bytes of the arguments of one tool call. */
  maxArgumentBytes: z.number().int().positive().default(1 << 20),
  /** JSON bytes of one tool result handed to the program. */
  maxToolResultBytes: z.number().int().positive().default(8 << 20),
});

export const SurfaceSchema = strictObject({
  /** Token budget of what one execute returns to the model. */
  maxTokens: z.number().int().min(100).default(4_000),
  /** Inline the whole typed API in execute's description when it fits this many tokens (0 = never). */
  inlineApiMaxTokens: z.number().int().min(0).default(1_500),
});

export const UpstreamSettingsSchema = strictObject({
  /** Time to connect and list tools, per upstream, at start. */
  connectTimeoutMs: z.number().int().positive().default(30_000),
  /** How long search (and execute, for upstreams its program does not name) waits for upstreams still connecting. */
  searchWaitMs: z.number().int().min(0).default(5_000),
  /** Restart backoff for a stdio upstream that died: first delay, doubled up to the max. */
  restartInitialDelayMs: z.number().int().positive().default(500),
  restartMaxDelayMs: z.number().int().positive().default(30_000),
  /** Largest single message or response body accepted from an upstream; beyond it the connection closes. */
  maxMessageBytes: z.number().int().min(1 << 16).default(16 << 20),
  /** Per-upstream limit defaults (maxConcurrent, rateLimit, callTimeoutMs) that an entry's own keys override: url entries and OpenAPI sources, then stdio entries. */
  remote: RemoteUpstreamDefaultsSchema.prefault({}),
  local: LocalUpstreamDefaultsSchema.prefault({}),
});

export const LauncherSchema = strictObject({
  /** When set, only these executables (a basename or an exact path) may be launched. */
  allowedCommands: z.array(z.string().min(1)).optional(),
});

export const EgressRuleSchema = strictObject({
  origin: z.url({ message: 'expected an origin such as https://api.example.com' }).refine((u) => new URL(u).origin === u.replace(/\/$/, ''), 'expected an origin only: scheme, host and port, no path'),
  /** Added by the host to each request to this origin (credentials); `${VAR}` expands from the environment. */
  headers: StringMap.optional(),
  /** Allow this origin to resolve to loopback/private/link-local addresses. */
  allowPrivateNetwork: z.boolean().default(false),
});

export const FetchSchema = strictObject({
  /** Origins the sandbox's fetch may reach; empty (the default) means the sandbox has no fetch. */
  allow: z.array(EgressRuleSchema).default([]),
  timeoutMs: z.number().int().positive().default(10_000),
  maxResponseBytes: z.number().int().positive().default(2 << 20),
  maxRedirects: z.number().int().min(0).max(20).default(5),
});

export const HttpSchema = strictObject({
  /** Host header values accepted besides loopback (e.g. the name a reverse proxy forwards); `name` matches any port. */
  allowedHosts: z.array(z.string().min(1).regex(/^[^\s/]+$/, 'expected a host name, optionally with :port')).default([]),
  /** Browser Origin values accepted besides loopback ones. */
  allowedOrigins: z.array(z.url({ message: 'expected an origin such as https://app.example.com' })
    .refine((u) => new URL(u).origin === u.replace(/\/$/, ''), 'expected an origin only: scheme, host and port, no path')).default([]),
  /** On SIGTERM, running programs get this long to finish (new work gets 503 at once); past it they are stopped. */
  drainMs: z.number().int().min(0).max(15 * 60_000).default(30_000),
});

/** `serve --http`: Prometheus metrics at /metrics. */
export const MetricsSchema = strictObject({
  enabled: z.boolean().default(true),
  /** A bearer token a scraper must send (`Authorization: Bearer ...`), given as `${VARIABLE}`: the file holds no secret. */
  token: z.string().regex(/^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/, 'expected a ${VARIABLE} reference to an environment variable holding the token (the config file holds no secret)').optional(),
});

/** Result types learned from what tools return (tools that declare no outputSchema). */
export const TypesSchema = strictObject({
  /** Learn them, and show them in search and `cemcp types` marked inferred; false: off (nothing learned, stored or shown). */
  infer: z.boolean().default(true),
  /** The file they persist in across restarts, relative to the config file. */
  file: z.string().min(1).default('.cemcp/learned-types.json'),
});

/** How long an HTTP session lives, and how many at once. */
export const SessionsSchema = strictObject({
  /** `serve --http`: a session with no request for this long is closed and its data dropped; its id then gets 404. */
  idleTimeoutMs: z.number().int().min(500).default(30 * 60_000),
  /** `serve --http`: live sessions at once; a new initialize beyond it is refused (HTTP 503) until one closes or expires. */
  maxSessions: z.number().int().positive().default(256),
});

/** Result handles: a value cut to a preview is kept whole in its MCP session for `handles.get(id)`. */
export const HandlesSchema = strictObject({
  /** Bytes of JSON one session's handles hold; past it the oldest are dropped (0: no handles). */
  maxBytesPerSession: z.number().int().min(0).default(32 << 20),
  /** Bytes of JSON of one handle; a larger value gets none (a value is also bounded by limits.maxResultBytes). */
  maxBytesPerHandle: z.number().int().positive().default(16 << 20),
});

/** The sandbox's `state`: JSON values per MCP session. */
export const StateSchema = strictObject({
  /** Bytes of JSON of one value (a value is also bounded by limits.maxArgumentBytes as it is sent). */
  maxValueBytes: z.number().int().positive().default(1 << 20),
  /** Bytes of JSON of all of one session's values. */
  maxBytesPerSession: z.number().int().positive().default(8 << 20),
  /** Keys one session may hold. */
  maxKeys: z.number().int().positive().default(1_000),
});

/** What a client is sent while `execute` runs (server/progress-reporter.ts). */
export const ProgressSchema = strictObject({
  /** A progress notification at least this often while a run goes on (clients that sent a progressToken). */
  heartbeatMs: z.number().int().min(500).default(3_000),
  /** Progress notifications per second; more call events are merged into the next one. */
  progressPerSecond: z.number().int().min(1).default(10),
  /** Stream console lines as MCP logging messages (logger `cemcp.console`) while a run goes on. */
  console: z.boolean().default(true),
  /** Console lines streamed per run, their UTF-8 bytes, and lines per second; the rest only in the result. */
  maxConsoleLines: z.number().int().min(0).default(200),
  maxConsoleBytes: z.number().int().min(0).default(64 << 10),
  consoleLinesPerSecond: z.number().int().min(1).default(20),
});

/** Saved skills (`skills.save`), kept in the store's durable records: what one may be, and how many. */
/** `language: "python"` programs: pyodide in a sandbox process of its own, started on the first Python run. */
export const PythonSchema = strictObject({
  /** false: Python programs are refused with PYTHON_DISABLED. */
  enabled: z.boolean().default(true),
  /** Python sandbox processes, each with one worker and a fresh interpreter restored and waiting. */
  poolSize: z.number().int().min(1).max(16).default(1),
  /** A new sandbox process for every run (nothing of a run's worker meets the next; about a second per run). */
  processPerRun: z.boolean().default(false),
  /** Start the sandbox processes (and make the snapshot if none is cached, seconds of CPU) with the gateway rather than on the first Python run. */
  prestart: z.boolean().default(false),
});

export const SkillsSchema = strictObject({
  /** false: the sandbox has no `skills` and search lists none. */
  enabled: z.boolean().default(true),
  /** Skills kept at once; a save beyond it is refused until one is deleted. */
  maxSkills: z.number().int().min(1).max(10_000).default(200),
  /** UTF-8 bytes of one skill's code. */
  maxCodeBytes: z.number().int().min(64).max(1 << 20).default(32 * 1024),
  maxDescriptionChars: z.number().int().min(16).max(20_000).default(1_000),
  /** Bytes of the JSON of one skill's inputSchema. */
  maxSchemaBytes: z.number().int().min(64).max(1 << 20).default(16 * 1024),
  /** Skills calling one another deeper than this throw a RangeError. */
  maxDepth: z.number().int().min(1).max(64).default(8),
});

/** Type-check before run (runtime/typecheck/): each program against the declared types of the catalog and the host namespaces. */
export const TypeCheckSchema = strictObject({
  /** block: a program with a type error against a declared type does not run; warn: it runs and the errors follow its answer; off: no check. */
  mode: z.enum(['block', 'warn', 'off']).default('block'),
  /** A check taking longer (once the checker is warm) is abandoned: the program runs unchecked and the checker restarts. */
  timeoutMs: z.number().int().positive().default(2_000),
});

export const CemcpSettingsSchema = strictObject({
  privacy: PrivacySchema.prefault({}),
  audit: AuditSchema.prefault({}),
  policy: PolicySchema.prefault({}),
  fetch: FetchSchema.prefault({}),
  launcher: LauncherSchema.prefault({}),
  limits: LimitsSchema.prefault({}),
  surface: SurfaceSchema.prefault({}),
  upstreams: UpstreamSettingsSchema.prefault({}),
  /** `cemcp serve --http`: extra Host and Origin values to accept (the flags add to these). */
  http: HttpSchema.prefault({}),
  metrics: MetricsSchema.prefault({}),
  /** `cemcp serve --http`: OAuth resource server and/or API keys (auth-schema.ts); absent: no authentication (loopback only). */
  auth: AuthSchema.optional(),
  store: StoreSchema,
  sessions: SessionsSchema.prefault({}),
  /** Per-principal caps on sessions and runs (server/principal-caps.ts). */
  principals: PrincipalCapsSchema.prefault({}),
  progress: ProgressSchema.prefault({}),
  handles: HandlesSchema.prefault({}),
  state: StateSchema.prefault({}),
  types: TypesSchema.prefault({}),
  skills: SkillsSchema.prefault({}),
  typecheck: TypeCheckSchema.prefault({}),
  python: PythonSchema.prefault({}),
  /** Sandbox workers kept warm. */
  poolSize: z.number().int().min(1).max(32).default(2),
});

export const ConfigSchema = z.object({
  mcpServers: z.record(z.string().min(1), ServerSchema).default({}),
  /** OpenAPI 3.x sources; the key is the namespace. */
  openapi: z.record(z.string().min(1), OpenApiSourceSchema).default({}),
  cemcp: CemcpSettingsSchema.prefault({}),
});

export type StdioServerConfig = z.infer<typeof StdioServerSchema>;
export type RemoteServerConfig = z.infer<typeof RemoteServerSchema>;
export type ServerConfig = StdioServerConfig | RemoteServerConfig;
export type LimitsConfig = z.infer<typeof LimitsSchema>;
export type SurfaceConfig = z.infer<typeof SurfaceSchema>;
export type UpstreamSettings = z.infer<typeof UpstreamSettingsSchema>;
export type HttpSettings = z.infer<typeof HttpSchema>;
export type MetricsSettings = z.infer<typeof MetricsSchema>;
export type SessionsSettings = z.infer<typeof SessionsSchema>;
export type ProgressSettings = z.infer<typeof ProgressSchema>;
export type TypesSettings = z.infer<typeof TypesSchema>;
export type SkillsSettings = z.infer<typeof SkillsSchema>;
export type TypeCheckSettings = z.infer<typeof TypeCheckSchema>;
export type PythonSettings = z.infer<typeof PythonSchema>;
export type CemcpSettings = z.infer<typeof CemcpSettingsSchema>;
export type Config = z.infer<typeof ConfigSchema>;

export function isStdioServer(server: ServerConfig): server is StdioServerConfig {
  return 'command' in server;
}
