// typecheck-eval {"kind":"valid","servers":["everything"]}
// Every kind of annotated message, typed with a const tuple of the allowed kinds.
const KINDS = ["error", "success", "debug"] as const;
type Kind = (typeof KINDS)[number];
const results: Partial<Record<Kind, number>> = {};
for (const messageType of KINDS) {
  const msg = await everything.get_annotated_message({ messageType });
  const parts = Array.isArray(msg) ? msg : [msg];
  results[messageType] = parts.length;
}
const summary = { kinds: KINDS.length, parts: results } satisfies { kinds: number; parts: object };
return summary;
