// What one execute tells its caller while it runs: each tool call as it starts and as it ends,
// and each console line the program writes. The runtime hands over console text already
// PII-tokenized with the run's session tokens (the same tokens as in the final answer); the
// receiver (server/progress-reporter.ts) bounds and rate-limits what it forwards. Used by execute.ts.
import type { HostBridge, LogEntry } from '../sandbox/index.js';
import type { RunScopeOptions, ToolCallRecord } from './run-scope.js';

export type { LogEntry };

export interface RunEvents {
  /** A call was registered (`ns.fn` as the program wrote it), before policy and argument checks. */
  callStarted?(call: string): void;
  /** A call's fate is known (ok, error, refused, dropped, cancelled), with its duration. */
  callFinished?(record: ToolCallRecord): void;
  /** A console line, while the run goes on (tokenized). Every line is also in the final answer. */
  log?(entry: LogEntry): void;
}

/** The run scope's call hooks: `onCall` as before, and the events told of each start and fate. */
export function scopeHooks(events: RunEvents | undefined, onCall: (record: ToolCallRecord) => void): Pick<RunScopeOptions, 'onStart' | 'onCall'> {
  if (!events) return { onCall };
  return {
    onStart: (call) => notify(() => events.callStarted?.(call)),
    onCall: (record) => {
      onCall(record);
      notify(() => events.callFinished?.(record));
    },
  };
}

/** The bridge with a `log` hook when someone listens: console lines, tokenized by `protect`, go to `events.log`. */
export function withLiveLogs(bridge: HostBridge, events: RunEvents | undefined, protect: (text: string) => string): HostBridge {
  if (!events?.log) return bridge;
  return {
    call: (namespace, fn, argsJson) => bridge.call(namespace, fn, argsJson),
    log: (entry) => notify(() => events.log?.({ level: entry.level, text: protect(entry.text) })),
  };
}

/** Runs one notification; a faulty receiver never harms the run. */
export function notify(send: () => void): void {
  try {
    send();
  } catch {
    // the live view is best effort
  }
}
