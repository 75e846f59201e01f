// What `skills.save({ name, description, code, inputSchema? })` may keep: checks each field within
// the configured bounds, transpiles the code (a body with `args` in scope, or one async function
// expression) and reports a syntax error at the skill's own line, and takes the argument schema as
// given (checked as JSON Schema) or inferred from the code's use of `args`. Pure; used by skills/.
import { isDangerousName, isReservedWord, isSandboxGlobal } from '../../common/index.js';
import type { JsonSchema } from '../../catalog/index.js';
import { transpileProgram, type TranspiledProgram } from '../transpile.js';
import { describeSchemaProblem } from '../validate-args.js';
import { inferArgs } from './infer-args.js';
import { findTokenInStrings, isLoneFunctionBody, isSingleAsyncFunction, PII_TOKEN } from './skill-source.js';

export const SKILL_PARAMETER = 'args';

/** Bounds of what a skill may be (cemcp.skills). */
export interface SkillBounds {
  readonly maxSkills: number;
  readonly maxCodeBytes: number;
  readonly maxDescriptionChars: number;
  readonly maxSchemaBytes: number;
  /** Skills calling one another deeper than this throw. */
  readonly maxDepth: number;
}

export const DEFAULT_SKILL_BOUNDS: SkillBounds = {
  maxSkills: 200,
  maxCodeBytes: 32 * 1024,
  maxDescriptionChars: 1_000,
  maxSchemaBytes: 16 * 1024,
  maxDepth: 8,
};

/** A skill as stored: plain JSON. */
export interface SkillRecord {
  readonly name: string;
  readonly description: string;
  /** The source as saved. */
  readonly code: string;
  readonly inputSchema: JsonSchema;
  /** The schema was inferred from the code (no inputSchema was given). */
  readonly inferred: boolean;
  /** ISO time of the save. */
  readonly savedAt: string;
}

/** A skill ready to run: its record and the code transpiled (an async function expression of `args`). */
export interface CompiledSkill {
  readonly record: SkillRecord;
  readonly program: TranspiledProgram;
}

/** Names the namespace's own functions take. */
export const SKILL_FUNCTIONS = ['save', 'list', 'delete'] as const;
/** The hidden host function each skill call passes first (RunRequest.library's gate). */
export const SKILL_GATE = 'enter';

const NAME = /^[A-Za-z_$][\w$]{0,63}$/;

/** A save refused: `code` for the guest's ToolError, `message` naming the field and the fix. */
export class SkillInputError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** Checks a skill name; answers the problem, or undefined when it may be used. */
export function describeNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') return 'name: expected a non-empty string, e.g. "weekly_report"';
  if (!NAME.test(name)) return `name: "${name.slice(0, 80)}" is not an identifier of at most 64 characters (letters, digits, _ and $; not starting with a digit)`;
  if ((SKILL_FUNCTIONS as readonly string[]).includes(name) || name === SKILL_GATE) return `name: "${name}" is a function of skills itself; choose another name`;
  if (isReservedWord(name) || isDangerousName(name) || isSandboxGlobal(name)) return `name: "${name}" is a reserved word or built-in name; choose another name`;
  return undefined;
}

