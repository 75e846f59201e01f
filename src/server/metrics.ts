// Prometheus metrics of a gateway (prom-client, on a registry of its own, never the global one):
// runs by outcome and error code, execute latency, tool calls by upstream and fate, upstream
// states, live sessions, runs in flight, draining, and the process's default metrics. One observer
// (`observeRun`, given to GatewayService.onRunEnd) counts runs; the gauges are read at scrape time.
// prom-client is loaded when metrics are made (`serve --http`), never for stdio.
import type { Counter, Histogram, Registry } from 'prom-client';
import type { RunEnd } from './gateway-service.js';
import type { UpstreamStatusView } from './upstream-status.js';

/** What the gauges read at each scrape. */
export interface MetricSources {
  readonly upstreams: () => readonly UpstreamStatusView[];
  readonly sessions: () => number;
  readonly runsInFlight: () => number;
  readonly draining: () => boolean;
}

export interface GatewayMetrics {
  readonly registry: Registry;
  /** Counts one run that ended: its outcome, code, latency and tool calls. */
  observeRun(run: RunEnd): void;
  /** The text exposition format, and its content type. */
  scrape(): Promise<{ readonly contentType: string; readonly text: string }>;
}

const UPSTREAM_STATES = ['idle', 'connecting', 'ready', 'failed'] as const;
const FATES = ['ok', 'error', 'refused', 'dropped', 'cancelled'] as const;
/** Seconds: a one-call program takes tens of ms; the default wall limit is 30 s. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/** Distinct values a label keeps (error codes can come from upstreams); the rest count as "other". */
const MAX_LABEL_VALUES = 100;
/** The upstream label of calls the run counted without keeping their record (refusals past the call limit). */
const UNRECORDED = '(unrecorded)';

export async function createGatewayMetrics(sources: MetricSources): Promise<GatewayMetrics> {
  const client = await import('prom-client');
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });

  const runs: Counter<'outcome' | 'code'> = new client.Counter({
    name: 'cemcp_runs_total', help: 'Executes that ended, by outcome (ok, error) and error code ("none" when ok).',
    labelNames: ['outcome', 'code'], registers: [registry],
  });
  const duration: Histogram<'outcome'> = new client.Histogram({
    name: 'cemcp_execute_duration_seconds', help: 'Time from an execute call to its answer, waiting for upstreams and the session store included.',
    labelNames: ['outcome'], buckets: DURATION_BUCKETS, registers: [registry],
  });
  const calls: Counter<'upstream' | 'fate'> = new client.Counter({
    name: 'cemcp_tool_calls_total', help: 'Tool calls made by programs, by upstream (or host namespace) and fate (ok, error, refused, dropped, cancelled).',
    labelNames: ['upstream', 'fate'], registers: [registry],
  });
  new client.Gauge({
    name: 'cemcp_upstream_state', help: 'Each upstream (MCP server or OpenAPI source): 1 for its current state, 0 for the others.',
    labelNames: ['upstream', 'state'], registers: [registry],
    collect() {
      this.reset();
      for (const s of sources.upstreams()) for (const state of UPSTREAM_STATES) this.set({ upstream: s.name, state }, s.state === state ? 1 : 0);
    },
  });
  new client.Gauge({
    name: 'cemcp_sessions_live', help: 'Client sessions open in this process.', registers: [registry],
    collect() { this.set(sources.sessions()); },
  });
  new client.Gauge({
    name: 'cemcp_runs_in_flight', help: 'Programs running now.', registers: [registry],
    collect() { this.set(sources.runsInFlight()); },
  });
  new client.Gauge({
    name: 'cemcp_draining', help: '1 once the process is shutting down (SIGTERM): it takes no new work.', registers: [registry],
    collect() { this.set(sources.draining() ? 1 : 0); },
  });

  const codeLabel = boundedLabel();
  const upstreamLabel = boundedLabel();
  return {
    registry,
    observeRun({ result, durationMs }) {
      const outcome = result.ok ? 'ok' : 'error';
      runs.inc({ outcome, code: result.ok ? 'none' : codeLabel(result.errorCode ?? 'UNKNOWN') });
      duration.observe({ outcome }, durationMs / 1000);
      const recorded: Record<string, number> = {};
      for (const call of result.calls) {
        const fate = call.fate ?? (call.ok ? 'ok' : 'error');
        recorded[fate] = (recorded[fate] ?? 0) + 1;
        calls.inc({ upstream: upstreamLabel(call.server), fate });
      }
      // Calls the run counted without a record of their own: their number, without an upstream.
      for (const fate of FATES) {
        const unrecorded = (result.tally?.counts[fate] ?? 0) - (recorded[fate] ?? 0);
        if (unrecorded > 0) calls.inc({ upstream: UNRECORDED, fate }, unrecorded);
      }
    },
    async scrape() {
      return { contentType: registry.contentType, text: await registry.metrics() };
    },
  };
}

/** Keeps the first MAX_LABEL_VALUES distinct values of a label; later new ones become "other". */
function boundedLabel(): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= MAX_LABEL_VALUES) return 'other';
    seen.add(value);
    return value;
  };
}
