// The sandbox's `skills`: save, list and delete saved skills (the gateway's durable records, via
// SkillLibrary), and each saved skill as `skills.<name>(args)`, run inside the calling run as guest
// JavaScript (RunRequest.library). A skill call passes the hidden gate `enter` first: the policy
// admits `skills.<name>`, and the arguments are checked against the skill's schema, so a bad one
// is refused naming the field before the skill's body runs. Saving and deleting are admitted by
// the policy like any call (`skills.save`, `skills.delete`). Never rejects.
import { describeError } from '../../common/index.js';
import { renderSkillArgs, renderSkillsDeclaration, SKILLS_NAMESPACE } from '../../catalog/index.js';
import type { BridgeReply } from '../../sandbox/index.js';
import { failure, runEnded } from '../pipeline/index.js';
import { SKILL_FUNCTIONS, SKILL_GATE, SkillInputError, type CompiledSkill, type SkillRecord } from '../skills/skill-definition.js';
import type { SkillLibrary } from '../skills/skill-library.js';
import { referencedSkills } from '../skills/skill-references.js';
import { checkArguments } from '../validate-args.js';
import type { HostCall, HostNamespace, RunLibrary } from './host-namespace.js';

export function skillsNamespace(library: SkillLibrary): HostNamespace {
  const reply = (value: unknown): BridgeReply => ({ ok: true, json: JSON.stringify(value) });
  const admit = (fn: string, call: HostCall) =>
    call.admission.admit({ server: SKILLS_NAMESPACE, tool: fn, callName: `${SKILLS_NAMESPACE}.${fn}`, destructive: false });
  // Saving and deleting leave the run: they go through the scope's send like an upstream call.
  const sent = async (label: string, call: HostCall, work: () => Promise<unknown>): Promise<BridgeReply> => {
    const started = call.open.send(work);
    if (!started) return runEnded(label);
    try {
      return reply(await started);
    } catch (error) {
      if (error instanceof SkillInputError) return failure(error.code, `${label}: ${error.message}`);
      return failure('SESSION_STORE', `${label}: the skills could not be stored: ${describeError(error)}`);
    }
  };

  return {
    name: SKILLS_NAMESPACE,
    functions: [...SKILL_FUNCTIONS, SKILL_GATE],
    form: 'library',
    uncounted: [SKILL_GATE],
    get declaration() {
      return renderSkillsDeclaration([...library.current.skills.values()]);
    },

    async prepareRun(program) {
      const snapshot = await library.refresh();
      const names = referencedSkills(program, snapshot.skills);
      const compiled = new Map<string, CompiledSkill>();
      for (const name of names) {
        const record = snapshot.skills.get(name);
        // A stored skill that no longer compiles is left out: calling it says it is not a function.
        if (record) await library.compile(record).then((skill) => compiled.set(name, skill), () => undefined);
      }
      return runLibrary(library, compiled, [...snapshot.skills.keys()]);
    },

    async call(fn, argsJson, call) {
      let args: unknown;
      try {
        args = JSON.parse(argsJson);
      } catch {
        return failure('ARGUMENT_INVALID', `skills.${fn}: arguments are not JSON`);
      }
      switch (fn) {
        case 'save': {
          const refused = await admit('save', call);
          if (refused) return { ok: false, error: refused };
          return sent('skills.save', call, async () => {
            const { record, replaced } = await library.save(args);
            return { name: record.name, call: `skills.${record.name}`, replaced, signature: signatureOf(record) };
          });
        }
        case 'list':
          return sent('skills.list', call, async () => {
            const { skills } = await library.refresh();
            return [...skills.values()].map((r) => ({ name: r.name, description: r.description, signature: signatureOf(r) }));
          });
        case 'delete': {
          const name = typeof args === 'string' ? args : (args as { name?: unknown } | null)?.name;
          if (typeof name !== 'string') return failure('ARGUMENT_INVALID', 'skills.delete: expects the name of a skill, e.g. skills.delete("weekly_report")');
          const refused = await admit('delete', call);
          if (refused) return { ok: false, error: refused };
          return sent('skills.delete', call, () => library.delete(name));
        }
        case SKILL_GATE:
          return enter(library, args, call, admit);
        default:
          return failure('OPERATION_UNKNOWN', `skills.${fn} is not a function of skills`);
      }
    },
  };
}

/** The gate of `skills.<name>(args)`: the policy, then the skill's argument schema. */
async function enter(library: SkillLibrary, payload: unknown, call: HostCall, admit: (fn: string, call: HostCall) => ReturnType<HostCall['admission']['admit']>): Promise<BridgeReply> {
  const { name, args } = (payload ?? {}) as { name?: unknown; args?: unknown };
  if (typeof name !== 'string') return failure('ARGUMENT_INVALID', 'skills: a skill call names no skill');
  const label = `skills.${name}`;
  const record = library.current.skills.get(name) ?? (await library.refresh()).skills.get(name);
  if (!record) return failure('SKILL_UNKNOWN', `${label}: no skill of that name is saved any more (deleted during this run?); list them with skills.list()`);
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    return failure('ARGUMENT_INVALID', `${label}: expects one object argument, e.g. ${label}({ ... })`);
  }
  const refused = await admit(name, call);
  if (refused) return { ok: false, error: refused };
  const problem = checkArguments(record.inputSchema, args);
  if (problem) return failure('ARGUMENT_INVALID', `${label}: ${problem}; the skill takes ${renderSkillArgs(record.inputSchema)}`);
  return { ok: true, json: 'null' };
}

function runLibrary(library: SkillLibrary, compiled: ReadonlyMap<string, CompiledSkill>, names: readonly string[]): RunLibrary {
  const functions: Record<string, string> = {};
  for (const [name, skill] of compiled) functions[name] = skill.program.code;
  return {
    library: { namespace: SKILLS_NAMESPACE, gate: SKILL_GATE, maxDepth: library.bounds.maxDepth, functions },
    names: [...SKILL_FUNCTIONS, ...names],
    locate(name, position) {
      const program = compiled.get(name)?.program;
      const at = program?.toSourcePosition(position);
      if (!program || !at) return undefined;
      return { ...at, source: program.sourceLine(at.line) ?? '' };
    },
  };
}

function signatureOf(record: SkillRecord): string {
  return `skills.${record.name}(${renderSkillArgs(record.inputSchema)}): Promise<unknown>`;
}
