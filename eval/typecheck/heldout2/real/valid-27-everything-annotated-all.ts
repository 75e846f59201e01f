// typecheck-eval {"kind":"valid","servers":["everything"]}
// Ask for each kind of annotated message and keep its text by kind.
const kinds = ["error", "success", "debug"] as const;
const answers = await Promise.all(kinds.map((messageType) => everything.get_annotated_message({ messageType, includeImage: false })));
const byKind: Record<string, string> = {};
kinds.forEach((k, i) => {
  const a = answers[i];
  byKind[k] = typeof a === "string" ? a : JSON.stringify(a);
});
return byKind;
