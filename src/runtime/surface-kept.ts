// The surface of a run's outcome whose return value, when cut to a preview, is kept whole as a
// result handle in the session's records (result-handles.ts). The preview names the id before the
// value is stored; a store that fails turns the answer into one that says no handle was kept.
import { describeError, type Records } from '../common/index.js';
import { handleRefusal, newHandleId, storeHandle, type HandleLimits } from './result-handles.js';
import { NO_SESSION_HANDLE, surface, type HandleOffer, type SurfaceInput, type SurfaceProtector, type Surfaced } from './surface.js';

export interface KeepOptions {
  /** This MCP session's records; absent for a run without a session. */
  readonly records?: Records | undefined;
  /** Absent: handles are off. */
  readonly limits?: HandleLimits | undefined;
}

export async function surfaceKept(input: SurfaceInput, maxTokens: number, protect: SurfaceProtector, keep: KeepOptions): Promise<Surfaced> {
  const offer = offerHandle(input.valueJson, keep);
  const shaped = surface(input, maxTokens, protect, offer);
  if (!shaped.valueCut || !('id' in offer) || !keep.records || !keep.limits || input.valueJson === undefined) return shaped;
  try {
    // The value as the guest returned it (the preview showed it tokenized).
    await storeHandle(keep.records, offer.id, input.valueJson, keep.limits);
    return { ...shaped, handle: offer.id };
  } catch (error) {
    return surface(input, maxTokens, protect, { missing: `storing it failed (${describeError(error)})` });
  }
}

function offerHandle(valueJson: string | undefined, keep: KeepOptions): HandleOffer {
  if (!keep.records) return NO_SESSION_HANDLE;
  if (!keep.limits) return { missing: 'handles are off in this gateway' };
  const refusal = valueJson === undefined ? undefined : handleRefusal(Buffer.byteLength(valueJson, 'utf8'), keep.limits);
  return refusal ? { missing: refusal } : { id: newHandleId() };
}
