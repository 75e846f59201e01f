// DNS-rebinding guards of the MCP endpoint (http.ts): the Host header must name this gateway
// (loopback, its bound address, or a name given with --allowed-host) and a browser's Origin must be
// a loopback page on this port or one given with --allowed-origin.

const LOOPBACK_HOSTNAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** What the checks read of the serve options (http.ts HttpServeOptions). */
export interface HostCheckOptions {
  readonly host: string;
  readonly allowedHosts?: readonly string[] | undefined;
  readonly allowedOrigins?: readonly string[] | undefined;
}

export function isAllowedHost(host: string | undefined, port: number, options: HostCheckOptions): boolean {
  if (!host) return false;
  const value = host.toLowerCase();
  const allowed = new Set([...LOOPBACK_HOSTNAMES.flatMap((h) => [h, `${h}:${port}`])]);
  if (!['127.0.0.1', 'localhost', '::1'].includes(options.host)) allowed.add(`${options.host}:${port}`);
  if (allowed.has(value)) return true;
  const name = value.replace(/:\d+$/, '');
  return (options.allowedHosts ?? []).some((entry) => {
    const wanted = entry.toLowerCase();
    return wanted === value || (!/:\d+$/.test(wanted) && wanted === name);
  });
}

export function isAllowedOrigin(origin: string | undefined, port: number, options: HostCheckOptions): boolean {
  if (origin === undefined) return true; // Non-browser clients send no Origin.
  if (options.allowedOrigins?.includes(origin)) return true;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTNAMES.includes(url.hostname) && (url.port === '' || Number(url.port) === port);
  } catch {
    return false;
  }
}
