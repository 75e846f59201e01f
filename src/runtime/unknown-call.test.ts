// The failures come from the real QuickJS engine, so a change in its wording fails here.
import { afterAll, describe, expect, it } from 'vitest';
import { createQuickJsEngine, type RunFailure } from '../sandbox/index.js';
import { transpileProgram } from './transpile.js';
import { explainUnknownCall } from './unknown-call.js';

const api = { crm: ['find_contact', 'list_deals'], mail: ['send_email'] };
const limits = { cpuMs: 2_000, wallMs: 5_000, memoryBytes: 32 << 20, stackBytes: 256 << 10, maxLogBytes: 10_000, maxResultBytes: 100_000 };
const bridge = { call: async () => ({ ok: true as const, json: '{}' }) };

describe('explainUnknownCall', () => {
  const engine = createQuickJsEngine({ poolSize: 1 });
  afterAll(() => engine.close());

  async function explain(source: string): Promise<{ failure: RunFailure; message: string | undefined }> {
    const program = await transpileProgram(source);
    const outcome = await engine.run({ code: program.code, filename: 'program.js', api, limits }, bridge);
    if (outcome.ok) throw new Error(`the program did not fail: ${source}`);
    const explained = explainUnknownCall(outcome.error, program.code, api);
    if (explained) expect(explained.code).toBe('OPERATION_UNKNOWN');
    return { failure: outcome.error, message: explained?.message };
  }

  it('names a misspelled operation and the one meant', async () => {
    const { failure, message } = await explain('return await crm.find_contcat({ email: "a@b.c" });');
    expect(failure.message).toBe('not a function'); // what QuickJS says by itself
    expect(message).toBe('crm.find_contcat is not a function; did you mean crm.find_contact?');
  });

  it('finds the call on the failing line among several', async () => {
    const { message } = await explain('const has = crm.find_contcat ? 1 : 0;\nconst x = 1; const c = await mail.sendEmail({ to: "x" });\nreturn c + has;');
    expect(message).toBe('mail.sendEmail is not a function; did you mean mail.send_email?');
  });

  it('follows TypeScript and a bracketed name', async () => {
    expect((await explain('const n: number = 1;\nreturn await crm["find_contcat"]({ n });')).message).toContain('did you mean crm.find_contact?');
  });

  it('finds an operation passed along before it is called', async () => {
    const { message } = await explain('const find = crm.find_contcat;\nreturn await find({});');
    expect(message).toBe('crm.find_contcat is not a function; did you mean crm.find_contact?');
  });

  it('explains a property read on an unknown operation', async () => {
    const { failure, message } = await explain('return await crm.find_contcat.call(null, {});');
    expect(failure.message).toMatch(/cannot read property 'call' of undefined/);
    expect(message).toContain('did you mean crm.find_contact?');
  });

  it('says how to search when nothing is close', async () => {
    const { message } = await explain('return await crm.rotate_keys({});');
    expect(message).toBe('crm.rotate_keys is not a function: crm has no operation of that name. Find it with the search tool: search({ query: "rotate keys" })');
  });

  it('suggests the namespace of an unknown global used as one', async () => {
    const { failure, message } = await explain('return await crmm.find_contact({});');
    expect(failure.name).toBe('ReferenceError');
    expect(message).toBe('crmm is not defined; did you mean crm.find_contact?');
    expect((await explain('return await salesforce.query({});')).message).toMatch(/^salesforce is not defined: there is no namespace salesforce; the namespaces are crm, mail\. .*search\(\{ query: "salesforce query" \}\)$/);
  });

  it('leaves other failures alone', async () => {
    expect((await explain('const o: any = {}; return o.x();')).message).toBeUndefined();
    expect((await explain('return totl + 1;')).message).toBeUndefined();
    expect((await explain('throw new TypeError("not a function");')).message).toBeUndefined(); // no unknown operation in the program
    // A name as long as data is not a misspelling to spell out.
    expect((await explain(`return await crm["${'x'.repeat(150)}"]({});`)).message).toBeUndefined();
    // Text in a string or a comment is not a reference.
    expect((await explain('// crm.find_contcat\nconst s = "crm.find_contcat"; const o: any = {}; return o.y();')).message).toBeUndefined();
  });

  it('never fails itself on a program nested past the host stack', () => {
    const deep = `(async () => ${'['.repeat(100_000)}crm.find_contcat${']'.repeat(100_000)})`;
    const failure = { code: 'GUEST_THREW', name: 'TypeError', message: 'not a function', position: { line: 1, column: 20 } };
    expect(() => explainUnknownCall(failure, deep, api)).not.toThrow();
  });
});
