// typecheck-eval {"kind":"valid","servers":["context7"]}
// Resolve a library name to its Context7 id, preferring the highest trust score.
const text = String(await context7.resolve_library_id({ libraryName: "react", query: "hooks docs" }));
const entries = text.split("----------").map((block) => ({
  title: /- Title: (.+)/.exec(block)?.[1]?.trim(),
  id: /library ID: (\S+)/.exec(block)?.[1],
  trust: Number(/Trust Score: ([\d.]+)/.exec(block)?.[1] ?? 0),
}));
const best = entries.filter((e) => e.id).sort((a, b) => b.trust - a.trust)[0];
return best ?? null;
