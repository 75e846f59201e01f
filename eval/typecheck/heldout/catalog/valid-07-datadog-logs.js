// typecheck-eval {"kind":"valid","servers":["datadog"]}
// Error logs of the last hour per service; the answer is a label and JSON.
const now = Math.floor(Date.now() / 1000);
const out = await datadog.get_logs({ query: "status:error OR status:warn", from: now - 3600, to: now, limit: 100 });
const text = String(out);
const logs = JSON.parse(text.substring(text.indexOf("[")));
const errorsBy = {};
for (const { attributes: a } of logs) {
  if (a.status !== "error") continue;
  errorsBy[a.service] = [...(errorsBy[a.service] ?? []), a.message];
}
return errorsBy;
