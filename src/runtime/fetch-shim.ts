// Guest-side source of the sandbox's `fetch`, run as RunRequest.setup when fetch is enabled: a
// small WHATWG-shaped wrapper over the reserved namespace whose calls the host's egress policy
// answers. Only JSON crosses; the response body arrives as text. Imported by runtime/execute.ts.

/** The reserved namespace the shim calls; the catalog never gives it to an upstream. */
export const FETCH_NAMESPACE = '__cemcp_fetch';
export const FETCH_FUNCTION = 'request';

export const FETCH_SHIM = String.raw`(() => {
  'use strict';
  const request = ${FETCH_NAMESPACE}.${FETCH_FUNCTION};
  const O = Object;
  const toRecord = (headers) => {
    const out = {};
    if (!headers) return out;
    if (Array.isArray(headers)) { for (const [k, v] of headers) out[String(k)] = String(v); return out; }
    if (typeof headers.forEach === 'function' && O.getPrototypeOf(headers) !== O.prototype) { headers.forEach((v, k) => { out[String(k)] = String(v); }); return out; }
    for (const k of O.keys(headers)) out[k] = String(headers[k]);
    return out;
  };
  const makeHeaders = (record) => {
    const map = new Map(O.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
    return O.freeze({
      get: (name) => { const v = map.get(String(name).toLowerCase()); return v === undefined ? null : v; },
      has: (name) => map.has(String(name).toLowerCase()),
      forEach: (fn) => map.forEach((v, k) => fn(v, k)),
      entries: () => map.entries(),
    });
  };
  async function fetch(input, init) {
    const options = init || {};
    const url = typeof input === 'string' ? input : String(input && input.url !== undefined ? input.url : input);
    const body = options.body === undefined || options.body === null ? null
      : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    const r = await request({ url, method: String(options.method || 'GET'), headers: toRecord(options.headers), body });
    return O.freeze({
      ok: r.status >= 200 && r.status < 300, status: r.status, statusText: r.statusText, url: r.url,
      redirected: r.redirected, headers: makeHeaders(r.headers),
      text: async () => r.body,
      json: async () => JSON.parse(r.body),
    });
  }
  O.defineProperty(globalThis, 'fetch', { value: fetch, writable: true, configurable: true });
})();`;
