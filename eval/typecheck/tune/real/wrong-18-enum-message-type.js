// typecheck-eval {"kind":"wrong","class":"wrong-enum","line":5,"expect":["\"error\"","\"debug\""],"servers":["everything"]}
// Asks for a warning-style message; the tool only has error, success and debug.
const ok = await everything.get_annotated_message({ messageType: "success" });
console.log(ok);
const warn = await everything.get_annotated_message({ messageType: "warning" });
return [ok, warn];
