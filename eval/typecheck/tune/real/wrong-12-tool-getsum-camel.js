// typecheck-eval {"kind":"wrong","class":"misspelled-tool","line":5,"expect":["get_sum"],"servers":["everything"]}
// Echoes, then adds with a camelCase tool name.
const hello = await everything.echo({ message: "start" });
console.log(hello);
const total = await everything.getSum({ a: 19, b: 23 });
return total;
