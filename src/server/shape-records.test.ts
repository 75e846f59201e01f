import { describe, expect, it } from 'vitest';
import type { CallOutcome, Logger, Records } from '../common/index.js';
import { Catalog, type ToolLike } from '../catalog/index.js';
import { createMemorySessionStore, GATEWAY_RECORDS_ID, storeRecords, type SessionStore } from '../session/index.js';
import { createShapeLearning } from './shape-learning.js';
import { createShapeRecords, SHAPES_RECORD_KEY } from './shape-records.js';

const tools: ToolLike[] = [
  { name: 'search', description: 'Search contacts', inputSchema: { type: 'object' } },
  { name: 'count', description: 'Counts contacts', inputSchema: { type: 'object' } },
];
const catalog = Catalog.fromSources([{ server: 'crm', tools }]);
const quiet: Logger = { log() {} };

/** One gateway process learning over `records` (one shared store: several processes). */
function processOn(records: Records, outcome: CallOutcome, logger: Logger = quiet) {
  const published: Catalog[] = [];
  const learning = createShapeLearning({ publish: (c) => published.push(c), logger, file: createShapeRecords(records, { logger }), publishDelayMs: 1, countDelayMs: 1, saveDelayMs: 1 });
  learning.setCatalog(catalog);
  const invoker = learning.wrap({ callTool: async () => outcome });
  return {
    learning,
    call: (tool: string) => invoker.callTool('crm', tool, {}, { timeoutMs: 1_000 }),
    latest: () => published[published.length - 1]!,
  };
}

describe('createShapeRecords (learned shapes in a shared store)', () => {
  const shared = (): { store: SessionStore; records: Records } => {
    const store = createMemorySessionStore();
    return { store, records: storeRecords(store, GATEWAY_RECORDS_ID) };
  };

  it('keeps shapes in the gateway records, where a process started later finds them', async () => {
    const { store, records } = shared();
    const first = processOn(records, { ok: true, value: { id: 1, name: 'Ann' } });
    await first.call('search');
    await first.learning.close();
    expect(await records.read(SHAPES_RECORD_KEY)).toMatchObject({ version: 1, shapes: [{ server: 'crm', tool: 'search', calls: 1 }] });

    const second = processOn(records, { ok: true, value: 0 });
    await second.learning.flush(); // the store's record is read a moment after start
    expect(second.latest().operations[0]).toMatchObject({ inferred: { calls: 1 }, outputSchema: { type: 'object' } });
    await second.learning.close();
    await store.close();
  });

  it('merges what two processes learn at once: neither loses the other', async () => {
    const { store, records } = shared();
    const a = processOn(records, { ok: true, value: { id: 1 } });
    const b = processOn(records, { ok: true, value: 7 });
    await Promise.all([a.call('search'), b.call('count')]);
    await Promise.all([a.learning.close(), b.learning.close()]);
    const stored = (await records.read(SHAPES_RECORD_KEY)) as { shapes: { tool: string }[] };
    expect(stored.shapes.map((s) => s.tool).sort()).toEqual(['count', 'search']);
    await store.close();
  });

  it('never throws when the store fails: the warning is logged once and learning goes on in memory', async () => {
    const warnings: string[] = [];
    const logger: Logger = { log: (severity, message) => { if (severity === 'warning') warnings.push(message); } };
    const failing: Records = {
      read: async () => { throw new Error('redis at 127.0.0.1:1 is unreachable'); },
      write: async () => { throw new Error('unreachable'); },
      remove: async () => false,
      keys: async () => [],
      update: async () => { throw new Error('redis at 127.0.0.1:1 is unreachable'); },
    };
    const p = processOn(failing, { ok: true, value: { id: 1 } }, logger);
    await p.call('search');
    await p.learning.flush();
    await p.call('search');
    await p.learning.close();
    expect(p.latest().operations[0]?.inferred).toEqual({ calls: 2 });
    expect(warnings).toEqual(['learned types: reading them in the session store failed: redis at 127.0.0.1:1 is unreachable; learning goes on in memory and is written at the next change']);
  });
});
