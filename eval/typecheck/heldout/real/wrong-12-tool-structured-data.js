// typecheck-eval {"kind":"wrong","class":"misspelled-tool","line":5,"expect":["get_structured_content"],"servers":["everything"]}
// Echoes, then asks for the weather with the wrong tool name.
const hi = await everything.echo({ message: "weather check" });
console.log(hi);
const weather = await everything.get_structured_data({ location: "Chicago" });
return weather.temperature;
