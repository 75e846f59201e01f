// Checks that a transpiled skill is exactly one async function expression, so that the engine,
// which evaluates each skill's code as it is (RunRequest.library), never runs anything at
// definition time: a body like `}); tools.x(); (async () => {` would otherwise run in every run
// of the gateway. Checked at save and again whenever a stored skill is loaded. Pure.
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
