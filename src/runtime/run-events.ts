// What one execute tells its caller while it runs: each tool call as it starts and as it ends,
// and each console line the program writes. Types only. The runtime hands over console text
// already PII-tokenized with the run's session tokens (the same tokens as in the final answer);
// the receiver (server/progress-reporter.ts) bounds and rate-limits what it forwards.
import type { LogEntry } from '../sandbox/index.js';
import type { ToolCallRecord } from './run-scope.js';

export type { LogEntry };

export interface RunEvents {
  /** A call was registered (`ns.fn` as the program wrote it), before policy and argument checks. */
  callStarted?(call: string): void;
  /** A call's fate is known (ok, error, refused, dropped, cancelled), with its duration. */
  callFinished?(record: ToolCallRecord): void;
  /** A console line, while the run goes on (tokenized). Every line is also in the final answer. */
  log?(entry: LogEntry): void;
}

/** Runs one notification (`() => events.log?.(entry)`); a faulty receiver never harms the run. */
export function notify(send: () => void): void {
  try {
    send();
  } catch {
    // the live view is best effort
  }
}
