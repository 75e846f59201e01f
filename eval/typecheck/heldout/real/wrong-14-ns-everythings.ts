// typecheck-eval {"kind":"wrong","class":"misspelled-namespace","line":5,"expect":["everything"],"servers":["everything"]}
// Adds two numbers, then echoes the answer through a plural namespace.
const sum = await everything.get_sum({ a: 20, b: 22 });
const text = String(sum);
const echoed = await everythings.echo({ message: text });
return echoed;
