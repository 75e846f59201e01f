// Learns result types at the gateway: wraps the ToolInvoker so each successful result is learned
// from after the program has it (off the reply's path: setImmediate), for tools without a declared
// outputSchema; lays the shapes over each catalog the upstreams give and publishes it (debounced),
// and persists them (debounced, and at close). A text result is parsed for learning only when small.
// Imported by cli/ via server/index.ts.
import { describeError, type CallOutcome, type Logger, type ToolInvoker } from '../common/index.js';
import { ShapeBook, withLearnedShapes, type Catalog, type Operation } from '../catalog/index.js';
import type { ShapeFile } from './shape-file.js';

export interface ShapeLearningOptions {
  /** Where each catalog with learned shapes goes (GatewayService.setCatalog). */
  readonly publish: (catalog: Catalog) => void;
  readonly logger: Logger;
  /** Where shapes persist; absent: they last as long as the process. */
  readonly file?: ShapeFile | undefined;
  readonly book?: ShapeBook;
  /** A changed shape reaches the catalog this long after (more changes meanwhile: one rebuild). */
  readonly publishDelayMs?: number;
  /** Learned shapes are written this long after a change (and at close). */
  readonly saveDelayMs?: number;
  /** Characters of a text result parsed for learning; longer ones are not learned from. */
  readonly maxTextChars?: number;
  /** Results waiting to be learned from; past it, results are not learned from until the queue drains. */
  readonly maxPending?: number;
}

export interface ShapeLearning {
  /** A new catalog from the upstreams: published at once with the learned shapes laid over it. */
  setCatalog(catalog: Catalog): void;
  /** `invoker`, learning from every successful result it answers. */
  wrap(invoker: ToolInvoker): ToolInvoker;
  /** Learning still queued is done, the catalog published and the shapes written. */
  flush(): Promise<void>;
  /** Flushes, then stops. */
  close(): Promise<void>;
}

const DEFAULTS = { publishDelayMs: 50, saveDelayMs: 1_000, maxTextChars: 1 << 20, maxPending: 16 };

export function createShapeLearning(options: ShapeLearningOptions): ShapeLearning {
  const settings = { ...DEFAULTS, ...definedOnly(options) };
  const book = options.book ?? new ShapeBook();
  const { logger, file } = options;
  let base: Catalog | undefined;
  let byTool = new Map<string, Operation>();
  let pending = 0;
  let drained: (() => void)[] = [];
  let publishTimer: NodeJS.Timeout | undefined;
  let saveTimer: NodeJS.Timeout | undefined;
  let dirty = false;
  let closed = false;
  if (file) file.readInto(book);

  const publish = (): void => {
    clearTimeout(publishTimer);
    publishTimer = undefined;
    if (base) options.publish(withLearnedShapes(base, book));
  };
  const save = (): void => {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    if (!file || !dirty) return;
    dirty = false;
    // Another gateway process may have learned other tools meanwhile: show those too.
    if (file.write(book) > 0) schedulePublish();
  };
  const schedulePublish = (): void => {
    publishTimer ??= setTimeout(publish, settings.publishDelayMs).unref();
  };
  const learn = (server: string, toolName: string, outcome: CallOutcome): void => {
    const op = byTool.get(`${server}\n${toolName}`);
    if (!op || op.outputSchema !== undefined || !outcome.ok) return;
    const value = 'text' in outcome ? parseForLearning(outcome.text, settings.maxTextChars) : outcome.value;
    if (value === TOO_LARGE) return;
    try {
      if (!book.observe(op, value)) return;
    } catch (error) {
      logger.log('debug', `learned types: ${op.callName}: ${describeError(error)}`);
      return;
    }
    dirty = true;
    schedulePublish();
    if (file) saveTimer ??= setTimeout(save, settings.saveDelayMs).unref();
  };
  const flush = async (): Promise<void> => {
    if (pending > 0) await new Promise<void>((resolve) => drained.push(resolve));
    if (publishTimer) publish();
    save();
  };
  const settle = (): void => {
    if (--pending > 0) return;
    const waiting = drained;
    drained = [];
    waiting.forEach((resolve) => resolve());
  };

  return {
    setCatalog(catalog) {
      base = catalog;
      byTool = new Map(catalog.operations.map((op) => [`${op.server}\n${op.toolName}`, op]));
      publish();
    },
    wrap(invoker) {
      return {
        async callTool(server, toolName, args, callOptions) {
          const outcome = await invoker.callTool(server, toolName, args, callOptions);
          if (outcome.ok && !closed && pending < settings.maxPending) {
            pending++;
            // After the reply: the program gets its result first, the learning happens next.
            setImmediate(() => {
              try {
                learn(server, toolName, outcome);
              } finally {
                settle();
              }
            });
          }
          return outcome;
        },
      };
    },
    flush,
    async close() {
      await flush();
      closed = true;
      clearTimeout(publishTimer);
      clearTimeout(saveTimer);
    },
  };
}

const TOO_LARGE: unique symbol = Symbol('too large');

/** What the program received for a text result: the parsed JSON, or the text itself. */
function parseForLearning(text: string, maxChars: number): unknown {
  if (text.length > maxChars) return TOO_LARGE;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
