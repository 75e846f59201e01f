#!/usr/bin/env node
// A stand-in MCP server for one server of eval/catalogs/mcp-popular.json.gz (argv[2] = its name):
// lists that server's recorded tools unchanged and answers every call with a sample value, so
// the type-check evaluation can run catalog programs through the real gateway. Evaluation only.
// Answer: eval/typecheck/catalog-samples.json["server.tool"] when present, else the smallest
// value the tool's outputSchema allows (or {}); structuredContent too when an outputSchema exists.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const name = process.argv[2];
const catalog = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(HERE, '../catalogs/mcp-popular.json.gz'))).toString('utf8'));
const entry = catalog.servers.find((s) => s.name === name);
if (!entry) {
  process.stderr.write(`catalog-server: no server "${name}" in mcp-popular.json.gz\n`);
  process.exit(2);
}
const samples = JSON.parse(fs.readFileSync(path.join(HERE, 'catalog-samples.json'), 'utf8'));

/** The smallest value a JSON Schema allows: required properties only, empty arrays, first enum member. */
export function minimalValue(schema, depth = 0) {
  if (!schema || typeof schema !== 'object' || depth > 12) return null;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if ('default' in schema) return schema.default;
  const alt = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alt) && alt.length) return minimalValue(alt[0], depth + 1);
  if (Array.isArray(schema.allOf)) return Object.assign({}, ...schema.allOf.map((s) => minimalValue(s, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') ?? 'null' : schema.type;
  switch (type) {
    case 'string': return '';
    case 'number': case 'integer': return schema.minimum ?? 0;
    case 'boolean': return false;
    case 'array': return [];
    case 'null': return null;
    default: {
      const out = {};
      for (const key of schema.required ?? []) out[key] = minimalValue(schema.properties?.[key], depth + 1);
      return out;
    }
  }
}

const server = new Server({ name: `catalog-${name}`, version: entry.version ?? '0.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: entry.tools }));
server.setRequestHandler(CallToolRequestSchema, (request) => {
  const tool = entry.tools.find((t) => t.name === request.params.name);
  if (!tool) return { content: [{ type: 'text', text: `unknown tool ${request.params.name}` }], isError: true };
  const key = `${name}.${tool.name}`;
  const value = key in samples ? samples[key] : tool.outputSchema ? minimalValue(tool.outputSchema) : {};
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return { content: [{ type: 'text', text }], ...(tool.outputSchema ? { structuredContent: value } : {}) };
});
await server.connect(new StdioServerTransport());