/** Validates and compiles what a program passed to `skills.save`. Throws SkillInputError. */
export async function defineSkill(input: unknown, bounds: SkillBounds, now: Date = new Date()): Promise<CompiledSkill> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SkillInputError('ARGUMENT_INVALID', 'expects one object: skills.save({ name, description, code, inputSchema? })');
  }
  const { name, description, code, inputSchema, ...extra } = input as Record<string, unknown>;
  const unknownField = Object.keys(extra)[0];
  if (unknownField !== undefined) throw new SkillInputError('ARGUMENT_INVALID', `unknown field "${unknownField}"; the fields are name, description, code and inputSchema`);
  const nameProblem = describeNameProblem(name);
  if (nameProblem) throw new SkillInputError('ARGUMENT_INVALID', nameProblem);
  if (typeof description !== 'string' || description.trim() === '') {
    throw new SkillInputError('ARGUMENT_INVALID', 'description: expected a non-empty string saying what the skill does (search finds skills by it)');
  }
  if (description.length > bounds.maxDescriptionChars) {
    throw new SkillInputError('ARGUMENT_INVALID', `description: ${description.length} characters; at most ${bounds.maxDescriptionChars} (cemcp.skills.maxDescriptionChars)`);
  }
  if (typeof code !== 'string' || code.trim() === '') {
    throw new SkillInputError('ARGUMENT_INVALID', 'code: expected the program as a string: a body with `args` in scope, or one `async (args) => { ... }`');
  }
  const codeBytes = Buffer.byteLength(code, 'utf8');
  if (codeBytes > bounds.maxCodeBytes) throw new SkillInputError('ARGUMENT_INVALID', `code: ${codeBytes} bytes; at most ${bounds.maxCodeBytes} (cemcp.skills.maxCodeBytes)`);
  const program = await compileSkill(String(name), code);
  // A token stands for a value of the saving session only: in another session's run it would mean another value, or none.
  const token = PII_TOKEN.exec(description)?.[0] ?? findTokenInStrings(program.code);
  if (token) {
    throw new SkillInputError('ARGUMENT_INVALID', `${PII_TOKEN.test(description) ? 'description' : 'code'} holds the personal-data token ${token}, which stands for a value of this session only; pass the value as an argument instead`);
  }
  const schema = inputSchema === undefined ? inferArgs(program.code).schema : checkSchema(inputSchema, bounds);
  const record: SkillRecord = {
    name: String(name), description: description.trim(), code, inputSchema: schema, inferred: inputSchema === undefined, savedAt: now.toISOString(),
  };
  return { record, program };
}

/** Transpiles a skill's code; a syntax error names the skill and its own line. Throws SkillInputError. */
export async function compileSkill(name: string, code: string): Promise<TranspiledProgram> {
  let program: TranspiledProgram;
  try {
    program = await transpileProgram(code, { parameter: SKILL_PARAMETER });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new SkillInputError('SYNTAX_ERROR', `code of skill "${name}": ${message}`);
  }
  // The engine evaluates the code as it is: it must be one function expression and nothing besides.
  if (!isSingleAsyncFunction(program.code)) {
    throw new SkillInputError('SYNTAX_ERROR', `code of skill "${name}": the code closes the function it is the body of (an unmatched "}" or ")"); write a body, or one async (args) => { ... }`);
  }
  if (isLoneFunctionBody(program.code)) {
    throw new SkillInputError('SYNTAX_ERROR', `code of skill "${name}": a single function needs a block body to be called: async (args) => { return ...; }`);
  }
  return program;
}

function checkSchema(schema: unknown, bounds: SkillBounds): JsonSchema {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new SkillInputError('ARGUMENT_INVALID', 'inputSchema: expected a JSON Schema object, e.g. { type: "object", properties: { email: { type: "string" } }, required: ["email"] }');
  }
  const json = JSON.stringify(schema);
  if (Buffer.byteLength(json, 'utf8') > bounds.maxSchemaBytes) {
    throw new SkillInputError('ARGUMENT_INVALID', `inputSchema: over ${bounds.maxSchemaBytes} bytes of JSON (cemcp.skills.maxSchemaBytes)`);
  }
  const { $id: _id, ...kept } = JSON.parse(json) as Record<string, unknown>;
  const type = kept['type'];
  if (type !== undefined && type !== 'object') throw new SkillInputError('ARGUMENT_INVALID', `inputSchema: type must be "object" (a skill takes one object, args), not ${JSON.stringify(type)}`);
  const problem = describeSchemaProblem(kept);
  if (problem) throw new SkillInputError('ARGUMENT_INVALID', `inputSchema: not a valid JSON Schema: ${problem}`);
  return { type: 'object', ...kept };
}
