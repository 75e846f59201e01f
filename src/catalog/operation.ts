// The unit of the catalog: one callable operation of one upstream, as the sandbox exposes it.
// Plain data; imported by catalog/, runtime/ and server/.

export type JsonSchema = Readonly<Record<string, unknown>>;

export interface ToolAnnotations {
  readonly readOnlyHint?: boolean;
  readonly destructiveHint?: boolean;
  readonly idempotentHint?: boolean;
  readonly openWorldHint?: boolean;
}

export interface Operation {
  /** Config key of the upstream, as the user wrote it (`google-drive`). */
  readonly server: string;
  /** Sandbox global for the upstream: the config key made an identifier (`google_drive`). */
  readonly namespace: string;
  /** Function name inside the namespace: the tool name made an identifier (`get_sum`). */
  readonly name: string;
  /** The upstream's own tool name, sent on the wire (`get-sum`). */
  readonly toolName: string;
  /** `namespace.name`, exactly as a program writes the call. */
  readonly callName: string;
  readonly description: string;
  readonly inputSchema: JsonSchema;
  readonly outputSchema?: JsonSchema;
  /** Set when `outputSchema` was learned from results (catalog/shapes/), not declared by the tool. */
  readonly inferred?: { readonly calls: number };
  readonly annotations?: ToolAnnotations;
  /** OpenAPI operations only: the spec's tags, HTTP method (upper case) and path template. */
  readonly tags?: readonly string[];
  readonly method?: string;
  readonly path?: string;
}
