// typecheck-eval {"kind":"valid","servers":["everything"]}
// Echo a few messages and check each comes back with the "Echo: " prefix.
const messages = ["deploy started", "deploy finished", "ünïcode ✓"];
const results: { message: string; ok: boolean; reply: string }[] = [];
for (const message of messages) {
  const reply = String(await everything.echo({ message }));
  results.push({ message, ok: reply === `Echo: ${message}`, reply });
}
return { allOk: results.every((r) => r.ok), results };
