// typecheck-eval {"kind":"wrong","class":"wrong-enum","line":4,"expect":["\"error\"","\"success\"","\"debug\""],"servers":["everything"]}
// Echoes, then asks for an "info" annotated message.
const hello = await everything.echo({ message: "hello" });
const info = await everything.get_annotated_message({ messageType: "info" });
return { hello, info };
