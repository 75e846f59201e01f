// What the two tools know about upstreams that are not ready yet: the tracker the composition
// root provides, the one-line status a search answer carries, and which upstreams a program
// names. Pure apart from the tracker it is given; imported by gateway-service.ts.
import { namespaceFor } from '../catalog/index.js';

export interface UpstreamStatusView {
  readonly name: string;
  /** `idle`: configured but not started (a CLI command that needs only some upstreams). */
  readonly state: 'idle' | 'connecting' | 'ready' | 'failed';
  readonly error?: string | undefined;
  readonly connectingForMs?: number | undefined;
  readonly connectTimeoutMs?: number | undefined;
}

/** Live upstream states; `cli/start-gateway.ts` wires it to the pool and the OpenAPI loader. */
export interface UpstreamTracker {
  statuses(): readonly UpstreamStatusView[];
  /** Resolves once each named upstream has connected or failed (the catalog already updated). */
  waitFor(names: readonly string[]): Promise<void>;
}

const MAX_ERROR_CHARS = 200;

/** One short line naming upstreams still connecting or failed, or undefined when all are ready. */
export function describeNotReady(statuses: readonly UpstreamStatusView[]): string | undefined {
  const parts: string[] = [];
  for (const s of statuses) {
    if (s.state === 'connecting') {
      const so = s.connectingForMs === undefined ? '' : `${Math.round(s.connectingForMs / 1000)} s so far`;
      const limit = s.connectTimeoutMs === undefined ? '' : `timeout ${Math.round(s.connectTimeoutMs / 1000)} s`;
      const detail = [so, limit].filter(Boolean).join(', ');
      parts.push(`"${s.name}" is still connecting${detail ? ` (${detail})` : ''}`);
    } else if (s.state === 'failed') {
      parts.push(`"${s.name}" failed: ${clip(s.error ?? 'not connected')}`);
    }
  }
  return parts.length ? `Not in these results: ${parts.join('; ')}.` : undefined;
}

/** Names of `candidates` whose sandbox namespace appears as a word in the program. */
export function referencedUpstreams(code: string, candidates: readonly string[]): string[] {
  return candidates.filter((name) => {
    // As the catalog names namespaces (collisions aside: waiting for one more is harmless).
    const namespace = namespaceFor(name);
    // `_?`: a host namespace of the same name (e.g. `fetch`) gives the upstream `fetch_`.
    return new RegExp(`(^|[^\\w$])${namespace.replace(/\$/g, '\\$')}_?(?![\\w$])`).test(code);
  });
}

/** `promise`, or undefined after `ms` or on abort, whichever comes first. */
export async function waitAtMost(promise: Promise<void>, ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    onAbort = () => resolve();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([promise, stop]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > MAX_ERROR_CHARS ? `${line.slice(0, MAX_ERROR_CHARS)}…` : line;
}
