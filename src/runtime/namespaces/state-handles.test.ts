import { afterAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../catalog/index.js';
import { BUILTIN_DETECTORS, createPrivacy } from '../../privacy/index.js';
import { createQuickJsEngine } from '../../sandbox/index.js';
import { createMemorySessionStore, storeRecords } from '../../session/index.js';
import { outcomeInvoker } from '../../upstream/index.js';
import { executeProgram, type RuntimeOptions } from '../execute.js';
import type { ExecuteContext } from '../oversight.js';
import { handlesNamespace } from './handles-namespace.js';
import { stateNamespace } from './state-namespace.js';

const engine = createQuickJsEngine({ poolSize: 1 });
afterAll(() => engine.close());
const handles = { maxBytesPerSession: 4 << 20, maxBytesPerHandle: 2 << 20 };
const options: RuntimeOptions = {
  engine, maxTokens: 600, handles,
  limits: { cpuMs: 5_000, wallMs: 10_000, memoryBytes: 64 << 20, stackBytes: 256 << 10, maxLogBytes: 10_000, maxResultBytes: 4 << 20, maxToolCalls: 20, toolCallTimeoutMs: 2_000, maxConcurrentCalls: 4, maxToolResultBytes: 4 << 20 },
  invoker: outcomeInvoker({ callTool: () => Promise.reject(new Error('no tools here')) }),
  namespaces: [stateNamespace({ maxValueBytes: 1_000, maxBytesPerSession: 10_000, maxKeys: 10 }), handlesNamespace(handles)],
};
const catalog = Catalog.fromSources([]);
const store = createMemorySessionStore();
const inSession = (id: string): ExecuteContext => ({ records: { session: storeRecords(store, id), gateway: storeRecords(store, 'gateway') } });
const run = (code: string, context: ExecuteContext = {}) => executeProgram(code, catalog, options, undefined, context);

describe('state in the sandbox', () => {
  it('keeps a value from one run to the next of the same session, and no other', async () => {
    expect((await run('await state.set("cursor", { page: 3 }); return await state.keys();', inSession('a'))).text).toBe('["cursor"]');
    expect((await run('const c = await state.get("cursor"); return c.page + 1;', inSession('a'))).text).toBe('4');
    expect((await run('return await state.get("cursor");', inSession('b'))).text).toBe('null');
    expect((await run('return [await state.delete("cursor"), await state.get("cursor")];', inSession('a'))).text).toBe('[true,null]');
  });

  it('throws catchable ToolErrors naming the limit, and refuses an undefined argument', async () => {
    const out = await run('try { await state.set("big", "x".repeat(2000)); } catch (e) { return e.name + " " + e.code + ": " + e.message; }', inSession('a'));
    expect(out.text).toBe('ToolError LIMIT_STATE: state.set("big"): the value is 2,002 bytes of JSON, over the limit of 1,000 bytes per value (cemcp.state.maxValueBytes); store less under one key');
    const undef = await run('await state.set("k", undefined);', inSession('a'));
    expect(undef.text).toContain('TypeError: state.set: argument 2 is undefined; pass a JSON value');
  });

  it('has nothing to keep in a run without a session', async () => {
    const out = await run('await state.set("k", 1);');
    expect(out.ok).toBe(false);
    expect(out.text).toContain('state.set: this run has no MCP session, so it has no state');
  });
});

describe('result handles in the sandbox', () => {
  const big = 'const rows = []; for (let i = 0; i < 20000; i++) rows.push({ id: i, name: "row " + i, tags: ["a", "b"] }); return { rows, total: rows.length };';

  it('answers a preview with a handle, and a later run reads the whole value back exactly', async () => {
    const first = await run(big, inSession('h'));
    expect(first.ok).toBe(true);
    expect(first.cut).toBe(true);
    expect(first.tokensOut).toBeLessThanOrEqual(600);
    expect(first.text).toMatch(/^shape: \{ rows: \{ id: number, name: string, tags: string\[\] \(2\) \}\[\] \(20,000\), total: number \}\nfirst \d+ of 20,000 items of all\.rows:\n\{"rows":\[\{"id":0,/);
    expect(first.text).toContain("over cemcp's answer budget of 600 (cemcp.surface.maxTokens), so this is a preview; not a limit of the API or the tool.");
    const id = /handle "(h_[A-Za-z0-9_-]{20})"/.exec(first.text)?.[1];
    expect(id).toBeDefined();
    const paging = /read the rest in a program: (.*)\]$/.exec(first.text)?.[1];
    expect(paging).toMatch(new RegExp(`^const all = await handles.get\\("${id}"\\); return all\\.rows\\.slice\\(\\d+, \\d+\\)$`));
    const again = await run(`const all = await handles.get("${id}"); return [JSON.stringify(all).length, all.rows.length, all.rows[19999].name];`, inSession('h'));
    const whole = await run(`${big.replace(/return \{ rows, total: rows.length \};$/, 'return JSON.stringify({ rows, total: rows.length }).length;')}`, inSession('h'));
    expect(again.text).toBe(`[${whole.text},20000,"row 19999"]`);
    // The paging code the notice gave runs as written.
    const page = await run(paging!, inSession('h'));
    expect(page.ok).toBe(true);
    expect(page.text.startsWith('[{"id":')).toBe(true);
    const other = await run(`return await handles.get("${id}");`, inSession('other'));
    expect(other.text).toContain(`ToolError [HANDLE_UNKNOWN]: handles.get("${id}"): no such handle: it never existed in this session`);
  });

  it('tokenizes PII in the preview; the handle keeps the value as returned, and what a later run returns is tokenized alike', async () => {
    const privacy = createPrivacy({ enabled: true, detectors: BUILTIN_DETECTORS, custom: [], servers: {}, maxEntries: 100_000 });
    const context = { ...inSession('pii'), pii: privacy.openSession()! };
    const people = 'const rows = []; for (let i = 0; i < 5000; i++) rows.push({ id: i, email: "person" + i + "@example.com" }); return rows;';
    const first = await run(people, context);
    expect(first.text).not.toMatch(/person\d+@example\.com/);
    const token = /\{"id":0,"email":"([^"]+)"\}/.exec(first.text)![1]!;
    expect(token).toMatch(/EMAIL/);
    const id = /handle "(h_[A-Za-z0-9_-]{20})"/.exec(first.text)![1]!;
    // Inside the sandbox the value is the real one; out of it, the same token as in the preview.
    const back = await run(`const all = await handles.get("${id}"); return [all[0].email.endsWith("@example.com"), all[0].email];`, context);
    expect(back.text).toBe(`[true,"${token}"]`);
  });

  it('says no handle was kept in a run without a session', async () => {
    const out = await run(big);
    expect(out.cut).toBe(true);
    expect(out.text).toContain('No handle was kept: this run has no MCP session (a one-off run keeps nothing).');
    expect(out.text).not.toContain('handles.get');
  });
});
