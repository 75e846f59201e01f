// typecheck-eval {"kind":"wrong","class":"forgotten-await","line":6,"expect":["await"],"servers":["everything"]}
// Formats the Chicago temperature without awaiting the call.
const ny = await everything.get_structured_content({ location: "New York" });
console.log(`NY ${ny.temperature}`);
const chicago = everything.get_structured_content({ location: "Chicago" });
const label = `Chicago ${chicago.temperature.toFixed(1)}°F`;
return label;
