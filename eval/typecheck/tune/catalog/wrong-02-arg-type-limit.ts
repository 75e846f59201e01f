// typecheck-eval {"kind":"wrong","class":"wrong-arg-type","line":6,"expect":["number"],"servers":["slack"]}
// Reads the deploy channel's history with the limit given as a string.
const res: any = await slack.slack_list_channels({});
const deploys = res.channels.find((c: any) => c.name === "deploys");
const limit = "20";
const history: any = await slack.slack_get_channel_history({ channel_id: deploys.id, limit });
return history.messages.length;
