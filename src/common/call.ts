// The neutral shapes of one tool call, shared by every stage: the target a call reaches (as policy,
// flags, audit and confirmation see it), how the runtime reaches an upstream (ToolInvoker), and the
// one outcome every invoker answers (MCP, OpenAPI, the sandbox's fetch). Types only.

/** One operation a call reaches. */
export interface CallTarget {
  /** Config key of the upstream (`google-drive`), or the host namespace (`fetch`). */
  readonly server: string;
  /** The upstream's own tool name, or the host function. */
  readonly tool: string;
  /** `namespace.name`, as a program writes the call. */
  readonly callName: string;
  /** The tool is annotated destructiveHint. */
  readonly destructive: boolean;
}

/** An error a program may see: plain data, no host stack. */
export interface CallError {
  readonly code: string;
  readonly message: string;
  /** JSON-safe extra data (e.g. the tool's error content). */
  readonly data?: unknown;
}

/** What one call answered: the value a program receives, or the error it throws as a ToolError. */
export type CallOutcome =
  | { readonly ok: true; readonly value: unknown }
  /** An upstream's text passed on unparsed (no parse and re-serialize in the host): the program receives it parsed when it is JSON, else the text. */
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly error: CallError };

export interface CallOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** How the runtime reaches upstreams; never rejects (a failure is an outcome). */
export interface ToolInvoker {
  callTool(server: string, toolName: string, args: Record<string, unknown>, options: CallOptions): Promise<CallOutcome>;
}

/** The parts of an MCP CallToolResult the gateway reads (OpenAPI sources answer the same shape). */
export interface ToolCallResult {
  readonly content?: readonly ContentItem[] | undefined;
  readonly structuredContent?: unknown;
  readonly isError?: boolean | undefined;
}

export interface ContentItem {
  readonly type: string;
  readonly text?: string;
  readonly data?: string;
  readonly mimeType?: string;
  readonly uri?: string;
  readonly resource?: { readonly uri?: string; readonly mimeType?: string; readonly text?: string; readonly blob?: string };
  readonly [key: string]: unknown;
}
