// What the catalog does with OpenAPI operations (tags, method, path): search by summary, path and
// tag; the route leading a full signature; huge types shortened to the signature budget.
import { describe, expect, it } from 'vitest';
import { Catalog } from './catalog.js';
import { renderSignature } from './declarations.js';

const bigResult = {
  type: 'object',
  properties: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`field${i}`, {
    type: 'object', description: `Field number ${i}, described at some length to make the docs costly.`,
    properties: { nested: { type: 'object', properties: { deeper: { type: 'object', properties: { deepest: { type: 'string' } } } } } },
  }])),
};

const catalog = Catalog.fromSources([
  { server: 'memory', tools: [{ name: 'read_graph', description: 'Read the whole knowledge graph', inputSchema: { type: 'object' } }] },
  {
    server: 'cf',
    tools: [
      { name: 'zones-get', description: 'List Zones. Lists, searches, sorts, and filters your zones.', inputSchema: { type: 'object', properties: { page: { type: 'number' } } }, tags: ['Zone'], method: 'GET', path: '/zones' },
      { name: 'listZoneRulesets', description: 'List zone rulesets. Fetches all rulesets at the zone level.', inputSchema: { type: 'object' }, tags: ['Zone Rulesets'], method: 'GET', path: '/zones/{zone_id}/rulesets' },
      { name: 'zone-purge', description: 'Purge Cached Content. Removes cached files.', inputSchema: { type: 'object', properties: { zone_id: { type: 'string' } }, required: ['zone_id'] }, outputSchema: bigResult, tags: ['Zone'], method: 'POST', path: '/zones/{zone_id}/purge_cache' },
    ],
  },
]);

describe('catalog: OpenAPI operations', () => {
  it('carries tags, method and path, and MCP tools carry none', () => {
    const purge = catalog.find('cf', 'zone_purge')!;
    expect([purge.tags, purge.method, purge.path]).toEqual([['Zone'], 'POST', '/zones/{zone_id}/purge_cache']);
    expect(catalog.find('memory', 'read_graph')).not.toHaveProperty('tags');
  });

  it('ranks an operation by its summary and its path, and filters by tag', () => {
    expect(catalog.search('cached content')[0]?.operation.name).toBe('zone_purge');
    expect(catalog.search('list zones', { limit: 2 }).map((h) => h.operation.name)).toContain('zones_get');
    expect(catalog.search('purge_cache')[0]?.operation.name).toBe('zone_purge');
    expect(catalog.search('', { tag: 'zone' }).map((h) => h.operation.name)).toEqual(['zone_purge', 'zones_get']);
    expect(catalog.search('zones', { tag: 'nope' })).toEqual([]);
  });

  it('leads a full signature with the route and shortens a huge type to the budget', () => {
    const purge = catalog.find('cf', 'zone_purge')!;
    const full = renderSignature(purge, 'full');
    expect(full.split('\n').slice(0, 3)).toEqual(['/**', ' * POST /zones/{zone_id}/purge_cache', ' * Purge Cached Content. Removes cached files.']);
    expect(full.length).toBeLessThanOrEqual(6_000);
    expect(full).toContain('field59?:');
    expect(full).not.toContain('Field number');
    const roomy = renderSignature(purge, 'full', { maxChars: 100_000 });
    expect(roomy).toContain('/** Field number 0, described');
    expect(roomy).toContain('deepest?: string');
  });
});
