// `serve --http` authentication: builds the authenticator and metadata routes from
// `cemcp.auth`, and refuses to bind beyond loopback without it unless --insecure-no-auth says
// so. Returns what HttpServeOptions takes (authenticate, routes). Called from serve-command.ts.
import { UsageError, type Logger } from '../common/index.js';
import type { Environment, LoadedConfig } from '../config/index.js';
import type { HttpServeOptions } from '../server/index.js';

export interface AuthWiringInput {
  readonly config: LoadedConfig;
  readonly env: Environment;
  readonly host: string;
  readonly insecureNoAuth: boolean;
  readonly logger: Logger;
}

export type AuthWiring = Pick<HttpServeOptions, 'authenticate' | 'routes'>;

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Checked before any upstream starts: a refusal is a usage error naming the fix. */
export function checkAuthFlags(config: LoadedConfig, host: string, insecureNoAuth: boolean): void {
  if (insecureNoAuth && config.cemcp.auth) {
    throw new UsageError('USAGE', `serve: --insecure-no-auth contradicts cemcp.auth in ${config.file}; drop the flag (requests are then authenticated) or the cemcp.auth block`);
  }
  if (!config.cemcp.auth && !insecureNoAuth && !isLoopbackHost(host)) {
    throw new UsageError('USAGE', [
      `serve: --host ${host} is reachable beyond this machine and ${config.file} has no cemcp.auth: anyone reaching the port could run programs with every upstream credential.`,
      'Configure cemcp.auth (OAuth authorization servers and/or apiKeys; see docs/deploy.md "Authentication"),',
      'or bind 127.0.0.1 behind an authenticating proxy, or pass --insecure-no-auth if the network itself is trusted.',
    ].join('\n'));
  }
}

export async function wireAuth({ config, env, host, insecureNoAuth, logger }: AuthWiringInput): Promise<AuthWiring> {
  checkAuthFlags(config, host, insecureNoAuth);
  const auth = config.cemcp.auth;
  if (!auth) return {};
  const { createAuthenticator } = await import('../server/index.js');
  const authenticator = createAuthenticator(auth, { env, file: config.file, logger });
  const kinds = [
    auth.authorizationServers.length ? `OAuth access tokens from ${auth.authorizationServers.join(', ')} for ${auth.resource ?? ''}` : '',
    auth.introspection ? 'introspected tokens' : '',
    auth.apiKeys.length ? `${auth.apiKeys.length} API key${auth.apiKeys.length === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  logger.log('info', `http: requests to /mcp need Authorization: Bearer (${kinds.join('; ')})${auth.requiredScopes.length ? `, scopes ${auth.requiredScopes.join(' ')}` : ''}`);
  return { authenticate: authenticator.authenticate, routes: authenticator.routes };
}
