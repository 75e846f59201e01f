// The zod schema of one OpenAPI source under the config's `openapi` key: spec, base URL, auth,
// static headers, include/exclude filters and limits. Defaults live here; imported by config/schema.ts.
// Secrets (auth values, headers) are plain strings here; load.ts expands their ${VAR}s in the host.
import { z } from 'zod';
import { strictObject } from './suggest.js';
import { UpstreamLimitKeys } from './upstream-limits.js';

const Secret = z.string().min(1, 'expected a non-empty value');

export const OpenApiAuthSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('bearer'), token: Secret }),
  z.object({ type: z.literal('header'), name: z.string().min(1), value: Secret }),
  z.object({ type: z.literal('query'), name: z.string().min(1), value: Secret }),
  z.object({ type: z.literal('basic'), username: z.string(), password: z.string() }),
], { error: () => 'expected { type: "bearer" | "header" | "query" | "basic", ... }' });

/** Which operations a source exposes: any match keeps (include) or drops (exclude) an operation. */
export const OpenApiFilterSchema = strictObject({
  /** Tag names, exact (case-insensitive). */
  tags: z.array(z.string()).optional(),
  /** Path templates as the spec writes them; `*` matches within one segment, `**` across segments. */
  paths: z.array(z.string()).optional(),
  /** operationIds; `*` matches any run of characters. */
  operations: z.array(z.string()).optional(),
});

export const OpenApiSourceSchema = strictObject({
  /** A file path (relative to the config file; `.json`, `.yaml`, `.yml`, optionally gzipped) or an http(s) URL. */
  spec: z.string().min(1, 'expected a spec path or URL'),
  /** Where requests go; defaults to the spec's first `servers` entry. */
  baseUrl: z.string().optional(),
  auth: OpenApiAuthSchema.optional(),
  /** Headers sent with every request (expanded in the host; never visible to programs). */
  headers: z.record(z.string(), z.string()).optional(),
  include: OpenApiFilterSchema.optional(),
  exclude: OpenApiFilterSchema.optional(),
  /** Per-request timeout; the smaller of this, `callTimeoutMs` and `cemcp.limits.toolCallTimeoutMs` applies (the older name of callTimeoutMs). */
  timeoutMs: z.number().int().positive().optional(),
  /** maxConcurrent, rateLimit, callTimeoutMs, as on an mcpServers entry: see upstream-limits.ts. */
  ...UpstreamLimitKeys,
  /** Largest response body read; a bigger one fails the call with LIMIT_RESULT_SIZE. */
  maxResponseBytes: z.number().int().positive().default(8 << 20),
  /** Largest spec document read (after decompression). */
  maxSpecBytes: z.number().int().positive().default(64 << 20),
  disabled: z.boolean().optional(),
});

export type OpenApiAuth = z.infer<typeof OpenApiAuthSchema>;
export type OpenApiFilter = z.infer<typeof OpenApiFilterSchema>;
export type OpenApiSourceConfig = z.infer<typeof OpenApiSourceSchema>;
