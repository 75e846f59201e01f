// Graceful drain of `serve --http` (SIGTERM): once started, a new session, a new stream and a new
// JSON-RPC request get 503 with `Connection: close` and `Retry-After` (a load balancer sends them to
// another process), while requests in flight (running executes) go on, and a client's answers to the
// gateway's own requests (elicitation) and its notifications still pass. http.ts consults it;
// cli/ops-wiring.ts starts it and waits for it to be idle.
import type { ServerResponse } from 'node:http';

const DEFAULT_RETRY_AFTER_S = 5;
const IDLE_POLL_MS = 25;

export class HttpDrain {
  private draining = false;
  private inFlight = 0;
  private readonly retryAfterS: number;

  constructor(options: { readonly retryAfterS?: number } = {}) {
    this.retryAfterS = options.retryAfterS ?? DEFAULT_RETRY_AFTER_S;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** POST requests to /mcp whose response has not closed yet. */
  get requestsInFlight(): number {
    return this.inFlight;
  }

  /** From now on, new work is refused (`refuses`); what is in flight goes on. */
  start(): void {
    this.draining = true;
  }

  /** Counts a request in flight until its response closes (answered, or the client went away). */
  track(res: ServerResponse): void {
    this.inFlight++;
    res.once('close', () => {
      this.inFlight--;
    });
  }

  /**
   * Whether, draining, this message to /mcp must be refused: a GET (a new stream), or a POST
   * holding a JSON-RPC request (initialize included). Responses and notifications pass (a running
   * program may be waiting for one), and so does DELETE (a client ending its session).
   */
  refuses(method: string | undefined, body: unknown): boolean {
    if (!this.draining) return false;
    if (method === 'GET') return true;
    if (method !== 'POST') return false;
    return (Array.isArray(body) ? body : [body]).some(isRequest);
  }

  /** Answers 503: this process is going away; `Connection: close` so the client's next request opens a connection elsewhere. */
  refuse(res: ServerResponse, body: unknown): void {
    const id = !Array.isArray(body) && isRequest(body) ? body.id : null;
    res.writeHead(503, { 'content-type': 'application/json', connection: 'close', 'retry-after': String(this.retryAfterS) });
    res.end(JSON.stringify({
      jsonrpc: '2.0',
      error: { code: -32000, message: `this gateway process is shutting down (draining): it takes no new sessions or requests. Retry in ${this.retryAfterS} s; behind a load balancer another process answers` },
      id,
    }));
  }

  /**
   * Resolves true once no request is in flight and `busy()` (e.g. programs still running whose
   * client went away) answers 0, or false when `ms` passed first.
   */
  async whenIdle(ms: number, busy: () => number = () => 0): Promise<boolean> {
    const deadline = performance.now() + ms;
    for (;;) {
      if (this.inFlight === 0 && busy() === 0) return true;
      if (performance.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.min(IDLE_POLL_MS, Math.max(1, deadline - performance.now()))));
    }
  }
}

function isRequest(message: unknown): message is { method: string; id: string | number } {
  if (typeof message !== 'object' || message === null) return false;
  const { method, id } = message as { method?: unknown; id?: unknown };
  return typeof method === 'string' && (typeof id === 'string' || typeof id === 'number');
}
