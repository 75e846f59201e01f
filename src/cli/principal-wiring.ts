// Builds the per-principal caps (cemcp.principals) over the gateway's session store, so every
// process sharing the store counts together; none when no cap is configured. Used by start-gateway.ts.
import type { LoadedConfig } from '../config/index.js';
import { createPrincipalCaps, PRINCIPAL_CAPS_RECORDS_ID, type PrincipalCaps } from '../server/index.js';
import { storeRecords, type SessionStore } from '../session/index.js';

// A run's lease outlasts the run: wall time, waiting for upstreams still connecting, and slack.
const RUN_LEASE_SLACK_MS = 60_000;

export function createPrincipalCapsFromConfig(config: LoadedConfig, store: SessionStore): PrincipalCaps | undefined {
  const { overrides, ...defaults } = config.cemcp.principals;
  const caps = [defaults, ...overrides].some((c) => c.maxSessions !== undefined || c.maxConcurrentRuns !== undefined || c.maxRunsPerMinute !== undefined);
  if (!caps) return undefined;
  const { wallMs } = config.cemcp.limits;
  return createPrincipalCaps({
    records: storeRecords(store, PRINCIPAL_CAPS_RECORDS_ID),
    defaults,
    overrides,
    // A session's place lasts as long as its data in the store (serve-command.ts: idle timeout plus a run).
    sessionLeaseMs: config.cemcp.sessions.idleTimeoutMs + wallMs,
    runLeaseMs: wallMs + config.cemcp.upstreams.connectTimeoutMs + RUN_LEASE_SLACK_MS,
    runWallMs: wallMs,
  });
}
