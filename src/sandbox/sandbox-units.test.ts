import { describe, expect, it } from 'vitest';
import { CONTRACT_LIMITS } from './engine.contract.js';
import { findPosition, parseErrorInfo, thrownFailure } from './guest-failure.js';
import { MIN_MEMORY_PAGES, WASM_PAGE_BYTES, maxGuestStackFor, planGuestStack, planMemory } from './guest-sizing.js';
import { CUT_MARK } from '../common/cut.js';
import { LogBuffer, truncateUtf8 } from './log-buffer.js';
import { resolveWorkerEntry } from './worker-entry-path.js';

describe('findPosition', () => {
  it('takes the innermost frame in the program file from a QuickJS stack', () => {
    const stack = '    at helper (cemcp:prelude:3:9)\n    at g (program.js:4:12)\n    at <anonymous> (program.js:9:3)\n';
    expect(findPosition(stack, 'program.js')).toEqual({ line: 4, column: 12 });
  });

  it('reads the frame of a compile error, which has no function name', () => {
    expect(findPosition('    at program.js:2:13\n', 'program.js')).toEqual({ line: 2, column: 13 });
  });

  it('ignores frames of other files, even with a similar name', () => {
    expect(findPosition('    at f (my-program.js:1:1)\n    at native (native)\n', 'program.js')).toBeUndefined();
  });
});

describe('thrownFailure', () => {
  const info = (fields: Record<string, unknown>) => parseErrorInfo(JSON.stringify({ message: '', stack: '', tool: false, ...fields }));

  it('maps QuickJS stack overflow and out of memory to their limit codes', () => {
    expect(thrownFailure(info({ name: 'InternalError', message: 'stack overflow' }), 'p.js', CONTRACT_LIMITS).code).toBe('SANDBOX_STACK');
    expect(thrownFailure(info({ name: 'SyntaxError', message: 'stack overflow' }), 'p.js', CONTRACT_LIMITS).code).toBe('SANDBOX_STACK');
    expect(thrownFailure(info({ name: 'InternalError', message: 'out of memory' }), 'p.js', CONTRACT_LIMITS).code).toBe('SANDBOX_MEMORY');
  });

  it('reads a description that is not an object (a program can make it so) as an empty one', () => {
    for (const json of ['null', '[]', '"x"', '7']) expect(parseErrorInfo(json)).toEqual({ message: '', stack: '', tool: false });
  });

  it('keeps a ToolError data and code, and nothing of other errors', () => {
    const tool = thrownFailure(info({ name: 'ToolError', message: 'm', tool: true, code: 'X', dataJson: '{"a":1}' }), 'p.js', CONTRACT_LIMITS);
    expect(tool).toEqual({ code: 'GUEST_THREW', name: 'ToolError', message: 'm', data: { a: 1 }, toolCode: 'X' });
    const plain = thrownFailure(info({ name: 'Error', message: 'm', dataJson: '{"a":1}' }), 'p.js', CONTRACT_LIMITS);
    expect(plain).toEqual({ code: 'GUEST_THREW', name: 'Error', message: 'm' });
  });
});

