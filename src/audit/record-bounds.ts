// Keeps an audit record's size bounded whatever a run does: a sample of its calls (the first and
// the last ones), counts per operation under a cap, a cut program text and a cap on flags.
// Refused calls are counted by the caller, never listed. Pure; used by runtime/ via index.ts.
import type { AuditCall, Flag } from './record.js';

export interface AuditBounds {
  /** Calls listed from the start of the run. */
  readonly sampleFirst: number;
  /** Calls listed from the end of the run. */
  readonly sampleLast: number;
  /** Characters of the program kept in the record (codeSha256 covers the whole of it). */
  readonly maxCodeChars: number;
}

export const DEFAULT_AUDIT_BOUNDS: AuditBounds = { sampleFirst: 20, sampleLast: 20, maxCodeChars: 65_536 };

/** Distinct `server.tool` names counted in `operations`; the rest are summed under OTHER_OPERATIONS. */
export const MAX_OPERATIONS = 50;
const OTHER_OPERATIONS = '…';
/** Flags listed in one record; the rest are counted in `flagsOmitted`. */
export const MAX_FLAGS = 50;

export interface CallSample {
  readonly calls: AuditCall[];
  /** Calls between the first and the last ones that are not listed. */
  readonly omitted: number;
}

export function sampleCalls(calls: readonly AuditCall[], bounds: AuditBounds): CallSample {
  const first = Math.max(0, bounds.sampleFirst);
  const last = Math.max(0, bounds.sampleLast);
  if (calls.length <= first + last) return { calls: [...calls], omitted: 0 };
  return { calls: [...calls.slice(0, first), ...(last ? calls.slice(-last) : [])], omitted: calls.length - first - last };
}

export function countOperations(calls: readonly AuditCall[]): Record<string, number> {
  const out: Record<string, number> = Object.create(null) as Record<string, number>;
  let distinct = 0;
  for (const c of calls) {
    let name = `${c.server}.${c.tool}`;
    if (out[name] === undefined) {
      if (distinct >= MAX_OPERATIONS) name = OTHER_OPERATIONS;
      else distinct += 1;
    }
    out[name] = (out[name] ?? 0) + 1;
  }
  return { ...out };
}

export function capFlags(flags: readonly Flag[]): { flags: Flag[]; omitted: number } {
  return { flags: flags.slice(0, MAX_FLAGS), omitted: Math.max(0, flags.length - MAX_FLAGS) };
}

export function capCode(code: string, bounds: AuditBounds): { code: string; truncated: boolean } {
  if (code.length <= bounds.maxCodeChars) return { code, truncated: false };
  return { code: code.slice(0, bounds.maxCodeChars), truncated: true };
}
