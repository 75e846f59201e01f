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
  let body: Node[];
  try {
    body = (parse(code, { ecmaVersion: 'latest', sourceType: 'script' }) as unknown as { body: Node[] }).body;
  } catch {
    return false;
  }
  const statement = body[0];
  if (body.length !== 1 || statement?.type !== 'ExpressionStatement') return false;
  const fn = statement['expression'] as Node;
  return (fn.type === 'ArrowFunctionExpression' || fn.type === 'FunctionExpression') && fn['async'] === true;
}
