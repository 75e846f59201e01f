// Is a wrapped program plain JavaScript that TypeScript reads the same way? Then it can run as
// written, without esbuild (~1 ms a run). Conservative: anything TypeScript could read otherwise
// (`f<T>(x)`, `a ? (b) : c => d`), newer than ES2022, or not exactly the wrapper, answers false.
import { parse, type Token } from 'acorn';

/** Tokens that may stand between the `<` and `>` of TypeScript type arguments in code that is also valid JavaScript. */
const TYPE_LIKE_LABELS = new Set([
  'name', 'string', 'num', 'template', '`', '${', '.', '?.', ',', '[', ']', '{', '}', '(', ')', ':', '?', '|', '&', '=>', '...', '+/-',
  'typeof', 'void', 'null', 'true', 'false', 'this', 'new', 'extends', 'in', 'import',
]);

/** JavaScript line terminators other than `\n`: the engine and the source map could count lines differently. */
const OTHER_LINE_BREAKS = /[\r\u2028\u2029]/;

/**
 * True when `wrapped` (an async arrow function expression in parentheses, holding the program)
 * parses as ES2022 JavaScript into exactly that one expression, and holds nothing that TypeScript
 * would parse differently.
 */
export function isPlainJavaScript(wrapped: string): boolean {
  if (OTHER_LINE_BREAKS.test(wrapped)) return false;
  const tokens: Token[] = [];
  let body;
  try {
    body = parse(wrapped, { ecmaVersion: 2022, sourceType: 'script', onToken: tokens }).body;
  } catch {
    return false; // esbuild decides: TypeScript, or a syntax error it reports
  }
  const statement = body[0];
  if (body.length !== 1 || statement?.type !== 'ExpressionStatement') return false;
  const fn = statement.expression;
  if (fn.type !== 'ArrowFunctionExpression' || !fn.async || fn.start !== 1 || fn.end !== wrapped.length - 1) return false;
  return !readsDifferentlyAsTypeScript(tokens);
}

function readsDifferentlyAsTypeScript(tokens: readonly Token[]): boolean {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    // `a ? (b) : c => d`: TypeScript may read `(b): c => d` as an arrow function with a return type.
    if (token.type.label === ')' && tokens[i + 1]?.type.label === ':') return true;
    if (isOpening(token) && closesAsTypeArguments(tokens, i + 1)) return true;
  }
  return false;
}

/** `f < A > (x)` is two comparisons in JavaScript and a generic call in TypeScript (`>>`, `>=` may close nested ones). */
function closesAsTypeArguments(tokens: readonly Token[], from: number): boolean {
  for (let i = from; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (isClosing(token)) return true;
    if (isOpening(token)) continue;
    if (!TYPE_LIKE_LABELS.has(token.type.label)) return false;
  }
  return false;
}

/** acorn's labels of the operator tokens that may open or close type arguments. */
const RELATIONAL = '</>/<=/>=';
const SHIFT = '<</>>/>>>';
const ASSIGN = '_=';

/** acorn sets `value` on every token; its typings leave it out. */
const valueOf = (token: Token): unknown => (token as Token & { readonly value?: unknown }).value;

const isOpening = (token: Token): boolean => token.type.label === RELATIONAL && valueOf(token) === '<';
const isClosing = (token: Token): boolean => {
  const { label } = token.type;
  const value = valueOf(token);
  return (label === RELATIONAL || label === SHIFT || label === ASSIGN) && typeof value === 'string' && value.startsWith('>');
};
