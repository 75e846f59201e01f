// typecheck-eval {"kind":"valid","servers":["datadog"]}
// Active incidents by severity; the answer is a label line followed by JSON.
const raw = await datadog.list_incidents({ pageSize: 25 });
const text = typeof raw === "string" ? raw : JSON.stringify(raw);
const json = text.slice(text.indexOf("["));
let incidents = [];
try {
  incidents = JSON.parse(json);
} catch (e) {
  return { error: e.message };
}
const active = incidents.filter((i) => i.attributes?.state === "active");
const bySeverity = active.reduce((m, i) => ({ ...m, [i.attributes.severity]: (m[i.attributes.severity] || 0) + 1 }), {});
return { active: active.map((i) => i.attributes.title), bySeverity };
