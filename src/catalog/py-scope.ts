// The Python declarations of one scope (an upstream's namespace class, one search signature): every
// object schema becomes a TypedDict class, named once, an identical class body reusing its name.
// Pure; imported by schema-to-py.ts and py-declarations.ts only. Invariant: declarations come in
// definition order (a class after the classes it names), so only a cycle refers forward.

import { decodePointerSegment } from '../common/index.js';
import type { JsonSchema } from './operation.js';
import { contentKey } from './type-scope.js';

/** One field of a TypedDict: its key as the schema spells it, its type, whether required, a doc line. */
export interface PyField {
  readonly key: string;
  readonly type: string;
  readonly required: boolean;
  readonly doc?: string | undefined;
}

export interface PyDeclaration {
  readonly name: string;
  /** The statement, unindented; lines after the first are indented one level where a block needs it. */
  readonly text: string;
}

/** Collects the classes and aliases that schemas render as. Opaque; read it with `pyDeclarations`. */
export interface PyScope {
  readonly [STATE]: ScopeState;
}

const STATE: unique symbol = Symbol('PyScope');
interface ScopeState {
  readonly used: Set<string>;
  readonly byBody: Map<string, string>;
  readonly byRef: WeakMap<object, Map<string, string>>;
  /** Per pointer and digest of the document's definitions: operations carrying copies of one `components` share names. */
  readonly byContent: Map<string, string>;
  readonly pending: Set<string>;
  readonly typedDicts: Set<string>;
  readonly declarations: PyDeclaration[];
}

// Names a declared type must not take: keywords, what the rendering itself uses, and builtins a reader
// would take for the real thing.
const PY_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal',
  'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);
const TAKEN_NAMES = new Set([
  ...PY_KEYWORDS, 'Any', 'Literal', 'TypedDict', 'NotRequired', 'Required', 'Never', 'TypeAlias', 'ToolError',
  'Exception', 'Optional', 'Union', 'List', 'Dict', 'Tuple', 'Type', 'Object',
]);

export function createPyScope(reservedNames: Iterable<string> = []): PyScope {
  const state: ScopeState = {
    used: new Set(reservedNames), byBody: new Map(), byRef: new WeakMap(), byContent: new Map(), pending: new Set(), typedDicts: new Set(), declarations: [],
  };
  return { [STATE]: state };
}

export function pyDeclarations(scope: PyScope): readonly PyDeclaration[] {
  return scope[STATE].declarations;
}

/** True for a name Python accepts as an identifier or attribute (ASCII letters, digits, `_`; no keyword). */
export function isPyIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !PY_KEYWORDS.has(name);
}

/** `entity` -> `Entity`, `user_info` -> `UserInfo`, `a/b` -> `AB`: a class name that shadows nothing we emit. */
export function toPyTypeName(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  let name = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('') || 'Item';
  if (/^[0-9]/.test(name)) name = `T${name}`;
  return TAKEN_NAMES.has(name) ? `${name}_` : name;
}

/** A fresh name from `base` (`Entity`, else `Entity2`), marked used. */
export function freshName(scope: PyScope, base: string): string {
  const state = scope[STATE];
  const stem = toPyTypeName(base);
  let name = stem;
  for (let n = 2; state.used.has(name); n++) name = `${stem}${n}`;
  state.used.add(name);
  return name;
}

/** The name a local `$ref` in `root` got, directly or through an identical copy of its definitions. */
export function findRef(scope: PyScope, root: JsonSchema, ref: string): string | undefined {
  const state = scope[STATE];
  const known = state.byRef.get(root)?.get(ref);
  if (known !== undefined) return known;
  const key = contentKey(root, ref);
  const shared = key === undefined ? undefined : state.byContent.get(key);
  if (shared !== undefined) perRoot(state, root).set(ref, shared);
  return shared;
}

/** Names `ref` (from its last pointer segment), pending until `declare` gives its body. */
export function reserveRef(scope: PyScope, root: JsonSchema, ref: string): string {
  const state = scope[STATE];
  const last = ref.split('/').pop() ?? '';
  const name = freshName(scope, ref === '#' ? 'Root' : decodePointerSegment(last));
  perRoot(state, root).set(ref, name);
  const key = contentKey(root, ref);
  if (key !== undefined) state.byContent.set(key, name);
  state.pending.add(name);
  return name;
}

function perRoot(state: ScopeState, root: JsonSchema): Map<string, string> {
  let map = state.byRef.get(root);
  if (!map) state.byRef.set(root, (map = new Map()));
  return map;
}

