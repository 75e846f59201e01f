import { describe, expect, it } from 'vitest';
import { countTokens } from '../common/index.js';
import { DESCRIPTION_TARGET_TOKENS, lintDescription } from './description-lint.js';

const schema = (properties: Record<string, object>) => ({ type: 'object', properties });

describe('lintDescription', () => {
  it('finds all six components in a complete description and no smell', () => {
    const lint = lintDescription({
      name: 'search_issues',
      description: 'Finds issues in a GitHub repository by text. Use this when you need issues matching words; '
        + 'prefer get_issue when you know the number. Returns at most 100 issues, newest first, each with number, title and state. '
        + 'Example: `{ repo: "octo/hello", query: "crash" }`.',
      inputSchema: schema({ repo: { type: 'string', description: 'owner/name' }, query: { type: 'string' } }),
    });
    expect(lint.components).toEqual({ purpose: true, usage: true, limitations: true, parameters: true, examples: true, returns: true });
    expect(lint.smells).toEqual([]);
    expect(lint.excessTokens).toBe(0);
  });

  it('flags a description that merely repeats the name', () => {
    const lint = lintDescription({ name: 'get_sum', description: 'Gets the sum.', inputSchema: schema({}) });
    expect(lint.smells).toContain('name-repeated');
    expect(lint.smells).toContain('purpose-unclear');
    expect(lint.components.purpose).toBe(false);
  });

  it('flags an empty description as purpose unclear and usage missing', () => {
    const lint = lintDescription({ name: 'x', inputSchema: schema({}) });
    expect(lint.tokens).toBe(0);
    expect(lint.smells).toEqual(['purpose-unclear', 'usage-missing']);
  });

  it('names parameters with neither a schema description nor a mention in the text', () => {
    const lint = lintDescription({
      name: 'add',
      description: 'Adds two numbers a and b together and returns their total.',
      inputSchema: schema({ a: { type: 'number' }, b: { type: 'number' }, rounding_mode: { type: 'string' }, scale: { type: 'number', description: 'digits' } }),
    });
    expect(lint.unexplainedParameters).toEqual(['rounding_mode']);
    expect(lint.smells).toContain('parameters-unexplained');
    expect(lint.components.parameters).toBe(false);
    expect(lint.components.returns).toBe(true);
  });

  it('does not count a one-letter parameter as mentioned inside other words', () => {
    const lint = lintDescription({ name: 'f', description: 'Computes a value and gives it back.', inputSchema: schema({ x: { type: 'number' } }) });
    expect(lint.unexplainedParameters).toEqual(['x']);
  });

  it('counts an output schema as the return value component', () => {
    const lint = lintDescription({ name: 'f', description: 'Computes the area of a circle.', inputSchema: schema({}), outputSchema: { type: 'object' } });
    expect(lint.components.returns).toBe(true);
  });

  it('estimates the tokens a compact rewrite would save as the tokens above the target', () => {
    const description = `Reads a file from disk. ${'It is very careful about encodings and line endings and many other things. '.repeat(20)}`;
    const lint = lintDescription({ name: 'read_file', description, inputSchema: schema({}) });
    const tokens = countTokens(description.trim());
    expect(lint.tokens).toBe(tokens);
    expect(lint.smells).toContain('over-long');
    expect(lint.excessTokens).toBe(tokens - DESCRIPTION_TARGET_TOKENS);
  });

  it('adds the excess of long parameter descriptions', () => {
    const long = 'word '.repeat(100).trim();
    const lint = lintDescription({ name: 'f', description: 'Computes something useful for the caller.', inputSchema: schema({ p: { type: 'string', description: long } }) });
    expect(lint.excessTokens).toBe(countTokens(long) - 40);
    expect(lint.smells).not.toContain('over-long');
  });
});
