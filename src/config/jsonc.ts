// Reads a config's text as VS Code does: JSON with comments and trailing commas (JSONC). Syntax
// errors come back with line and column. Object keys become own properties (a `__proto__` key
// stays a key, as with JSON.parse, so load.ts can refuse it). Imported by config/load.ts only.
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { ConfigError } from '../common/index.js';

export function parseJsonc(text: string, file: string): unknown {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  const first = errors[0];
  if (first || !root) {
    const { line, column } = first ? positionOf(text, first.offset) : { line: 1, column: 1 };
    const what = first ? describeParseError(printParseErrorCode(first.error)) : 'the file is empty';
    throw new ConfigError('CONFIG_INVALID', `${file}: not valid JSON at line ${line}, column ${column}: ${what}`, { file, line, column });
  }
  return valueOf(root);
}

function valueOf(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (!key || !value) continue;
        Object.defineProperty(out, String(key.value), { value: valueOf(value), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(valueOf);
    default:
      return node.value;
  }
}

function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

const PARSE_ERRORS: Readonly<Record<string, string>> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":" after the property name',
  CommaExpected: 'expected "," between entries',
  CloseBraceExpected: 'expected "}" (an object is not closed)',
  CloseBracketExpected: 'expected "]" (an array is not closed)',
  EndOfFileExpected: 'unexpected text after the end of the document',
  InvalidCommentToken: 'malformed comment',
  UnexpectedEndOfComment: 'a /* comment is not closed',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number ends too early',
  InvalidUnicode: 'malformed \\u escape',
  InvalidEscapeCharacter: 'invalid escape character in a string',
  InvalidCharacter: 'invalid character in a string (control characters must be escaped)',
};

function describeParseError(code: string): string {
  return PARSE_ERRORS[code] ?? code;
}
