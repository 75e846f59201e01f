// typecheck-eval {"kind":"wrong","class":"forgotten-await","line":5,"expect":["await"],"servers":["everything"]}
// Adds two numbers without awaiting, then runs a regex on the promise.
await everything.echo({ message: "adding" });
const answer = everything.get_sum({ a: 7, b: 8 });
const value = Number(answer.match(/is (\d+)/)[1]);
return value * 2;
