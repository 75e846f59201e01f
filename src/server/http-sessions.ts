// The live sessions of the Streamable HTTP transport: at most `maxSessions` at once (initializes
// in progress count), and a session with no request for `idleTimeoutMs` expires: it leaves the
// table at once (its id then gets 404) and `onExpire` closes it. A session with a request in
// flight or a run going on never expires. Used by http.ts only.

export interface SessionTableOptions<T> {
  /** Unbounded when absent. */
  readonly maxSessions?: number;
  /** Never expire when absent. */
  readonly idleTimeoutMs?: number;
  readonly onExpire: (id: string, value: T) => void;
  /** Work of the session going on without a request open (a run whose client went away): not idle. */
  readonly isBusy?: (value: T) => boolean;
  readonly now?: () => number;
}

/** A place for one session being initialized: commit it under its id, or release it. */
export interface SessionSlot<T> {
  commit(id: string, value: T): void;
  release(): void;
}

interface Entry<T> {
  readonly value: T;
  inFlight: number;
  lastActive: number;
}

export class HttpSessionTable<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly options: SessionTableOptions<T>;
  private readonly now: () => number;
  private reserved = 0;
  private readonly timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: SessionTableOptions<T>) {
    this.options = options;
    this.now = options.now ?? Date.now;
    const idle = options.idleTimeoutMs;
    if (idle !== undefined) {
      // Expiry lands between idleTimeoutMs and 1.25 x it (at most a minute late).
      this.timer = setInterval(() => this.sweep(), Math.min(60_000, Math.max(25, Math.floor(idle / 4))));
      this.timer.unref();
    }
  }

  get size(): number {
    return this.entries.size;
  }

  values(): T[] {
    return [...this.entries.values()].map((e) => e.value);
  }

  /** A slot for a new session; undefined when live and initializing sessions reached the cap. */
  reserve(): SessionSlot<T> | undefined {
    if (this.entries.size + this.reserved >= (this.options.maxSessions ?? Number.POSITIVE_INFINITY)) return undefined;
    this.reserved++;
    let open = true;
    const release = () => {
      if (!open) return;
      open = false;
      this.reserved--;
    };
    return {
      commit: (id, value) => {
        release();
        this.entries.set(id, { value, inFlight: 0, lastActive: this.now() });
      },
      release,
    };
  }

  get(id: string): T | undefined {
    return this.entries.get(id)?.value;
  }

  /** A request of session `id` started; call the answer when it has finished. */
  begin(id: string): () => void {
    const entry = this.entries.get(id);
    if (!entry) return () => undefined;
    entry.inFlight++;
    entry.lastActive = this.now();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      entry.inFlight--;
      entry.lastActive = this.now();
    };
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  /** Expires idle sessions now; answers their ids. */
  sweep(): string[] {
    const idle = this.options.idleTimeoutMs;
    if (idle === undefined) return [];
    const expired: string[] = [];
    const now = this.now();
    for (const [id, entry] of this.entries) {
      if (entry.inFlight > 0 || now - entry.lastActive < idle) continue;
      if (this.options.isBusy?.(entry.value)) {
        entry.lastActive = now;
        continue;
      }
      this.entries.delete(id);
      expired.push(id);
      this.options.onExpire(id, entry.value);
    }
    return expired;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.entries.clear();
  }
}
