// typecheck-eval {"kind":"valid","servers":["google-maps"]}
// Geocode the office and compare travel times to two client sites.
const office = await google_maps.maps_geocode({ address: "10 Downing St, London" });
const { lat, lng } = office.location;
const matrix = await google_maps.maps_distance_matrix({ origins: [`${lat},${lng}`], destinations: ["Oxford, UK", "Cambridge, UK"], mode: "driving" });
const row = matrix.results[0].elements;
const trips = matrix.destination_addresses.map((dest, i) => ({ dest, minutes: Math.round(row[i].duration.value / 60), km: row[i].distance.value / 1000 }));
trips.sort((a, b) => a.minutes - b.minutes);
return { from: office.formatted_address, closest: trips[0].dest, trips };
