// The cheap restore of a Python instance: the sparse copy of the snapshot's memory image gives the
// same bytes as a whole copy, and what it shares between instances (the stdlib zip read once per
// worker) cannot carry anything from one run to the next. Engine tests use dist/ (build first).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_LIMITS, RecordingBridge } from './engine.contract.js';
import type { Engine, RunOutcome } from './engine.js';
import { createPythonEngine } from './python-engine.js';
import { copySparse, nonZeroRanges } from './python-restore.js';

const PAGE = 4096;

function image(pages: number, filled: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(pages * PAGE + 100); // a tail shorter than a page, as real images may have
  for (const page of filled) bytes.fill(page + 1, page * PAGE + 7, page * PAGE + 9);
  return bytes;
}

describe('nonZeroRanges and copySparse', () => {
  it('finds the pages holding anything but zeros, merged into ranges, the short tail included', () => {
    const bytes = image(10, [0, 1, 4, 9]);
    bytes[10 * PAGE + 50] = 3;
    expect(nonZeroRanges(bytes)).toEqual([[0, 2 * PAGE], [4 * PAGE, 5 * PAGE], [9 * PAGE, 10 * PAGE + 100]]);
    expect(nonZeroRanges(new Uint8Array(3 * PAGE))).toEqual([]);
  });

  it('copies into a zero heap the same bytes as a whole copy would', () => {
    const bytes = image(40, [0, 3, 17, 18, 39]);
    const heap = new Uint8Array(bytes.length + 5 * PAGE);
    expect(copySparse(heap, bytes, nonZeroRanges(bytes), true)).toBe(0);
    const whole = new Uint8Array(heap.length);
    whole.set(bytes);
    expect(Buffer.compare(heap, whole)).toBe(0);
  });

  it('when verifying, clears and counts the left-out pages that are not zero in the heap', () => {
    const bytes = image(12, [2, 5]);
    const heap = new Uint8Array(bytes.length);
    heap[0] = 9; // written before the restore, zero in the image
    heap[7 * PAGE + 1] = 9;
    heap[12 * PAGE + 3] = 9; // in the short tail
    expect(copySparse(heap, bytes, nonZeroRanges(bytes), true)).toBe(3);
    expect(Buffer.compare(heap, bytes)).toBe(0);
  });

  it('without verifying, touches only the ranges to copy', () => {
    const bytes = image(6, [1]);
    const heap = new Uint8Array(bytes.length);
    heap[4 * PAGE] = 9;
    expect(copySparse(heap, bytes, nonZeroRanges(bytes), false)).toBe(0);
    expect(heap[4 * PAGE]).toBe(9);
    expect(Buffer.compare(heap.subarray(PAGE, 2 * PAGE), bytes.subarray(PAGE, 2 * PAGE))).toBe(0);
  });
});

describe('instances restored the cheap way (engine)', () => {
  let engine: Engine;
  const LIMITS = { ...CONTRACT_LIMITS, cpuMs: 3_000, wallMs: 10_000, memoryBytes: 64 * 2 ** 20 };
  const run = (code: string): Promise<RunOutcome> => engine.run({ code, filename: 'program.py', api: {}, limits: LIMITS }, new RecordingBridge());
  const valueOf = (outcome: RunOutcome): unknown => (outcome.ok && outcome.valueJson !== undefined ? JSON.parse(outcome.valueJson) : outcome);

  beforeAll(async () => {
    engine = createPythonEngine({ poolSize: 1 });
    expect(valueOf(await run('return 1'))).toBe(1);
  }, 180_000);
  afterAll(async () => {
    await engine.close();
  });

  it('a program that overwrites the stdlib zip changes it for its own run only', async () => {
    const zip = 'import glob\nname = glob.glob("/lib/python*.zip")[0]\n';
    expect(valueOf(await run(`${zip}with open(name, "r+b") as f:\n    f.write(b"XXXX")\nwith open(name, "rb") as f:\n    return f.read(4).decode()`))).toBe('XXXX');
    for (let i = 0; i < 3; i++) {
      // Each next instance sees the zip as shipped, and still imports from it (a module not preloaded).
      expect(valueOf(await run(`${zip}with open(name, "rb") as f:\n    head = f.read(4)\nimport colorsys\nreturn [head.hex(), colorsys.rgb_to_hsv(1, 0, 0)[2]]`))).toEqual(['504b0304', 1]);
    }
  });

  it('every run gets an interpreter in the state of the snapshot, whatever the runs before it did to memory', async () => {
    // Fill the heap with a marker, then check the next runs' fresh interpreters start clean and work.
    expect(valueOf(await run('blob = [bytes([0xAB]) * 4096 for _ in range(4000)]\nimport sys\nsys.marker = 1\nreturn len(blob)'))).toBe(4000);
    for (let i = 0; i < 3; i++) {
      expect(valueOf(await run('import sys, json, re, datetime\nreturn [hasattr(sys, "marker"), json.loads(json.dumps({"a": [1, 2]})), re.sub("b+", "-", "abbbc")]'))).toEqual([false, { a: [1, 2] }, 'a-c']);
    }
  });
});
