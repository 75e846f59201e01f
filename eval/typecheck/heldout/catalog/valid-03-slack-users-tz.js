// typecheck-eval {"kind":"valid","servers":["slack"]}
// Active human users grouped by time zone.
const res = await slack.slack_get_users({ limit: 200 });
const humans = (res.members ?? []).filter((m) => !m.deleted && !m.is_bot);
const byTz = humans.reduce((acc, m) => {
  (acc[m.tz] = acc[m.tz] || []).push(m.profile?.real_name || m.name);
  return acc;
}, {});
return { humans: humans.length, byTz };
