// typecheck-eval {"kind":"valid","servers":["everything"]}
// Echo several messages in parallel and strip the prefix the server adds.
const messages = ["deploy", "rollback", "status"];
const echoes = await Promise.all(messages.map((message) => everything.echo({ message })));
const back = echoes.map((e) => String(e).replace(/^Echo:\s*/, ""));
return { allBack: back.every((m, i) => m === messages[i]), back };
