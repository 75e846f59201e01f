// typecheck-eval {"kind":"valid","servers":["slack"]}
// Post a deploy notice to the deploys channel, found by name among active channels.
interface Channel { id: string; name: string; is_archived: boolean; num_members: number }
const res: any = await slack.slack_list_channels({ limit: 200 });
const channels: Channel[] = res.channels ?? [];
const active = channels.filter((c) => !c.is_archived);
const deploys = active.find((c) => c.name === "deploys");
if (!deploys) return { posted: false, seen: active.map((c) => c.name) };
const posted = (await slack.slack_post_message({ channel_id: deploys.id, text: "Deploy 2.4.2 starts in 10 minutes" })) as { ok: boolean; ts?: string };
return { posted: posted.ok, ts: posted.ts, members: deploys.num_members };
