import { describe, expect, it } from 'vitest';
import { Catalog, type ToolLike } from './catalog.js';
import { renderBrowse, renderHitLine, renderHits } from './search-answer.js';
import { queryIntent } from './search/intent.js';

const id = { type: 'string', description: 'The gadget identifier' };
const rest = (method: string, path: string, name: string, description: string, properties: Record<string, unknown> = {}, tags = ['Gadgets']): ToolLike => ({
  name, description, method, path, tags,
  inputSchema: { type: 'object', properties, required: Object.keys(properties).filter((k) => k.endsWith('_id')) },
});

// One resource, five verbs: the shape that makes large REST APIs hard (the noun never decides).
const gadgets = Catalog.fromSources([{
  server: 'shop',
  tools: [
    rest('GET', '/gadgets', 'gadgets-list', 'List gadgets. Returns the gadgets of the account, newest first.', { page: { type: 'integer' } }),
    rest('POST', '/gadgets', 'gadgets-create', 'Create gadget. Creates a gadget from a name and a colour.', { body: { type: 'object' } }),
    rest('GET', '/gadgets/{gadget_id}', 'gadgets-get', 'Gadget details. One gadget with its parts.', { gadget_id: id }),
    rest('PATCH', '/gadgets/{gadget_id}', 'gadgets-update', 'Update gadget. Changes the name, colour or enabled flag of a gadget.', { gadget_id: id, body: { type: 'object' } }),
    rest('DELETE', '/gadgets/{gadget_id}', 'gadgets-delete', 'Delete gadget.', { gadget_id: id }),
    rest('POST', '/gadgets/{gadget_id}/terminate', 'gadgets-terminate', 'Terminate a gadget. Stops a running gadget at once.', { gadget_id: id }),
    rest('GET', '/portals', 'portals-list', 'List portals. Portals for the status page.', {}, ['Portals']),
    rest('POST', '/users', 'users-register', 'Register a user. Creates a user registration and sends a welcome mail.', { body: { type: 'object' } }, ['Users']),
  ],
}]);

const top = (query: string | string[]) => gadgets.search(query)[0]?.operation.name;

describe('search ranking', () => {
  it('lets the verb decide between operations on one resource', () => {
    expect(top('add a gadget')).toBe('gadgets_create');
    expect(top('what gadgets do I have')).toBe('gadgets_list');
    expect(top('drop a gadget')).toBe('gadgets_delete');
    expect(top('show me the details of one gadget')).toBe('gadgets_get');
    expect(top('rename a gadget')).toBe('gadgets_update');
  });

  it('finds a word the API does not use through general API synonyms', () => {
    expect(top('kill a gadget')).toBe('gadgets_terminate');
    expect(top('signup for a new user')).toBe('users_register');
  });

  it('does not let prefix or fuzzy matching turn a short word into another (port is not portal)', () => {
    expect(gadgets.search('port').map((h) => h.operation.name)).not.toContain('portals_list');
  });

  it('fuses several phrasings by rank', () => {
    const fused = gadgets.search(['stop it now', 'terminate gadget']).map((h) => h.operation.name);
    expect(fused[0]).toBe('gadgets_terminate');
    expect(gadgets.search(['', ' '])).toEqual(gadgets.search(''));
  });

  it('reads the request verb, and plurals or "what … have" as a listing', () => {
    expect(queryIntent('drop the gadget').action).toBe('delete');
    expect(queryIntent('gadgets').action).toBe('list');
    expect(queryIntent('show my zones').action).toBe('list');
    expect(queryIntent('show the zone status').action).toBe('get');
    expect(queryIntent('which buckets exist').action).toBe('list');
  });

  it('is deterministic', () => {
    expect(gadgets.search('gadget')).toEqual(gadgets.search('gadget'));
  });
});

describe('search answers', () => {
  const ops = gadgets.search('change a gadget').map((h) => h.operation);

  it('leads with one documented signature, then one line per other hit', () => {
    const text = renderHits(ops);
    const [lead, also] = text.split('\n\nAlso:\n');
    expect(lead).toContain('PATCH /gadgets/{gadget_id}');
    expect(lead).toContain('shop.gadgets_update(args: {');
    expect(also!.split('\n')).toHaveLength(ops.length - 1);
    expect(also).not.toContain('Promise<');
  });

  it('writes a hit line with required arguments typed and optional ones named', () => {
    const line = renderHitLine(gadgets.find('shop', 'gadgets_update')!);
    expect(line).toBe('shop.gadgets_update({ gadget_id: string, body? }) // Update gadget');
  });

  it('names only, or documents every hit, on request', () => {
    expect(renderHits(ops, 'name').split('\n')).toEqual(ops.map((op) => op.callName));
    expect(renderHits(ops, 'full').match(/Promise</g)).toHaveLength(ops.length);
  });

  it('browses a server by its tags', () => {
    expect(renderBrowse(gadgets.operations, 'shop')).toContain('Gadgets (6), Portals (1), Users (1)');
    expect(renderBrowse(gadgets.operations)).toContain('shop (8)');
  });
});
