// typecheck-eval {"kind":"wrong","class":"missing-field","line":4,"expect":["conditions","temperature","humidity"],"servers":["everything"]}
// Reads a forecast field the structured weather answer does not have.
const weather = await everything.get_structured_content({ location: "Chicago" });
const outlook = weather.forecast.toLowerCase();
return { outlook, temperature: weather.temperature };
