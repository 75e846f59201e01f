// Which configured values are secrets, in the forms a request carries them: header values (and the
// credential after `Bearer `/`Basic `, and what a Basic credential decodes to), auth tokens, query
// credentials, and the values of secret-named env variables. Pure; cli/ feeds the config through it.

/** Environment variable names whose values are treated as secrets. */
const SECRET_NAME = /pass|secret|token|key|auth|credential|cookie|session|pwd|signature/i;

/** Header names whose values are never credentials; every other configured header value is a secret. */
const PUBLIC_HEADER = /^(?:accept(?:-[a-z-]+)?|content-type|content-language|user-agent|cache-control|pragma|origin|referer|dnt|if-[a-z-]+|x-requested-with|[a-z0-9-]*-version)$/i;

/** Secret values in a set of configured headers (deny by default: all but well-known public ones). */
export function headerSecrets(headers: Readonly<Record<string, string>> | undefined): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (PUBLIC_HEADER.test(name)) continue;
    out.push(...credentialForms(value));
  }
  return out;
}

/** A credential value, and for `Scheme credential` the credential alone (and a Basic pair decoded). */
export function credentialForms(value: string): string[] {
  const out = [value];
  const scheme = /^([A-Za-z][\w-]*)\s+(\S+)$/.exec(value.trim());
  if (scheme?.[2]) {
    out.push(scheme[2]);
    if (scheme[1]?.toLowerCase() === 'basic') {
      const pair = Buffer.from(scheme[2], 'base64').toString('utf8');
      const colon = pair.indexOf(':');
      if (colon > 0 && /^[\x20-\x7e]+$/.test(pair)) out.push(...basicSecrets(pair.slice(0, colon), pair.slice(colon + 1)));
    }
  }
  return out;
}

/** HTTP Basic: the password, `user:password` and its base64 (what the Authorization header carries). */
export function basicSecrets(username: string, password: string): string[] {
  const pair = `${username}:${password}`;
  return [password, pair, Buffer.from(pair, 'utf8').toString('base64')];
}

/** Settings that a secret-named variable may hold without being a secret: a flag, a small number, a path. */
const PLAIN_SETTING = /^(?:true|false|yes|no|on|off|\d{1,5}|[.~]?\/[\w./-]*)$/i;

/** Values of secret-named variables in an upstream's env (not flags such as `AUTH_ENABLED=true`, nor paths). */
export function envSecrets(env: Readonly<Record<string, string>> | undefined): string[] {
  return Object.entries(env ?? {}).filter(([name, value]) => SECRET_NAME.test(name) && !PLAIN_SETTING.test(value)).map(([, value]) => value);
}
