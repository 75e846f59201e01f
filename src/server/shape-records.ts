// Persists learned result shapes in the gateway's durable records (a shared SessionStore such as
// Redis) instead of a file, so every gateway process sharing the store starts with, and merges
// into, the same shapes. One record, bounded in bytes like the file; read-modify-write by the
// records' compare-and-set. Never throws: a store failure is logged once per outage.
import { describeError, type JsonValue, type Logger, type Records } from '../common/index.js';
import type { ShapeBook } from '../catalog/index.js';
import { boundedJson, DEFAULT_SHAPE_FILE_BYTES, type ShapePersistence } from './shape-file.js';

/** The record's key among the gateway's records. */
export const SHAPES_RECORD_KEY = 'types:learned';

export interface ShapeRecordsOptions {
  readonly logger: Logger;
  /** Bytes of JSON the record may hold. */
  readonly maxBytes?: number;
}

export function createShapeRecords(records: Records, options: ShapeRecordsOptions): ShapePersistence {
  const maxBytes = options.maxBytes ?? DEFAULT_SHAPE_FILE_BYTES;
  let failing = false;
  const attempt = async (what: string, work: () => Promise<number>): Promise<number> => {
    try {
      const taken = await work();
      failing = false;
      return taken;
    } catch (error) {
      if (!failing) options.logger.log('warning', `learned types: ${what} in the session store failed: ${describeError(error)}; learning goes on in memory and is written at the next change`);
      failing = true;
      return 0;
    }
  };
  return {
    path: `session store record "${SHAPES_RECORD_KEY}"`,
    readInto(book) {
      return attempt('reading them', async () => book.load(await records.read(SHAPES_RECORD_KEY)));
    },
    write(book) {
      return attempt('writing them', async () => {
        let taken = 0;
        // `change` may run again when another process wrote meanwhile: each round merges its shapes.
        await records.update(SHAPES_RECORD_KEY, (current) => {
          taken += book.load(current);
          return JSON.parse(boundedJson(book, maxBytes)) as JsonValue;
        });
        return taken;
      });
    },
  };
}
