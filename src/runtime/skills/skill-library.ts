// The gateway's saved skills, kept in its durable records (shared by every session, and by every
// process sharing the store): one record holds them all and is changed by compare-and-set only, so
// two saves never lose one another; a second small record holds its revision, read before each
// search and run to see whether anything changed. Compiled code is cached per process by save time.
import type { Records } from '../../common/index.js';
import type { JsonValue } from '../../common/index.js';
import {
  compileSkill, defineSkill, SkillInputError, type CompiledSkill, type SkillBounds, type SkillRecord,
} from './skill-definition.js';

const INDEX_KEY = 'skills:index';
const REVISION_KEY = 'skills:revision';

/** The skills as of one revision of the store. */
export interface SkillSnapshot {
  readonly revision: number;
  /** By name, in order of name. */
  readonly skills: ReadonlyMap<string, SkillRecord>;
}

export interface SaveResult {
  readonly record: SkillRecord;
  /** A skill of that name was there before and is replaced. */
  readonly replaced: boolean;
}

interface Index {
  readonly revision: number;
  readonly skills: Readonly<Record<string, SkillRecord>>;
}

const EMPTY: SkillSnapshot = { revision: 0, skills: new Map() };

// A read ahead older than this is not taken by refresh(): a run that was refused left it unused.
const READ_AHEAD_FRESH_MS = 1_000;

export class SkillLibrary {
  private snapshot: SkillSnapshot = EMPTY;
  private readonly compiled = new Map<string, { savedAt: string; skill: Promise<CompiledSkill> }>();
  private ahead: { readonly read: Promise<SkillSnapshot>; readonly at: number } | undefined;

  constructor(
    private readonly records: Records,
    readonly bounds: SkillBounds,
  ) {}

  /** The skills as last read (refresh() reads the store). */
  get current(): SkillSnapshot {
    return this.snapshot;
  }

  /**
   * Starts a refresh now that the next refresh() answers with: a run starts it beside the session's
   * own reads, so with a shared store the two round trips overlap instead of adding up.
   */
  readAhead(): void {
    const read = this.read();
    read.catch(() => undefined); // refresh() reports it, or it is dropped unused
    this.ahead = { read, at: performance.now() };
  }

  /** Reads the revision record; reads the skills again only when it moved. */
  async refresh(): Promise<SkillSnapshot> {
    const ahead = this.ahead;
    this.ahead = undefined;
    if (ahead && performance.now() - ahead.at < READ_AHEAD_FRESH_MS) return ahead.read;
    return this.read();
  }

  private async read(): Promise<SkillSnapshot> {
    const revision = await this.records.read(REVISION_KEY);
    if (typeof revision === 'number' && revision === this.snapshot.revision) return this.snapshot;
    if (revision === undefined && this.snapshot.revision === 0) return this.snapshot;
    return this.adopt(parseIndex(await this.records.read(INDEX_KEY)));
  }

  /** Checks and saves a skill (replacing one of the same name). Throws SkillInputError. */
  async save(input: unknown): Promise<SaveResult> {
    const skill = await defineSkill(input, this.bounds);
    const { name } = skill.record;
    let replaced = false;
    const written = await this.records.update(INDEX_KEY, (current) => {
      const index = parseIndex(current);
      replaced = Object.hasOwn(index.skills, name);
      if (!replaced && Object.keys(index.skills).length >= this.bounds.maxSkills) {
        throw new SkillInputError('LIMIT_SKILLS', `${this.bounds.maxSkills} skills are saved, the most this gateway keeps (cemcp.skills.maxSkills); delete one with skills.delete(name) first`);
      }
      return toJson({ revision: index.revision + 1, skills: { ...index.skills, [name]: skill.record } });
    });
    this.compiled.set(name, { savedAt: skill.record.savedAt, skill: Promise.resolve(skill) });
    await this.publish(parseIndex(written));
    return { record: skill.record, replaced };
  }

  /** Deletes a skill; true when it was there. */
  async delete(name: string): Promise<boolean> {
    let found = false;
    const written = await this.records.update(INDEX_KEY, (current) => {
      const index = parseIndex(current);
      found = Object.hasOwn(index.skills, name);
      if (!found) return current;
      const { [name]: _gone, ...rest } = index.skills;
      return toJson({ revision: index.revision + 1, skills: rest });
    });
    if (found) await this.publish(parseIndex(written));
    return found;
  }

  /** The skill ready to run (compiled once per save); checks stored code as strictly as a save. */
  compile(record: SkillRecord): Promise<CompiledSkill> {
    const cached = this.compiled.get(record.name);
    if (cached?.savedAt === record.savedAt) return cached.skill;
    const skill = compileSkill(record.name, record.code).then((program) => ({ record, program }));
    this.compiled.set(record.name, { savedAt: record.savedAt, skill });
    skill.catch(() => this.compiled.delete(record.name));
    return skill;
  }

  /** The revision record follows the index's revision upward only, whatever order writers finish in. */
  private async publish(index: Index): Promise<void> {
    await this.records.update(REVISION_KEY, (current) => (typeof current === 'number' && current >= index.revision ? current : index.revision));
    this.adopt(index);
  }

  private adopt(index: Index): SkillSnapshot {
    if (index.revision < this.snapshot.revision) return this.snapshot;
    const names = Object.keys(index.skills).sort();
    this.snapshot = { revision: index.revision, skills: new Map(names.map((name) => [name, index.skills[name]!])) };
    for (const name of this.compiled.keys()) if (!this.snapshot.skills.has(name)) this.compiled.delete(name);
    return this.snapshot;
  }
}

/** The stored index, read as data: anything malformed in it is left out, never trusted. */
function parseIndex(value: JsonValue | undefined): Index {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { revision: 0, skills: {} };
  const raw = value as Record<string, JsonValue>;
  const revision = typeof raw['revision'] === 'number' ? raw['revision'] : 0;
  const skills: Record<string, SkillRecord> = {};
  const stored = raw['skills'];
  if (typeof stored === 'object' && stored !== null && !Array.isArray(stored)) {
    for (const [name, entry] of Object.entries(stored as Record<string, JsonValue>)) {
      const record = parseRecord(name, entry);
      if (record) skills[name] = record;
    }
  }
  return { revision, skills };
}

function parseRecord(name: string, value: JsonValue): SkillRecord | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const r = value as Record<string, JsonValue>;
  const schema = r['inputSchema'];
  if (r['name'] !== name || typeof r['description'] !== 'string' || typeof r['code'] !== 'string' || typeof r['savedAt'] !== 'string') return undefined;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return undefined;
  return { name, description: r['description'], code: r['code'], inputSchema: schema as SkillRecord['inputSchema'], inferred: r['inferred'] === true, savedAt: r['savedAt'] };
}

const toJson = (index: Index): JsonValue => index as unknown as JsonValue;
