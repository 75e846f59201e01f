import { describe, expect, it } from 'vitest';
import { countTokens } from '../common/index.js';
import { condenseDoc, DEFAULT_DOC_LINE_TOKENS } from './doc-line.js';

describe('condenseDoc', () => {
  it('keeps a short description whole, without its closing period', () => {
    expect(condenseDoc('Create a new issue in a GitHub repository.')).toBe('Create a new issue in a GitHub repository');
    expect(condenseDoc('Returns the sum of two numbers')).toBe('Returns the sum of two numbers');
    expect(condenseDoc('')).toBe('');
  });

  it('takes the first sentence of the first paragraph', () => {
    expect(condenseDoc('Reads a file. Handles encodings too.\n\nMore text.')).toBe('Reads a file');
    expect(condenseDoc('Uses e.g. globs to match files. Other text.')).toBe('Uses e.g. globs to match files');
    expect(condenseDoc('\n      Read output from a process.\n      \n      Supports offsets.')).toBe('Read output from a process');
  });

  it('joins a sentence wrapped over lines and stops at a list or a section label', () => {
    expect(condenseDoc('Retrieve metadata about a file\nor directory including:\n- size\n- owner')).toBe('Retrieve metadata about a file or directory including');
    expect(condenseDoc('Notion | Retrieve a page\nError Responses:\n400: Bad request')).toBe('Retrieve a page');
  });

  it('removes markdown: emphasis, code, links, headings, code blocks', () => {
    expect(condenseDoc('## Search\n**Find** `issues` by [label](https://x.test/l) in _one_ repo')).toBe('Find issues by label in one repo');
    expect(condenseDoc('## Search issues')).toBe('Search issues');
    expect(condenseDoc('**Find** `issues` by [label](https://x.test/l) in _one_ repo')).toBe('Find issues by label in one repo');
    expect(condenseDoc('```json\n{"a": 1}\n```\nRuns a query')).toBe('Runs a query');
    expect(condenseDoc('Keeps snake_case and 2*3*4')).toBe('Keeps snake_case and 2*3*4');
  });

  it('skips warnings to the agent and drops "this tool" lead-ins and product labels', () => {
    const text = '⚠️ **MANDATORY:** pass outputDir.\n1. Use the project root.\n2. Else Downloads.\n\nDownloads usage data for an org.';
    expect(condenseDoc(text)).toBe('Downloads usage data for an org');
    expect(condenseDoc('This tool retrieves flaky tests in a project.')).toBe('Retrieves flaky tests in a project');
    expect(condenseDoc('This tool is used to rerun a workflow.')).toBe('Rerun a workflow');
    expect(condenseDoc('This tool helps analyze config files.')).toBe('Analyze config files');
    expect(condenseDoc('IMPORTANT: read this first.')).toBe('IMPORTANT: read this first');
  });

  it('fits a long sentence in the token cap, cutting at a clause where it can', () => {
    const clause = 'Generate a bar chart to compare numbers across categories, such as comparing the sales of each region over the last twelve months';
    expect(condenseDoc(clause)).toBe('Generate a bar chart to compare numbers across categories');
    const list = 'Simulates a research job that gathers, analyzes, and synthesizes information from many sources for a report';
    expect(condenseDoc(list, 8)).not.toMatch(/gathers$/);
    const words = 'word '.repeat(60);
    const cut = condenseDoc(words, 10);
    expect(cut.endsWith('…')).toBe(true);
    expect(countTokens(cut)).toBeLessThanOrEqual(10);
  });

  it('never exceeds the cap, and never returns a line break or a comment terminator', () => {
    const samples = [
      'Ends */ early. Then more.',
      `${'x'.repeat(400)} tail`,
      'Search web, news, or image sources and return ranked results with highlights, scores, dates and source domains for each result',
    ];
    for (const text of samples) {
      const line = condenseDoc(text);
      expect(countTokens(line)).toBeLessThanOrEqual(DEFAULT_DOC_LINE_TOKENS + 2); // `*\/` escapes may add a token
      expect(line).not.toMatch(/\n|\*\//);
    }
    expect(condenseDoc('Ends */ early.')).toBe('Ends *\\/ early');
  });

  it('reads only the head of a hostile description: runs of brackets, stars or links stay cheap', () => {
    // Each of these took seconds to minutes with unbounded regexes or BPE over the whole text.
    const hostile = ['['.repeat(300_000), '*'.repeat(300_000), '[a]('.repeat(75_000), '**a'.repeat(100_000)];
    for (const text of hostile) {
      const line = condenseDoc(text);
      expect(line.length).toBeLessThanOrEqual(DEFAULT_DOC_LINE_TOKENS * 16 + 1);
    }
    expect(condenseDoc(`${'*'.repeat(50)} Stars`)).toMatch(/^\**\s*Stars$/);
  });
});