/** Names still being rendered: a runtime-evaluated expression naming one must be quoted. */
export function isPending(scope: PyScope, name: string): boolean {
  return scope[STATE].pending.has(name);
}

export function pendingNames(scope: PyScope): ReadonlySet<string> {
  return scope[STATE].pending;
}

export function isTypedDict(scope: PyScope, name: string): boolean {
  return scope[STATE].typedDicts.has(name);
}

/**
 * Declares a TypedDict with `fields` (and TypedDict `bases`, for an intersection): under `name` when
 * given (a reserved ref or a result's own name), else under an earlier class of the same body, else
 * a fresh name from `hint`. Returns the class's name.
 */
export function declareClass(scope: PyScope, fields: readonly PyField[], options: { hint: string; name?: string | undefined; doc?: string | undefined; bases?: readonly string[] }): string {
  const state = scope[STATE];
  const bases = options.bases ?? [];
  const key = JSON.stringify([fields, bases]);
  const known = options.name === undefined ? state.byBody.get(key) : undefined;
  if (known !== undefined) return known;
  const name = options.name ?? freshName(scope, options.hint);
  if (!state.byBody.has(key) && options.doc === undefined) state.byBody.set(key, name);
  state.typedDicts.add(name);
  const text = classText(scope, name, fields, bases); // while still pending: a field naming the class itself is quoted
  state.pending.delete(name);
  const comment = options.doc ? `# ${options.doc}\n` : '';
  state.declarations.push({ name, text: `${comment}${text}` });
  return name;
}

/** Declares `name = type` (a named non-object schema), quoted as a TypeAlias when it names a class still pending. */
export function declareAlias(scope: PyScope, name: string, type: string, doc?: string): void {
  const state = scope[STATE];
  const forward = mentionsPending(scope, type); // itself included: `Json = list[Json] | …` would not run
  state.pending.delete(name);
  const comment = doc ? `# ${doc}\n` : '';
  state.declarations.push({ name, text: `${comment}${forward ? `${name}: TypeAlias = ${JSON.stringify(type)}` : `${name} = ${type}`}` });
}

// Fields on one line up to this many, when none has a doc (`class Entity(TypedDict): name: str; …`).
const INLINE_FIELDS = Infinity;

function classText(scope: PyScope, name: string, fields: readonly PyField[], bases: readonly string[]): string {
  const optional = fields.filter((f) => !f.required).length;
  // total=False with Required[...] on the few required fields, or NotRequired[...] on the few optional ones.
  // Tokens: `, total=False` about 3, `Required[…]` about 3, `NotRequired[…]` about 4.
  const totalFalse = optional > 0 && 3 + 3 * (fields.length - optional) < 4 * optional;
  const wrap = (f: PyField) => (totalFalse === f.required ? `${f.required ? 'Required' : 'NotRequired'}[${f.type}]` : f.type);
  const total = totalFalse ? ', total=False' : '';
  const docs = fields.some((f) => f.doc);
  if (fields.every((f) => isPyIdentifier(f.key) && !f.key.startsWith('__'))) {
    const head = `class ${name}(${bases.length ? bases.join(', ') : 'TypedDict'}${total}):`;
    if (fields.length === 0) return `${head} pass`;
    const members = fields.map((f) => `${f.key}: ${wrap(f)}`);
    if (!docs && fields.length <= INLINE_FIELDS && !members.some((m) => m.includes('\n'))) return `${head} ${members.join('; ')}`;
    return [head, ...members.map((m, i) => `    ${m}${comment(fields[i]?.doc)}`)].join('\n');
  }
  // Keys Python cannot spell as names (`from`, `content-type`; `__x`, which a class body would mangle):
  // the functional form, evaluated at once,
  // so a value naming a class not yet defined is quoted.
  const value = (f: PyField) => {
    const text = wrap(f);
    return mentionsPending(scope, text) ? JSON.stringify(text) : text;
  };
  const entries = fields.map((f) => `${JSON.stringify(f.key)}: ${value(f)}`);
  const open = `${name} = TypedDict(${JSON.stringify(name)}, {`;
  const close = `}${total})`;
  if (!docs) return `${open}${entries.join(', ')}${close}`;
  return [open, ...entries.map((e, i) => `    ${e},${comment(fields[i]?.doc)}`), close].join('\n');
}

function comment(doc: string | undefined): string {
  return doc ? `  # ${doc}` : '';
}

function mentionsPending(scope: PyScope, text: string): boolean {
  for (const name of scope[STATE].pending) if (new RegExp(`(?<![\\w"])${name}(?![\\w"])`).test(text)) return true;
  return false;
}
