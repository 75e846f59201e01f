// SkillLibrary over the real store records (session/records.ts on the in-memory SessionStore): two
// libraries over one store stand for two gateway processes sharing it.
import { describe, expect, it, vi } from 'vitest';
import { createMemorySessionStore, GATEWAY_RECORDS_ID, storeRecords, type SessionStore } from '../../session/index.js';
import { DEFAULT_SKILL_BOUNDS, SkillInputError, type SkillBounds } from './skill-definition.js';
import { SkillLibrary } from './skill-library.js';

const over = (store: SessionStore, bounds: SkillBounds = DEFAULT_SKILL_BOUNDS) => new SkillLibrary(storeRecords(store, GATEWAY_RECORDS_ID), bounds);
const skill = (name: string, code = 'return args.x;') => ({ name, description: `The ${name} skill.`, code });

describe('SkillLibrary', () => {
  it('shares saves and deletes with every library over the same store, seen by a revision check', async () => {
    const store = createMemorySessionStore();
    const a = over(store);
    const b = over(store);
    expect((await b.refresh()).skills.size).toBe(0);
    const saved = await a.save(skill('first'));
    expect(saved.replaced).toBe(false);
    const seen = await b.refresh();
    expect([...seen.skills.keys()]).toEqual(['first']);
    expect(seen.revision).toBe(a.current.revision);
    // Nothing changed: the same snapshot, from the revision record alone.
    expect(await b.refresh()).toBe(seen);
    expect(await b.delete('first')).toBe(true);
    expect(await b.delete('first')).toBe(false);
    expect((await a.refresh()).skills.size).toBe(0);
  });

  it('replaces a skill of the same name and says so', async () => {
    const lib = over(createMemorySessionStore());
    await lib.save(skill('s', 'return 1;'));
    const again = await lib.save(skill('s', 'return 2;'));
    expect(again.replaced).toBe(true);
    expect(lib.current.skills.get('s')?.code).toBe('return 2;');
    expect((await lib.compile(lib.current.skills.get('s')!)).program.code).toContain('return 2;');
  });

  it('refuses a save beyond maxSkills, naming the setting, and keeps replacing allowed', async () => {
    const lib = over(createMemorySessionStore(), { ...DEFAULT_SKILL_BOUNDS, maxSkills: 2 });
    await lib.save(skill('a'));
    await lib.save(skill('b'));
    const error = await lib.save(skill('c')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SkillInputError);
    expect(error).toMatchObject({ code: 'LIMIT_SKILLS', message: expect.stringMatching(/cemcp\.skills\.maxSkills/) as string });
    expect((await lib.save(skill('b', 'return 3;'))).replaced).toBe(true);
    expect([...lib.current.skills.keys()]).toEqual(['a', 'b']);
  });

  it('loses no save when two processes save at once', async () => {
    const store = createMemorySessionStore();
    const [a, b] = [over(store), over(store)];
    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).save(skill(`s${i}`))));
    const names = [...(await over(store).refresh()).skills.keys()];
    expect(names).toHaveLength(12);
    expect((await a.refresh()).revision).toBe(12);
  });

  it('reads a tampered store as data: malformed entries are left out, code that escapes its function never compiles', async () => {
    const store = createMemorySessionStore();
    const records = storeRecords(store, GATEWAY_RECORDS_ID);
    const evil = { name: 'evil', description: 'x', code: '}); globalThis.x = 1; (async () => {', inputSchema: { type: 'object' }, inferred: true, savedAt: 'now' };
    await records.write('skills:index', { revision: 3, skills: { evil, broken: { name: 'other' }, odd: 'text' } });
    await records.write('skills:revision', 3);
    const lib = over(store);
    const snapshot = await lib.refresh();
    expect([...snapshot.skills.keys()]).toEqual(['evil']);
    await expect(lib.compile(snapshot.skills.get('evil')!)).rejects.toMatchObject({ code: 'SYNTAX_ERROR' });
  });

  it('answers the next refresh with a read started ahead, once, and not when it is stale', async () => {
    const store = createMemorySessionStore();
    let reads = 0;
    const counted: SessionStore = { ...store, get: (id, key) => (reads++, store.get(id, key)) };
    const a = over(counted);
    const b = over(store);
    a.readAhead();
    expect(reads).toBe(1);
    await b.save(skill('later'));
    // The read ahead began before the save: the run that started it sees the store as of its start.
    expect((await a.refresh()).skills.size).toBe(0);
    expect(reads).toBe(1);
    // Taken once: the next refresh reads again and finds the save.
    expect([...(await a.refresh()).skills.keys()]).toEqual(['later']);
    expect(reads).toBeGreaterThan(1);
    // A read ahead nobody took for a second (the run was refused) is not used.
    a.readAhead();
    await b.delete('later');
    vi.spyOn(performance, 'now').mockReturnValue(performance.now() + 1_000);
    try {
      expect((await a.refresh()).skills.size).toBe(0);
    } finally {
      vi.restoreAllMocks();
    }
  });
});
