// typecheck-eval {"kind":"valid","servers":["slack"]}
// Reactions and open threads in the deploys channel's recent history.
interface Message { user?: string; text: string; ts: string; thread_ts?: string; reply_count?: number; reactions?: { name: string; count: number }[] }
const history = (await slack.slack_get_channel_history({ channel_id: "C02", limit: 50 })) as { ok: boolean; messages: Message[] };
const reactions = new Map<string, number>();
for (const m of history.messages) for (const r of m.reactions ?? []) reactions.set(r.name, (reactions.get(r.name) ?? 0) + r.count);
const threads = history.messages.filter((m) => (m.reply_count ?? 0) > 0).map((m) => ({ text: m.text, replies: m.reply_count }));
const when = (ts: string) => new Date(Number(ts.split(".")[0]) * 1000).toISOString();
return { reactions: Object.fromEntries(reactions), threads, last: when(history.messages[history.messages.length - 1]!.ts) };
