// typecheck-eval {"kind":"valid","servers":["everything"]}
// Compare the weather in three cities and report the warmest and the average humidity.
type City = "New York" | "Chicago" | "Los Angeles";
class Report {
  constructor(public city: City, public temperature: number, public humidity: number) {}
  get label(): string { return `${this.city}: ${this.temperature}°`; }
}
const cities: City[] = ["New York", "Chicago", "Los Angeles"];
const readings = await Promise.all(cities.map((location) => everything.get_structured_content({ location })));
const reports = readings.map((r, i) => new Report(cities[i]!, r.temperature, r.humidity));
const warmest = reports.reduce((best, r) => (r.temperature > best.temperature ? r : best));
const avgHumidity = reports.reduce((s, r) => s + r.humidity, 0) / reports.length;
return { warmest: warmest.label, avgHumidity: Math.round(avgHumidity), conditions: readings.map((r) => r.conditions) };
