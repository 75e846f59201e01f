// Measures an OpenAPI source at scale (the Cloudflare spec by default): spec tokens against
// cemcp's two tools and typical search answers, load/extract/index time, index memory, search
// latency p50/p95 and self-retrieval. Exported for the bench runner; `node dist-bench/bench/openapi-bench.js [spec]`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from './paths.js';
import { Catalog, createSearchIndex, renderDeclarations, renderHits } from '../src/catalog/index.js';
import { countTokens } from '../src/common/index.js';
import { OpenApiSourceSchema } from '../src/config/index.js';
import { createToolDefinitions } from '../src/server/index.js';
import { createOpenApiSourceFromDocument, loadSpec } from '../src/upstream/index.js';

/** Cloudflare's spec as vendored in the repository (eval/specs/SOURCES.md). */
export const CLOUDFLARE_SPEC = path.join(REPO_ROOT, 'eval/specs/cloudflare.json.gz');

/** What a model would type; each names an operation the catalog should rank in its top 3. */
export const OPENAPI_PROBES: readonly { readonly query: string; readonly expect: string }[] = [
  { query: 'list DNS records of a zone', expect: 'dns_records_for_a_zone_list_dns_records' },
  { query: 'purge cache', expect: 'zone_purge' },
  { query: 'create a Worker route', expect: 'worker_routes_create_route' },
  { query: 'upload a worker script', expect: 'worker_script_upload_worker_module' },
  { query: 'list zones', expect: 'zones_get' },
  { query: 'create a firewall rule', expect: 'firewall_rules_create_firewall_rules' },
  { query: 'list R2 buckets', expect: 'r2_list_buckets' },
  { query: 'get account details', expect: 'accounts_account_details' },
];

export interface OpenApiBenchResult {
  readonly spec: string;
  readonly specBytes: number;
  /** o200k_base tokens of the spec text: what serving it whole would cost. */
  readonly specTokens: number | null;
  readonly operations: number;
  readonly loadMs: number;
  readonly extractMs: number;
  readonly indexBuildMs: number;
  /** Heap growth of building the search index (with --expose-gc; else approximate). */
  readonly indexHeapBytes: number;
  readonly heapAfterLoadBytes: number;
  readonly searchP50Ms: number;
  readonly searchP95Ms: number;
  /** search + execute definitions: what the model carries every turn, whatever the API's size. */
  readonly toolDefinitionTokens: number;
  /** Mean tokens of a default search answer (5 hits: the best documented, one line each after) over the probes. */
  readonly searchAnswerTokens: number;
  /** Probes whose expected operation ranks in the top 3. */
  readonly probesTop3: string;
  /** Operations found in the top 5 when searching their own summary, on a 1-in-10 sample. */
  readonly selfRecallAt5: number;
  readonly declarationsMs: number;
  readonly declarationsTokens: number | null;
}

export async function measureOpenApi(spec = CLOUDFLARE_SPEC, options: { countTokens?: boolean } = {}): Promise<OpenApiBenchResult> {
  const tokens = options.countTokens !== false;
  const gc = (globalThis as { gc?: () => void }).gc;
  let t = performance.now();
  const loaded = await loadSpec(spec, 'bench', { maxBytes: 256 << 20 });
  const loadMs = performance.now() - t;
  // Counted before extraction normalizes the document; compact JSON, as the file is written.
  const specTokens = tokens ? countTokens(JSON.stringify(loaded.document)) : null;
  t = performance.now();
  const source = createOpenApiSourceFromDocument('cloudflare', OpenApiSourceSchema.parse({ spec, baseUrl: 'https://api.example.com' }), loaded.document, loaded);
  const extractMs = performance.now() - t;
  const catalog = Catalog.fromSources([{ server: source.name, tools: source.tools }]);
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  t = performance.now();
  const index = createSearchIndex(catalog.operations);
  const indexBuildMs = performance.now() - t;
  gc?.();
  const heapAfter = process.memoryUsage().heapUsed;

  const samples: number[] = [];
  const answers: number[] = [];
  const found: string[] = [];
  for (let round = 0; round < 10; round++) {
    for (const probe of OPENAPI_PROBES) {
      t = performance.now();
      const hits = index.search(probe.query);
      samples.push(performance.now() - t);
      if (round > 0) continue;
      if (hits.slice(0, 3).some((h) => h.operation.name === probe.expect)) found.push(probe.query);
      if (tokens) answers.push(countTokens(renderHits(hits.map((h) => h.operation))));
    }
  }
  let recalled = 0;
  let tried = 0;
  catalog.operations.forEach((op, i) => {
    if (i % 10 !== 0) return;
    tried++;
    const summary = op.description.split('. ')[0] ?? op.description;
    if (index.search(summary, { limit: 5 }).some((h) => h.operation === op)) recalled++;
  });
  t = performance.now();
  const declarations = renderDeclarations(catalog.operations);
  const declarationsMs = performance.now() - t;
  samples.sort((a, b) => a - b);
  const at = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] ?? 0;
  return {
    spec: path.basename(spec),
    specBytes: loaded.bytes,
    specTokens,
    operations: catalog.operations.length,
    loadMs: round(loadMs),
    extractMs: round(extractMs),
    indexBuildMs: round(indexBuildMs),
    indexHeapBytes: Math.max(0, heapAfter - heapBefore),
    heapAfterLoadBytes: heapAfter,
    searchP50Ms: round(at(0.5), 2),
    searchP95Ms: round(at(0.95), 2),
    toolDefinitionTokens: countTokens(JSON.stringify(createToolDefinitions())),
    searchAnswerTokens: answers.length ? Math.round(answers.reduce((a, b) => a + b, 0) / answers.length) : 0,
    probesTop3: `${found.length}/${OPENAPI_PROBES.length}`,
    selfRecallAt5: round(recalled / Math.max(1, tried), 3),
    declarationsMs: round(declarationsMs),
    declarationsTokens: tokens ? countTokens(declarations) : null,
  };
}

function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  measureOpenApi(process.argv[2] ?? CLOUDFLARE_SPEC).then(
    (result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`),
    (error: unknown) => {
      process.stderr.write(`openapi-bench: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
