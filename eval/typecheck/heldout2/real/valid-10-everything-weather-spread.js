// typecheck-eval {"kind":"valid","servers":["everything"]}
// Weather cards for two cities, with defaults for fields the answer might lack.
const cities = ["Chicago", "Los Angeles"];
const cards = [];
for (const location of cities) {
  const w = await everything.get_structured_content({ location });
  const { temperature = 0, humidity = 0, conditions = "unknown", windSpeed = null } = w;
  cards.push({ ...w, city: location, feelsLike: temperature - humidity / 10, windSpeed, summary: `${conditions} in ${location}` });
}
return cards.map(({ city, summary, feelsLike }) => ({ city, summary, feelsLike: Math.round(feelsLike) }));
