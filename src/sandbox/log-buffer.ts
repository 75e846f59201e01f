// Keeps a run's console output within its byte budget (UTF-8 bytes of the text of each entry).
// Pure; used inside the worker. What does not fit is dropped, cut at a character boundary, and
// the buffer remembers that something was dropped. Kept entries can also be taken in batches to
// stream while the run goes on; a batch never holds an entry twice, and every entry stays here.
// Takes cut.js directly: common/index.js would load the tokenizer into the worker.
import { CUT_MARK } from '../common/cut.js';
import type { LogEntry, LogLevel } from './engine.js';

const LEVELS: ReadonlySet<string> = new Set<LogLevel>(['log', 'info', 'warn', 'error', 'debug']);

/** A batch is due once this many entries wait, or this long after the last batch. */
const BATCH_ENTRIES = 32;
const BATCH_MS = 50;

export class LogBuffer {
  readonly entries: LogEntry[] = [];
  private usedBytes = 0;
  private cut = false;
  private batched = 0;
  /** Entries whose text was cut (by the budget, here or in the guest): streamed with CUT_MARK. */
  private readonly cutEntries = new Set<number>();
  private lastBatchAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly maxBytes: number) {}

  get truncated(): boolean {
    return this.cut;
  }

  get remainingBytes(): number {
    return Math.max(0, this.maxBytes - this.usedBytes);
  }

  /** Entries kept since the last batch. */
  get hasBatch(): boolean {
    return this.batched < this.entries.length;
  }

  /** Whether to send a batch now, in a stretch of guest code (`now` from performance.now()). */
  batchDue(now: number): boolean {
    const waiting = this.entries.length - this.batched;
    return waiting >= BATCH_ENTRIES || (waiting > 0 && now - this.lastBatchAt >= BATCH_MS);
  }

  /**
   * The entries kept since the last batch (possibly none). An entry that was cut ends with
   * CUT_MARK here (the host's PII tokenizer then drops the raw tail before it, as surface() does
   * for the final logs); `entries` keeps it unmarked.
   */
  takeBatch(now: number): LogEntry[] {
    const batch = this.entries.slice(this.batched).map((entry, i) => (this.cutEntries.has(this.batched + i) ? { ...entry, text: `${entry.text}${CUT_MARK}` } : entry));
    this.batched = this.entries.length;
    this.lastBatchAt = now;
    return batch;
  }

  /** Adds one entry; `alreadyCut` says the guest dropped part of it. Returns the bytes left. */
  add(level: string, text: string, alreadyCut: boolean): number {
    if (alreadyCut) this.cut = true;
    const remaining = this.remainingBytes;
    const bytes = Buffer.byteLength(text, 'utf8');
    let kept = text;
    if (bytes > remaining) {
      this.cut = true;
      kept = truncateUtf8(text, remaining);
      if (kept === '') return this.remainingBytes;
    } else if (text === '' && alreadyCut) {
      return remaining;
    }
    if (alreadyCut || kept !== text) this.cutEntries.add(this.entries.length);
    this.entries.push({ level: LEVELS.has(level) ? (level as LogLevel) : 'log', text: kept });
    this.usedBytes += Buffer.byteLength(kept, 'utf8');
    return this.remainingBytes;
  }
}

/** The longest prefix of `text` whose UTF-8 encoding fits in `maxBytes`, never splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  // bytes[end] is the first byte left out; while it continues a character, that character started
  // inside the kept part and must go too.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString('utf8');
}
