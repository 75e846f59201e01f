// Saved skills in the catalog: an overlay that adds each skill as an operation of the `skills`
// namespace (found by search like a tool, typed by its argument schema), and the TypeScript
// declaration of the `skills` global. Pure; composable with other overlays (Catalog stays immutable).
import { Catalog } from './catalog.js';
import { condenseDoc, DEFAULT_DOC_LINE_TOKENS } from './doc-line.js';
import type { JsonSchema, Operation } from './operation.js';
import { schemaToTs } from './schema-to-ts.js';
import { createTypeScope } from './type-scope.js';

export const SKILLS_NAMESPACE = 'skills';

/** What the catalog needs of one saved skill. */
export interface SkillSummary {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: JsonSchema;
}

/** The skill as an operation: `skills.<name>`, from the gateway itself (server `skills`). */
export function skillOperation(skill: SkillSummary): Operation {
  return {
    server: SKILLS_NAMESPACE,
    namespace: SKILLS_NAMESPACE,
    name: skill.name,
    toolName: skill.name,
    callName: `${SKILLS_NAMESPACE}.${skill.name}`,
    description: skill.description,
    inputSchema: skill.inputSchema,
  };
}

/** `catalog` with the skills added (any it had from an earlier overlay replaced); the same catalog when there are none. */
export function withSkills(catalog: Catalog, skills: readonly SkillSummary[]): Catalog {
  const had = catalog.operations.some((op) => op.server === SKILLS_NAMESPACE && op.namespace === SKILLS_NAMESPACE);
  if (skills.length === 0 && !had) return catalog;
  const kept = had ? catalog.operations.filter((op) => !(op.server === SKILLS_NAMESPACE && op.namespace === SKILLS_NAMESPACE)) : catalog.operations;
  return new Catalog([...kept, ...skills.map(skillOperation)]);
}

const SKILLS_FUNCTIONS = [
  '  /** Saves a program as skills.<name>(args) for every later run of this gateway; `code` is a body with `args` in scope, or one async (args) => { ... }. */',
  '  save(skill: { name: string; description: string; code: string; inputSchema?: object }): Promise<{ name: string; call: string; replaced: boolean; signature: string }>;',
  '  /** The saved skills. */',
  '  list(): Promise<{ name: string; description: string; signature: string }[]>;',
  '  /** Deletes a saved skill; false when there was none of that name. */',
  '  delete(name: string): Promise<boolean>;',
];

/** `declare const skills: { save, list, delete, and one typed method per skill }`. */
export function renderSkillsDeclaration(skills: readonly SkillSummary[]): string {
  const methods = skills.map((skill) => {
    const doc = condenseDoc(skill.description, DEFAULT_DOC_LINE_TOKENS);
    return `${doc ? `  /** ${doc} */\n` : ''}  ${skill.name}(${renderSkillArgs(skill.inputSchema)}): Promise<unknown>;`;
  });
  return [`declare const ${SKILLS_NAMESPACE}: {`, ...SKILLS_FUNCTIONS, ...methods, '};'].join('\n');
}

/** `args: { email: string; limit?: number }`, optional when nothing is required. */
export function renderSkillArgs(schema: JsonSchema): string {
  const required = Array.isArray(schema['required']) && schema['required'].length > 0;
  return `args${required ? '' : '?'}: ${schemaToTs(schema, { scope: createTypeScope() })}`;
}
