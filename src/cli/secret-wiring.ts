// The gateway's one secret redactor, built from every secret the config holds once expanded:
// upstream headers and secret-named env values, OpenAPI auth (bearer, basic pair and its base64,
// header/query values) and headers, and `cemcp.fetch.allow[].headers`; and a logger that
// redacts through it. Used by start-gateway.ts.
import type { Logger } from '../common/index.js';
import type { LoadedConfig } from '../config/index.js';
import { basicSecrets, createSecretRedactor, credentialForms, envSecrets, headerSecrets, type SecretRedactor } from '../privacy/index.js';

export function createConfigSecretRedactor(config: LoadedConfig): SecretRedactor {
  return createSecretRedactor(secretsOfConfig(config));
}

/** Every configured value that is a secret, in the forms a request carries it. */
function secretsOfConfig(config: LoadedConfig): string[] {
  const secrets: string[] = [];
  for (const server of Object.values(config.mcpServers)) {
    if ('headers' in server) secrets.push(...headerSecrets(server.headers));
    if ('env' in server) secrets.push(...envSecrets(server.env));
  }
  for (const source of Object.values(config.openapi ?? {})) {
    secrets.push(...headerSecrets(source.headers));
    const auth = source.auth;
    if (auth?.type === 'bearer') secrets.push(...credentialForms(auth.token));
    else if (auth?.type === 'header') secrets.push(...credentialForms(auth.value));
    else if (auth?.type === 'query') secrets.push(auth.value);
    else if (auth?.type === 'basic') secrets.push(...basicSecrets(auth.username, auth.password));
  }
  for (const rule of config.cemcp.fetch.allow) secrets.push(...headerSecrets(rule.headers));
  return secrets;
}

/** A logger whose messages (upstream stderr, errors) pass through the secret redactor first. */
export function redactingLogger(logger: Logger, secrets: SecretRedactor): Logger {
  if (secrets.size === 0) return logger;
  return { log: (severity, message) => logger.log(severity, secrets.redactText(message)) };
}
