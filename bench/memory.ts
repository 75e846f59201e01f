// Memory of a serving gateway over many runs: the resident set of the `cemcp serve` process
// (workers are its threads) sampled while one session runs the one-call program 2,000 times;
// growth is measured over the second half, after warm-up. Linux /proc, else `ps`. For the runner.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { CemcpSession } from './sessions.js';
import { ONE_CALL_PROGRAM } from './speed.js';

export interface MemoryResult {
  readonly runs: number;
  readonly failed: number;
  /** Resident set after the first run, around the half and at the end (median of 3 samples), in bytes. */
  readonly rssStartBytes: number;
  readonly rssHalfBytes: number;
  readonly rssEndBytes: number;
  /** (end - half) / half: the target is under 10%. */
  readonly growthSecondHalf: number;
}

export function residentBytes(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // not Linux: ps below
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
}

export async function measureMemory(session: CemcpSession, runs = 2_000): Promise<MemoryResult> {
  const pid = session.pid;
  if (!pid) throw new Error('the gateway process is not running');
  let failed = 0;
  const samples: number[] = [];
  for (let i = 1; i <= runs; i++) {
    if ((await session.call('execute', { code: ONE_CALL_PROGRAM })).isError) failed++;
    if (i === 1 || i % SAMPLE_EVERY === 0) samples.push(residentBytes(pid));
  }
  // A sample alone moves with the gateway's garbage collection: the median of three around each point.
  const around = (index: number) => median(samples.slice(Math.max(1, index - 2), index + 1));
  const halfIndex = Math.round(runs / 2 / SAMPLE_EVERY);
  const rssHalfBytes = around(halfIndex);
  const rssEndBytes = around(samples.length - 1);
  return {
    runs, failed, rssStartBytes: samples[0] ?? 0, rssHalfBytes, rssEndBytes,
    growthSecondHalf: Math.round((10_000 * (rssEndBytes - rssHalfBytes)) / rssHalfBytes) / 10_000,
  };
}

const SAMPLE_EVERY = 100;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
