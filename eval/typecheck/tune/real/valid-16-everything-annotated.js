// typecheck-eval {"kind":"valid","servers":["everything"]}
// Fetch each kind of annotated message and keep the text parts.
const kinds = ["error", "success", "debug"];
const out = {};
for (const messageType of kinds) {
  const msg = await everything.get_annotated_message({ messageType, includeImage: false });
  out[messageType] = Array.isArray(msg) ? msg.filter((m) => typeof m === "string").join(" ") : msg;
}
return out;
