import { describe, expect, it } from 'vitest';
import { Catalog, buildOperations, reservedNameNotes } from './catalog.js';
import { splitWords } from './search-index.js';

const schema = { type: 'object', properties: {} };

const catalog = Catalog.fromSources([
  {
    server: 'everything',
    tools: [
      { name: 'get-sum', description: 'Returns the sum of two numbers', inputSchema: { type: 'object', properties: { a: { type: 'number', description: 'First number' }, b: { type: 'number' } } } },
      { name: 'echo', description: 'Echoes back the input', inputSchema: schema },
    ],
  },
  {
    server: 'github-issues',
    tools: [
      { name: 'list_issues', description: 'List issues of a repository', inputSchema: { type: 'object', properties: { repo: { type: 'string', description: 'owner/name' } } } },
      { name: 'createIssue', description: 'Open a new issue', inputSchema: schema },
      { name: 'search_code', description: 'Search code across repositories', inputSchema: schema },
    ],
  },
]);

describe('buildOperations', () => {
  it('names each operation as code calls it', () => {
    expect(catalog.operations.map((op) => op.callName)).toEqual([
      'everything.get_sum', 'everything.echo', 'github_issues.list_issues', 'github_issues.createIssue', 'github_issues.search_code',
    ]);
    expect(catalog.find('everything', 'get_sum')?.toolName).toBe('get-sum');
  });

  it('resolves names that collide after sanitizing with a suffix', () => {
    const ops = buildOperations([{ server: 's', tools: [{ name: 'a-b', inputSchema: schema }, { name: 'a_b', inputSchema: schema }] }]);
    expect(ops.map((o) => o.name)).toEqual(['a_b', 'a_b_2']);
  });

  it('never names a namespace or function after an Object.prototype key', () => {
    const ops = buildOperations([{ server: '__proto__', tools: [{ name: 'constructor', inputSchema: schema }, { name: '__proto__', inputSchema: schema }] }]);
    expect(ops.map((o) => o.callName)).toEqual(['__proto___.constructor_', '__proto___.__proto___']);
  });

  it('never lets a namespace shadow a sandbox global', () => {
    const ops = buildOperations([{ server: 'JSON', tools: [{ name: 'parse', inputSchema: schema }] }, { server: 'console', tools: [{ name: 'log', inputSchema: schema }] }]);
    expect(ops.map((o) => o.callName)).toEqual(['JSON_.parse', 'console_.log']);
    const proto = Catalog.fromSources([{ server: 'toString', tools: [{ name: 'valueOf', inputSchema: schema }] }]);
    expect(proto.operations.map((o) => o.callName)).toEqual(['toString_.valueOf']);
    expect(proto.api()).toEqual({ toString_: ['valueOf'] });
  });

  it('gives an upstream named like an active host namespace `_`, and keeps its name when that namespace is off', () => {
    const sources = [{ server: 'fetch', tools: [{ name: 'fetch', inputSchema: schema }] }];
    expect(Catalog.fromSources(sources).operations.map((o) => o.callName)).toEqual(['fetch.fetch']);
    expect(Catalog.fromSources(sources, ['fetch']).operations.map((o) => o.callName)).toEqual(['fetch_.fetch']);
  });

  it('keeps state, skills and handles for the gateway, and names the renamed keys at load time', () => {
    const sources = ['state', 'skills', 'handles', 'states'].map((server) => ({ server, tools: [{ name: 'get', inputSchema: schema }] }));
    expect(Catalog.fromSources(sources).operations.map((o) => o.callName)).toEqual(['state_.get', 'skills_.get', 'handles_.get', 'states.get']);
    const notes = reservedNameNotes(['state', 'states', 'fetch'], ['fetch']);
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatch(/^upstream "state": `state` is a name cemcp provides .* programs reach this upstream as `state_`\. Rename the config key/);
    expect(notes[1]).toMatch(/^upstream "fetch": .*`fetch_`/);
    expect(reservedNameNotes(['fetch'])).toEqual([]);
  });

  it('groups the api by namespace', () => {
    expect(catalog.api()).toEqual({ everything: ['get_sum', 'echo'], github_issues: ['list_issues', 'createIssue', 'search_code'] });
  });
});

describe('search', () => {
  it('splits snake, camel and kebab case', () => {
    expect(splitWords('getUserByID list_issues get-sum /zones/{zone_id}')).toEqual(['get', 'user', 'by', 'id', 'list', 'issues', 'get', 'sum', 'zones', 'zone', 'id']);
  });

  it('ranks the operation whose words match first', () => {
    expect(catalog.search('sum of two numbers')[0]?.operation.callName).toBe('everything.get_sum');
    expect(catalog.search('create issue')[0]?.operation.callName).toBe('github_issues.createIssue');
    expect(catalog.search('issues of a repo')[0]?.operation.callName).toBe('github_issues.list_issues');
  });

  it('matches parameter names, but not parameter docs (they repeat nouns of other operations)', () => {
    expect(catalog.search('repo')[0]?.operation.callName).toBe('github_issues.list_issues');
    expect(catalog.search('owner').map((h) => h.operation.callName)).not.toContain('github_issues.list_issues');
  });

  it('filters by server, by config key or namespace', () => {
    const byKey = catalog.search('search', { server: 'github-issues' }).map((h) => h.operation.server);
    const byNamespace = catalog.search('search', { server: 'github_issues' }).map((h) => h.operation.server);
    expect(new Set([...byKey, ...byNamespace])).toEqual(new Set(['github-issues']));
  });

  it('is stable: equal scores fall back to the call name', () => {
    const first = catalog.search('', { limit: 10 }).map((h) => h.operation.callName);
    expect(first).toEqual([...first].sort());
    expect(catalog.search('issue')).toEqual(catalog.search('issue'));
  });

  it('honours the limit', () => {
    expect(catalog.search('', { limit: 2 })).toHaveLength(2);
  });
});
