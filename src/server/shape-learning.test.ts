import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger, type CallOutcome, type ToolInvoker } from '../common/index.js';
import { Catalog, ShapeBook, type ToolLike } from '../catalog/index.js';
import { createShapeFile } from './shape-file.js';
import { createShapeLearning } from './shape-learning.js';

const dir = mkdtempSync(path.join(tmpdir(), 'cemcp-learning-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tools: ToolLike[] = [
  { name: 'search', description: 'Search contacts', inputSchema: { type: 'object' } },
  { name: 'sum', description: 'Adds', inputSchema: { type: 'object' }, outputSchema: { type: 'object', properties: { sum: { type: 'number' } } } },
];
const catalogOf = (list: ToolLike[]) => Catalog.fromSources([{ server: 'crm', tools: list }]);

/** An invoker answering each call with the next outcome of `outcomes`. */
function scripted(outcomes: CallOutcome[]): ToolInvoker {
  let i = 0;
  return { callTool: async () => outcomes[i++ % outcomes.length]! };
}

function setUp(outcomes: CallOutcome[], file = createShapeFile(path.join(dir, `${Math.random()}.json`), { logger: silentLogger })) {
  const published: Catalog[] = [];
  const learning = createShapeLearning({ publish: (c) => published.push(c), logger: silentLogger, file, publishDelayMs: 1, saveDelayMs: 1 });
  learning.setCatalog(catalogOf(tools));
  const invoker = learning.wrap(scripted(outcomes));
  const call = (tool = 'search') => invoker.callTool('crm', tool, {}, { timeoutMs: 1_000 });
  const latest = () => published[published.length - 1]!;
  return { learning, call, latest, published, file };
}

describe('createShapeLearning', () => {
  it('learns after the program has its result, then publishes the catalog with the shape marked inferred', async () => {
    const { learning, call, latest, published } = setUp([
      { ok: true, text: '{"items":[{"id":1,"email":"ann@example.com"}],"next":null}' },
      { ok: true, value: { items: [] } },
    ]);
    expect(published).toHaveLength(1);
    const first = await call();
    expect(first).toEqual({ ok: true, text: '{"items":[{"id":1,"email":"ann@example.com"}],"next":null}' });
    expect(latest().operations[0]?.inferred).toBeUndefined(); // nothing learned on the reply's path
    await call();
    await learning.flush();
    const op = latest().operations[0]!;
    expect(op.inferred).toEqual({ calls: 2 });
    expect(op.outputSchema).toEqual({
      type: 'object',
      properties: {
        items: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, email: { type: 'string', format: 'email' } }, required: ['id', 'email'] } },
        next: { type: 'null' },
      },
      required: ['items'],
    });
    expect(JSON.stringify(latest().operations)).not.toContain('ann@example.com');
    await learning.close();
  });

  it('learns text that is not JSON as a string, and skips text over the bound, failures and declared tools', async () => {
    const { learning, call, latest } = setUp([{ ok: true, text: 'plain words' }]);
    await call();
    await call('sum');
    await learning.flush();
    expect(latest().operations.map((op) => op.outputSchema)).toEqual([{ type: 'string' }, tools[1]!.outputSchema]);
    expect(latest().operations[1]?.inferred).toBeUndefined();

    const big = createShapeLearning({ publish: () => undefined, logger: silentLogger, maxTextChars: 10, book: new ShapeBook() });
    const book = new ShapeBook();
    const small = createShapeLearning({ publish: () => undefined, logger: silentLogger, book });
    for (const l of [big, small]) l.setCatalog(catalogOf(tools));
    await big.wrap(scripted([{ ok: true, text: '"a long string of text"' }])).callTool('crm', 'search', {}, { timeoutMs: 1 });
    await small.wrap(scripted([{ ok: false, error: { code: 'TOOL_ERROR', message: 'no' } }])).callTool('crm', 'search', {}, { timeoutMs: 1 });
    await Promise.all([big.flush(), small.flush()]);
    expect(book.size).toBe(0);
    await learning.close();
  });

  it('persists shapes across a restart, in a private file, until the tool definition changes', async () => {
    const file = createShapeFile(path.join(dir, 'sub', 'learned-types.json'), { logger: silentLogger });
    const first = setUp([{ ok: true, value: { id: 'x' } }], file);
    await first.call();
    await first.call();
    await first.learning.close();
    expect(statSync(file.path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file.path, 'utf8'))).toMatchObject({ version: 1, shapes: [{ server: 'crm', tool: 'search', calls: 2 }] });

    const second = setUp([], createShapeFile(file.path, { logger: silentLogger }));
    expect(second.latest().operations[0]).toMatchObject({ inferred: { calls: 2 }, outputSchema: { type: 'object' } });
    const changed = [{ ...tools[0]!, description: 'Search contacts by name' }, tools[1]!];
    second.learning.setCatalog(catalogOf(changed));
    expect(second.latest().operations[0]?.inferred).toBeUndefined();
    await second.learning.close();
  });

  it('learns from at most maxPending results waiting at once (the rest are not learned from)', async () => {
    const book = new ShapeBook();
    const learning = createShapeLearning({ publish: () => undefined, logger: silentLogger, book, maxPending: 3 });
    learning.setCatalog(catalogOf(tools));
    const invoker = learning.wrap(scripted([{ ok: true, value: 1 }]));
    await Promise.all(Array.from({ length: 10 }, () => invoker.callTool('crm', 'search', {}, { timeoutMs: 1 })));
    await learning.flush();
    expect(book.lookup(catalogOf(tools).operations[0]!)?.calls).toBe(3);
  });

  it('ignores a corrupt file and rewrites it', async () => {
    const target = path.join(dir, 'corrupt.json');
    writeFileSync(target, '{ not json');
    const { learning, call } = setUp([{ ok: true, value: 1 }], createShapeFile(target, { logger: silentLogger }));
    await call();
    await learning.close();
    expect(JSON.parse(readFileSync(target, 'utf8'))).toMatchObject({ version: 1, shapes: [{ shape: { type: 'integer' } }] });
  });

  it('bounds the file in bytes, dropping the least recently learned tools', async () => {
    const many: ToolLike[] = Array.from({ length: 50 }, (_, i) => ({ name: `t${i}`, inputSchema: { type: 'object' } }));
    const target = path.join(dir, 'bounded.json');
    const learning = createShapeLearning({ publish: () => undefined, logger: silentLogger, file: createShapeFile(target, { logger: silentLogger, maxBytes: 2_000 }) });
    learning.setCatalog(catalogOf(many));
    const invoker = learning.wrap(scripted([{ ok: true, value: { a: 1, b: 'x' } }]));
    for (const tool of many) {
      await invoker.callTool('crm', tool.name, {}, { timeoutMs: 1 });
      await new Promise((resolve) => setImmediate(resolve)); // at most maxPending results wait to be learned from
    }
    await learning.close();
    const text = readFileSync(target, 'utf8');
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2_000);
    const kept = (JSON.parse(text) as { shapes: { tool: string }[] }).shapes.map((s) => s.tool);
    expect(kept.length).toBeGreaterThan(5);
    expect(kept).toContain('t49');
    expect(kept).not.toContain('t0');
  });
});
