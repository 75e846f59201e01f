// typecheck-eval {"kind":"wrong","class":"wrong-arg-name","line":5,"expect":["channel_id"],"servers":["slack"]}
// Posts to #general, passing channel instead of channel_id.
const { channels } = await slack.slack_list_channels({});
const general = channels.find((c) => c.name === "general");
const res = await slack.slack_post_message({ channel: general.id, text: "Release 2.4.2 is out" });
return res.ok;
