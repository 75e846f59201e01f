// OAuth 2.0 Protected Resource Metadata (RFC 9728) for this gateway's /mcp, served at
// /.well-known/oauth-protected-resource and its path-suffixed form, and the WWW-Authenticate
// challenges (RFC 6750) that point clients to it: 401 for a missing or bad token, 403 for a
// missing scope. The MCP authorization spec (2025-06-18) asks for both.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpRoute } from '../http.js';

const WELL_KNOWN = '/.well-known/oauth-protected-resource';

export interface ResourceDescription {
  /** The canonical URL of /mcp as clients reach it (the token audience, RFC 8707). */
  readonly resource: string;
  readonly authorizationServers: readonly string[];
  readonly scopesSupported: readonly string[];
}

export function resourceMetadata(description: ResourceDescription): Record<string, unknown> {
  return {
    resource: description.resource,
    authorization_servers: [...description.authorizationServers],
    scopes_supported: [...description.scopesSupported],
    bearer_methods_supported: ['header'],
    resource_name: 'cemcp',
  };
}

/** Where the metadata of `resource` lives (RFC 9728 §3.1): the well-known path inserted before the resource's path. */
export function resourceMetadataUrl(resource: string): string {
  const url = new URL(resource);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.origin}${WELL_KNOWN}${path}`;
}

/**
 * The routes serving the metadata: the bare well-known path, `/mcp` suffixed (what a client
 * derives from the URL it was given), and the public resource's own path when a proxy maps it elsewhere.
 */
export function resourceMetadataRoutes(description: ResourceDescription): Map<string, HttpRoute> {
  const body = JSON.stringify(resourceMetadata(description));
  const route: HttpRoute = (req, res) => serveJson(req, res, body);
  const resourcePath = new URL(description.resource).pathname.replace(/\/$/, '');
  const paths = new Set([WELL_KNOWN, `${WELL_KNOWN}/mcp`, `${WELL_KNOWN}${resourcePath}`]);
  return new Map([...paths].map((path) => [path, route]));
}

function serveJson(req: IncomingMessage, res: ServerResponse, body: string): void {
  req.resume();
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET', 'access-control-max-age': '86400' });
    res.end();
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'method_not_allowed' }));
    return;
  }
  // Public by design (RFC 9728): any origin may read it, caches may keep it a while.
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

export interface Challenge {
  /** RFC 6750 error; absent when no credentials were sent at all. */
  readonly error?: 'invalid_token' | 'insufficient_scope';
  readonly description?: string;
  /** The scopes the request needs (insufficient_scope). */
  readonly scope?: readonly string[];
}

/** A `WWW-Authenticate: Bearer ...` value; `metadataUrl` absent (API keys only) names the realm instead. */
export function bearerChallenge(challenge: Challenge, metadataUrl: string | undefined): string {
  const params: string[] = [];
  if (metadataUrl) params.push(`resource_metadata="${quote(metadataUrl)}"`);
  else params.push('realm="cemcp"');
  if (challenge.error) params.push(`error="${challenge.error}"`);
  if (challenge.description) params.push(`error_description="${quote(challenge.description)}"`);
  if (challenge.scope?.length) params.push(`scope="${quote(challenge.scope.join(' '))}"`);
  return `Bearer ${params.join(', ')}`;
}

/** RFC 6750 §3: error_description is %x20-21 / %x23-5B / %x5D-7E: no quote, no backslash, ASCII only. */
function quote(value: string): string {
  return value.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, "'");
}
