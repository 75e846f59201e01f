// typecheck-eval {"kind":"wrong","class":"misspelled-tool","line":5,"expect":["slack_get_users"],"servers":["slack"]}
// Counts channel members, then lists users with a tool name modelled on list_channels.
const channels: any = await slack.slack_list_channels({ limit: 100 });
const members = channels.channels.reduce((s: number, c: any) => s + c.num_members, 0);
const users: any = await slack.slack_list_users({ limit: 100 });
return { members, users: users.members.length };
