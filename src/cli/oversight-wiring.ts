// Builds the privacy, policy and audit parts of a gateway from config: the PII tokenizer, the
// redactor (which also knows the config's secret values), the JSONL audit store in its folder,
// the tool policy and the flag thresholds. Used by start-gateway.ts and the `audit` command.
import path from 'node:path';
import { createJsonlAuditStore, createPolicy } from '../audit/index.js';
import type { Logger } from '../common/index.js';
import type { LoadedConfig } from '../config/index.js';
import { createPrivacy, createRedactor, SECRET_NAME, type PiiSession } from '../privacy/index.js';
import type { OversightOptions } from '../runtime/index.js';

export interface Oversight {
  readonly runtime: OversightOptions;
  readonly openPiiSession: () => PiiSession | undefined;
}

export function auditDirOf(config: LoadedConfig): string {
  return path.resolve(config.baseDir, config.cemcp.audit.dir);
}

export function createOversight(config: LoadedConfig, logger: Logger): Oversight {
  const { privacy: privacySettings, audit, policy } = config.cemcp;
  const privacy = createPrivacy(privacySettings);
  const redact = audit.redact ? createRedactor({ detectors: privacy.detectors, secrets: secretsOf(config) }) : undefined;
  const sink = audit.enabled
    ? createJsonlAuditStore({ dir: auditDirOf(config), maxFileBytes: audit.maxFileBytes, maxFiles: audit.maxFiles, retentionDays: audit.retentionDays, logger })
    : undefined;
  return {
    runtime: {
      policy: createPolicy(policy),
      flagThresholds: audit.flags,
      auditBounds: { sampleFirst: audit.sample.first, sampleLast: audit.sample.last, maxCodeChars: audit.maxCodeChars },
      ...(sink ? { audit: sink } : {}),
      ...(redact ? { redact } : {}),
    },
    openPiiSession: () => privacy.openSession(),
  };
}

/** Values in the config that are secrets once expanded: headers, auth, secret-named env variables. */
function secretsOf(config: LoadedConfig): string[] {
  const secrets: string[] = [];
  for (const server of Object.values(config.mcpServers)) {
    if ('headers' in server && server.headers) secrets.push(...Object.values(server.headers));
    if ('env' in server && server.env) {
      for (const [name, value] of Object.entries(server.env)) if (SECRET_NAME.test(name)) secrets.push(value);
    }
  }
  for (const source of Object.values(config.openapi ?? {})) {
    if (source.headers) secrets.push(...Object.values(source.headers));
    const auth = source.auth;
    if (auth?.type === 'bearer') secrets.push(auth.token);
    else if (auth?.type === 'header' || auth?.type === 'query') secrets.push(auth.value);
    else if (auth?.type === 'basic') secrets.push(auth.password);
  }
  return secrets;
}
