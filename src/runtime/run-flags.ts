// The flags of one run, each kept once (a loop over a destructive tool raises one flag, not 500).
// Filled by the call pipeline (pipeline/) and the run's oversight (oversight.ts).
import type { Flag } from '../audit/index.js';

export class RunFlags {
  private readonly seen = new Set<string>();
  readonly list: Flag[] = [];

  add(flag: Flag): void {
    const key = `${flag.kind}|${flag.call ?? ''}|${flag.line ?? ''}|${flag.call ? '' : flag.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(flag);
  }
}