describe('LogBuffer', () => {
  it('cuts at a character boundary, never inside a UTF-8 sequence', () => {
    expect(truncateUtf8('a€b', 3)).toBe('a');
    expect(truncateUtf8('a€b', 4)).toBe('a€');
    expect(truncateUtf8('😀', 3)).toBe('');
    expect(truncateUtf8('abc', 0)).toBe('');
  });

  it('keeps entries up to the budget, then drops and flags', () => {
    const logs = new LogBuffer(10);
    expect(logs.add('log', 'hello', false)).toBe(5);
    expect(logs.add('warn', 'world!!', false)).toBe(0);
    logs.add('log', 'more', false);
    expect(logs.entries).toEqual([{ level: 'log', text: 'hello' }, { level: 'warn', text: 'world' }]);
    expect(logs.truncated).toBe(true);
  });

  it('flags output the guest already cut, and maps unknown levels to log', () => {
    const logs = new LogBuffer(100);
    logs.add('trace', 'x', true);
    expect(logs.entries).toEqual([{ level: 'log', text: 'x' }]);
    expect(logs.truncated).toBe(true);
  });

  it('hands out kept entries in batches, each once, and never what the budget dropped', () => {
    const logs = new LogBuffer(40);
    expect(logs.hasBatch).toBe(false);
    logs.add('log', 'one', false);
    expect(logs.batchDue(0)).toBe(true); // no batch went yet: the first is due at once
    expect(logs.takeBatch(1_000)).toEqual([{ level: 'log', text: 'one' }]);
    logs.add('log', 'two', false);
    expect(logs.batchDue(1_010)).toBe(false); // 10 ms after the last batch, one entry waiting
    expect(logs.batchDue(1_050)).toBe(true);
    for (let i = 0; i < 40; i++) logs.add('log', 'x', false);
    expect(logs.batchDue(1_010)).toBe(true); // 32 waiting
    const batch = logs.takeBatch(1_020);
    expect(batch[0]).toEqual({ level: 'log', text: 'two' });
    expect(batch).toHaveLength(logs.entries.length - 1);
    expect(logs.entries).toHaveLength(1 + 1 + 34); // the budget of 40 bytes held: "one", "two", 34 × "x"
    expect(logs.hasBatch).toBe(false);
    expect(logs.takeBatch(2_000)).toEqual([]);
  });

  it('marks a cut entry in its batch with the cut mark, and keeps it unmarked in entries', () => {
    const logs = new LogBuffer(12);
    logs.add('log', 'whole', false);
    logs.add('log', 'guest-cut', true); // the guest sliced it to the budget
    logs.add('warn', 'abcdef', false); // 2 bytes left
    expect(logs.takeBatch(0)).toEqual([
      { level: 'log', text: 'whole' },
      { level: 'log', text: `guest-c${CUT_MARK}` },
    ]);
    expect(logs.entries.map((e) => e.text)).toEqual(['whole', 'guest-c']);
  });
});

describe('guest sizing', () => {
  it('gives a 64 MiB limit its bytes plus the fixed overhead, within the module minimum and 2 GiB', () => {
    const plan = planMemory(64 * 2 ** 20);
    expect(plan.initialPages).toBe(MIN_MEMORY_PAGES);
    expect(plan.maximumPages * WASM_PAGE_BYTES).toBeGreaterThan(70 * 2 ** 20);
    expect(plan.maximumPages * WASM_PAGE_BYTES).toBeLessThan(80 * 2 ** 20);
    expect(planMemory(1).maximumPages).toBe(MIN_MEMORY_PAGES);
    expect(planMemory(2 ** 40).maximumPages).toBe(32_768);
  });

  it('bounds the guest stack by the worker stack and the shadow stack', () => {
    expect(maxGuestStackFor(64)).toBeGreaterThanOrEqual(1024 * 1024);
    expect(maxGuestStackFor(4096)).toBe(4 * 2 ** 20);
    expect(planGuestStack(512 * 1024, maxGuestStackFor(64))).toBe(512 * 1024);
    expect(planGuestStack(64 * 2 ** 20, maxGuestStackFor(64))).toBe(maxGuestStackFor(64));
  });
});

describe('resolveWorkerEntry', () => {
  it('maps a TypeScript source module under src/ to the compiled entry under dist/', () => {
    expect(resolveWorkerEntry('file:///p/src/sandbox/quickjs-engine.ts').href).toBe('file:///p/dist/sandbox/worker-entry.js');
  });

  it('uses the sibling file next to a compiled module', () => {
    expect(resolveWorkerEntry('file:///p/dist/sandbox/quickjs-engine.js').href).toBe('file:///p/dist/sandbox/worker-entry.js');
  });

  it('maps the last src/ of the path only', () => {
    expect(resolveWorkerEntry('file:///home/src/app/src/sandbox/quickjs-engine.ts').href).toBe('file:///home/src/app/dist/sandbox/worker-entry.js');
  });
});
