// Checks of a transpiled skill's source: that it is exactly one async function expression, so the
// engine, which evaluates each skill's code as it is (RunRequest.library), never runs anything at
// definition time (a body like `}); tools.x(); (async () => {` would run in every run of the
// gateway), checked at save and whenever a stored skill is loaded; and that no string in it holds
// a PII token, which stands for a value of the saving session only. Pure.
import { parse } from 'acorn';

interface Node {
  readonly type: string;
  readonly [key: string]: unknown;
}

export function isSingleAsyncFunction(code: string): boolean {
  const fn = singleFunction(code);
  return fn !== undefined && fn['async'] === true;
}

/**
 * True when the function's body is nothing but a function expression, never called: the code
 * was one function without a block body (`async (args) => args.x`), which the transpiler takes
 * for a body. The skill would return undefined.
 */
export function isLoneFunctionBody(code: string): boolean {
  const body = singleFunction(code)?.['body'] as Node | undefined;
  const statements = body?.type === 'BlockStatement' ? (body['body'] as Node[]) : [];
  const only = statements.length === 1 ? statements[0] : undefined;
  const expression = only?.type === 'ExpressionStatement' ? (only['expression'] as Node) : undefined;
  return expression !== undefined && isFunction(expression);
}

function singleFunction(code: string): Node | undefined {
  let body: Node[];
  try {
    body = (parse(code, { ecmaVersion: 'latest', sourceType: 'script' }) as unknown as { body: Node[] }).body;
  } catch {
    return undefined;
  }
  const statement = body[0];
  if (body.length !== 1 || statement?.type !== 'ExpressionStatement') return undefined;
  const fn = statement['expression'] as Node;
  return isFunction(fn) ? fn : undefined;
}

const isFunction = (node: Node): boolean => node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression';

/** A PII token as privacy/ writes them: `[EMAIL_1]`. */
export const PII_TOKEN = /\[[A-Z][A-Z0-9_]*_\d+\]/;

/** The first PII token in a string or template literal of `code`, if any. */
export function findTokenInStrings(code: string): string | undefined {
  let program: Node;
  try {
    program = parse(code, { ecmaVersion: 'latest', sourceType: 'script' }) as unknown as Node;
  } catch {
    return undefined;
  }
  const stack: Node[] = [program];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const text = node.type === 'Literal' && typeof node['value'] === 'string' ? node['value']
      : node.type === 'TemplateElement' ? (node['value'] as { cooked?: unknown }).cooked : undefined;
    const found = typeof text === 'string' ? PII_TOKEN.exec(text) : null;
    if (found) return found[0];
    for (const child of Object.values(node)) {
      if (Array.isArray(child)) for (const item of child) { if (isNode(item)) stack.push(item); }
      else if (isNode(child)) stack.push(child);
    }
  }
  return undefined;
}

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';
