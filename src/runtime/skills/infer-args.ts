// Infers a saved skill's argument schema from how its code uses `args`, when the skill declares
// none: `args.email`, `args['email']`, `const { a, b = 1 } = args` and a destructured parameter
// `async ({ a, b }) => ...` name the fields; only telling usage types them (`args.ids.map(...)` an
// array, `args.name.trim()` a string, a literal default its type). Every field is optional, and a
// dynamic use of `args` (`Object.keys(args)`, `f(args)`) leaves unnamed fields allowed. Pure.
import { parse } from 'acorn';
import type { JsonSchema } from '../../catalog/index.js';

// acorn's ESTree nodes, read loosely: only the fields this walk looks at.
interface Node {
  readonly type: string;
  readonly [key: string]: unknown;
}

type FieldType = 'array' | 'string' | 'number' | 'boolean' | 'object';

const ARRAY_METHODS = new Set(['map', 'filter', 'forEach', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast', 'flatMap', 'flat', 'join', 'sort', 'reverse', 'push']);
const STRING_METHODS = new Set(['toLowerCase', 'toUpperCase', 'trim', 'trimStart', 'trimEnd', 'split', 'startsWith', 'endsWith', 'padStart', 'padEnd', 'replace', 'replaceAll', 'match', 'matchAll', 'charAt', 'charCodeAt', 'normalize', 'localeCompare']);
const NUMBER_METHODS = new Set(['toFixed', 'toPrecision']);
/** Members every JSON type has or that say nothing of the value (`x.length` is a string's or an array's). */
const UNTELLING = new Set(['length', 'toString', 'valueOf', 'slice', 'includes', 'indexOf', 'lastIndexOf', 'at', 'concat']);

export interface InferredArgs {
  readonly schema: JsonSchema;
  /** Fields named by the code, in order of first use. */
  readonly fields: readonly string[];
}

/**
 * `compiled` is a skill as transpile.ts made it: `(async (args) => { ... })`, or for a single
 * function expression `(async (args) => { return await (<fn>)(args); })`.
 */
export function inferArgs(compiled: string): InferredArgs {
  const outer = outerFunction(compiled);
  const fields = new Map<string, FieldType | undefined>();
  let open = false;
  if (outer) {
    const target = innerFunction(outer) ?? { params: outer.params, body: outer.body };
    const param = target.params[0];
    if (param?.type === 'Identifier') open = walkUses(target.body, String(param['name']), fields);
    else if (param?.type === 'ObjectPattern') open = readPattern(param, fields);
    else if (param?.type === 'AssignmentPattern' && (param['left'] as Node).type === 'ObjectPattern') open = readPattern(param['left'] as Node, fields);
    else open = param !== undefined;
  }
  const properties: Record<string, JsonSchema> = {};
  for (const [name, type] of fields) properties[name] = type ? { type } : {};
  return { schema: { type: 'object', properties, ...(open || fields.size === 0 ? {} : { additionalProperties: false }) }, fields: [...fields.keys()] };
}

function outerFunction(code: string): { params: Node[]; body: Node } | undefined {
  let program: Node;
  try {
    program = parse(code, { ecmaVersion: 'latest', sourceType: 'script' }) as unknown as Node;
  } catch {
    return undefined;
  }
  const statement = (program['body'] as Node[])[0];
  const fn = statement?.type === 'ExpressionStatement' ? (statement['expression'] as Node) : undefined;
  if (!fn || (fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression')) return undefined;
  return { params: fn['params'] as Node[], body: fn['body'] as Node };
}

/** The user's own function in the call form `{ return await (<fn>)(args); }`. */
function innerFunction(outer: { params: Node[]; body: Node }): { params: Node[]; body: Node } | undefined {
  const statements = outer.body.type === 'BlockStatement' ? (outer.body['body'] as Node[]) : [];
  const only = statements.length === 1 ? statements[0] : undefined;
  const awaited = only?.type === 'ReturnStatement' ? (only['argument'] as Node | null) : null;
  const call = awaited?.type === 'AwaitExpression' ? (awaited['argument'] as Node) : undefined;
  const callee = call?.type === 'CallExpression' ? (call['callee'] as Node) : undefined;
  if (!callee || (callee.type !== 'ArrowFunctionExpression' && callee.type !== 'FunctionExpression')) return undefined;
  return { params: callee['params'] as Node[], body: callee['body'] as Node };
}

/** Fields of `{ a, b = 1, c: { d } }`; true when a rest element keeps unnamed fields. */
function readPattern(pattern: Node, fields: Map<string, FieldType | undefined>): boolean {
  let open = false;
  for (const prop of pattern['properties'] as Node[]) {
    if (prop.type === 'RestElement') {
      open = true;
      continue;
    }
    const key = prop['key'] as Node;
    const name = prop['computed'] ? literalKey(key) : key.type === 'Identifier' ? String(key['name']) : literalKey(key);
    if (name === undefined) {
      open = true;
      continue;
    }
    note(fields, name, valueType(prop['value'] as Node));
  }
  return open;
}

/** The type a destructuring target tells: a literal default's, or an object for a nested pattern. */
function valueType(value: Node): FieldType | undefined {
  if (value.type === 'ObjectPattern') return 'object';
  if (value.type === 'ArrayPattern') return 'array';
  if (value.type !== 'AssignmentPattern') return undefined;
  const left = valueType(value['left'] as Node);
  if (left) return left;
  const right = value['right'] as Node;
  if (right.type === 'ArrayExpression') return 'array';
  if (right.type === 'ObjectExpression') return 'object';
  if (right.type !== 'Literal') return undefined;
  const v = right['value'];
  return typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : undefined;
}

/**
 * Every use of the identifier `name` under `root`; answers true when one is dynamic (the whole
 * object passed on, a computed key). A nested function whose own parameter is `name` is skipped.
 */
function walkUses(root: Node, name: string, fields: Map<string, FieldType | undefined>): boolean {
  let open = false;
  const visit = (node: Node, parent: Node | undefined, grand: Node | undefined): void => {
    if (node.type === 'Identifier' && node['name'] === name) {
      if (!parent) return;
      if (parent.type === 'MemberExpression' && parent['object'] === node) {
        const field = parent['computed'] ? literalKey(parent['property'] as Node) : String((parent['property'] as Node)['name']);
        if (field === undefined) open = true;
        else note(fields, field, usageType(parent, grand));
        return;
      }
      if (parent.type === 'VariableDeclarator' && parent['init'] === node && (parent['id'] as Node).type === 'ObjectPattern') {
        if (readPattern(parent['id'] as Node, fields)) open = true;
        return;
      }
      // A property key `{ args: 1 }` or a member name `x.args` is not a use.
      if (parent.type === 'Property' && parent['key'] === node && !parent['computed'] && parent['value'] !== node) return;
      if (parent.type === 'MemberExpression' && parent['property'] === node && !parent['computed']) return;
      open = true;
      return;
    }
    if (isFunction(node) && (node['params'] as Node[]).some((p) => p.type === 'Identifier' && p['name'] === name)) return;
    for (const [key, child] of Object.entries(node)) {
      if (key === 'type' || key === 'start' || key === 'end') continue;
      if (Array.isArray(child)) {
        for (const item of child) if (isNode(item)) visit(item, node, parent);
      } else if (isNode(child)) {
        visit(child, node, parent);
      }
    }
  };
  visit(root, undefined, undefined);
  return open;
}

/** What reading `args.x` (member) within `parent` tells of x's type. */
function usageType(member: Node, parent: Node | undefined): FieldType | undefined {
  if (!parent || parent.type !== 'MemberExpression' || parent['object'] !== member || parent['computed']) return undefined;
  const prop = String((parent['property'] as Node)['name']);
  if (ARRAY_METHODS.has(prop)) return 'array';
  if (STRING_METHODS.has(prop)) return 'string';
  if (NUMBER_METHODS.has(prop)) return 'number';
  if (UNTELLING.has(prop)) return undefined;
  return 'object';
}

function note(fields: Map<string, FieldType | undefined>, name: string, type: FieldType | undefined): void {
  const known = fields.get(name);
  // Two uses that disagree say nothing for sure.
  if (!fields.has(name)) fields.set(name, type);
  else if (known !== type) fields.set(name, known === undefined ? type : type === undefined ? known : undefined);
}

function literalKey(node: Node): string | undefined {
  if (node.type === 'Literal' && (typeof node['value'] === 'string' || typeof node['value'] === 'number')) return String(node['value']);
  if (node.type === 'TemplateLiteral' && (node['expressions'] as Node[]).length === 0) {
    const quasi = (node['quasis'] as Node[])[0];
    const cooked = (quasi?.['value'] as { cooked?: unknown } | undefined)?.cooked;
    return typeof cooked === 'string' ? cooked : undefined;
  }
  return undefined;
}

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';
const isFunction = (node: Node): boolean => node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration' || node.type === 'ArrowFunctionExpression';
