// Explains a JavaScript program's failure that comes from a name the catalog lacks: QuickJS says
// only `TypeError: not a function` for `crm.find_contcat()` and `ReferenceError: 'crmm' is not
// defined` for an unknown namespace. The reference is found in the transpiled program with acorn
// (comments and strings never count); the wording and the suggestions come from
// catalog/name-suggestions.ts. Pure; imported by execute.ts.
import { parse } from 'acorn';
import { describeUnknownName, describeUnknownOperation, type ApiNames } from '../catalog/index.js';
import type { CodePosition, RunFailure } from '../sandbox/index.js';

/** The failure, reworded: its message names the call and what was probably meant. */
export interface UnknownCall {
  readonly code: 'OPERATION_UNKNOWN';
  readonly message: string;
}

/** acorn's place: 1-based line, 0-based column. */
interface Place {
  readonly line: number;
  readonly column: number;
}

interface Reference {
  readonly object: string;
  /** The property read on it, when static (`a.b`, `a["b"]`). */
  readonly property: string | undefined;
  readonly start: Place;
  readonly end: Place;
}

type AstNode = { readonly type: string; readonly loc?: { readonly start: Place; readonly end: Place } } & Record<string, unknown>;

// QuickJS words (bellard: `not a function`, `cannot read property 'x' of undefined`; quickjs-ng
// names the value: `crm.x is not a function`).
const TYPE_ERROR = /not a function$|^cannot read propert(?:y|ies) .* of undefined|not a constructor$/;
const NOT_DEFINED = /^'?([A-Za-z_$][\w$]*)'? is not defined$/;

/** Names longer than this are the program's own data, not a misspelling: left as they are. */
const MAX_NAME_CHARS = 100;

/**
 * For a guest failure caused by an unknown operation or namespace, the message to show instead
 * (`crm.find_contcat is not a function; did you mean crm.find_contact?`); undefined otherwise.
 * `code` is the program as the engine ran it, `failure.position` a place in it.
 */
export function explainUnknownCall(failure: RunFailure, code: string, api: ApiNames): UnknownCall | undefined {
  if (failure.code !== 'GUEST_THREW' || failure.toolCode !== undefined) return undefined;
  if (failure.name === 'ReferenceError') {
    const name = NOT_DEFINED.exec(failure.message)?.[1];
    if (name === undefined || name.length > MAX_NAME_CHARS || Object.hasOwn(api, name)) return undefined;
    const uses = referencesIn(code).filter((ref) => ref.object === name);
    const member = (nearest(uses, failure.position) ?? uses[0])?.property;
    const message = describeUnknownName(api, name, member);
    return message === undefined ? undefined : { code: 'OPERATION_UNKNOWN', message };
  }
  if (failure.name === 'TypeError' && TYPE_ERROR.test(failure.message)) {
    const unknown = referencesIn(code).filter(
      (ref) => ref.property !== undefined && Object.hasOwn(api, ref.object) && !api[ref.object]?.includes(ref.property),
    );
    // At the failing line; or, for a function passed along first (`const f = crm.x; f()`), the only one.
    const distinct = new Set(unknown.map((ref) => `${ref.object}.${ref.property}`));
    const ref = nearest(unknown, failure.position) ?? (distinct.size === 1 ? unknown[0] : undefined);
    if (!ref?.property) return undefined;
    return { code: 'OPERATION_UNKNOWN', message: describeUnknownOperation(api, ref.object, ref.property) };
  }
  return undefined;
}

/** Every `identifier.name` and `identifier["name"]` in `code` (none when it does not parse). */
function referencesIn(code: string): Reference[] {
  let ast: AstNode;
  try {
    ast = parse(code, { ecmaVersion: 'latest', sourceType: 'script', locations: true }) as unknown as AstNode;
  } catch {
    return [];
  }
  const found: Reference[] = [];
  const visit = (node: AstNode): void => {
    if (node.type === 'MemberExpression') {
      const object = node.object as AstNode;
      const property = node.property as AstNode;
      if (object.type === 'Identifier' && node.loc) {
        const name = node.computed
          ? (property.type === 'Literal' && typeof property.value === 'string' ? property.value : undefined)
          : (property.name as string);
        const member = name !== undefined && name.length <= MAX_NAME_CHARS ? name : undefined;
        found.push({ object: object.name as string, property: member, start: node.loc.start, end: node.loc.end });
      }
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'loc') continue;
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) visit(item);
      } else if (isNode(value)) {
        visit(value);
      }
    }
  };
  try {
    visit(ast);
  } catch {
    return []; // nesting deeper than the host's stack: no explanation, never a failure of ours
  }
  return found;
}

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** The reference on the position's line closest to its column (acorn columns are 0-based). */
function nearest(refs: readonly Reference[], position: CodePosition | undefined): Reference | undefined {
  if (!position) return undefined;
  const column = position.column - 1;
  let best: Reference | undefined;
  let bestGap = Infinity;
  for (const ref of refs) {
    if (ref.start.line > position.line || ref.end.line < position.line) continue;
    const from = ref.start.line === position.line ? ref.start.column : 0;
    const to = ref.end.line === position.line ? ref.end.column : Infinity;
    const gap = column < from ? from - column : column > to ? column - to : 0;
    if (gap < bestGap) {
      best = ref;
      bestGap = gap;
    }
  }
  return best;
}
