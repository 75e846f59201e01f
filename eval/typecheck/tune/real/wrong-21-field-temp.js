// typecheck-eval {"kind":"wrong","class":"missing-field","line":5,"expect":["temperature"],"servers":["everything"]}
// Converts the temperature to Celsius, reading it as temp.
const w = await everything.get_structured_content({ location: "New York" });
console.log(w.conditions);
const celsius = ((w.temp.value - 32) * 5) / 9;
return Math.round(celsius);
