// The maps of actions: communes coloured by the people reached, a circle at the town hall of
// each commune where actions took place, a popup listing actions by modality. No tile layer:
// every shape comes from the app (offline).
const COLOURS = ["#eef3f8", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];

function colour(value, max) {
  if (!value) return COLOURS[0];
  const step = Math.min(COLOURS.length - 1, 1 + Math.floor((value / (max || 1)) * (COLOURS.length - 2)));
  return COLOURS[step];
}

function popup(properties, labels) {
  const box = document.createElement("div");
  const title = document.createElement("strong");
  title.textContent = properties.name;
  box.appendChild(title);
  const summary = document.createElement("p");
  summary.textContent = `${properties.actions} ${labels.actions} · ${properties.people} ${labels.people} · ${properties.structures} ${labels.structures}`;
  box.appendChild(summary);
  if (properties.by_modality.length) {
    const list = document.createElement("ul");
    properties.by_modality.forEach((row) => {
      const item = document.createElement("li");
      item.textContent = `${row.label} : ${row.actions} ${labels.actions}, ${row.people} ${labels.people}`;
      list.appendChild(item);
    });
    box.appendChild(list);
  }
  return box;
}

function drawMap(element) {
  const collection = JSON.parse(document.getElementById(element.dataset.map).textContent);
  const labels = JSON.parse(document.getElementById("map-labels").textContent);
  const map = L.map(element, { attributionControl: true, zoomSnap: 0.25 });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("IGN ADMIN EXPRESS, INSEE – Licence Ouverte");
  const max = Math.max(...collection.features.map((f) => f.properties.people));
  const layer = L.geoJSON(collection, {
    style: (feature) => ({
      color: "#ffffff", weight: 1.2, fillOpacity: 0.9,
      fillColor: colour(feature.properties.people, max),
    }),
    onEachFeature: (feature, shape) => {
      shape.bindPopup(() => popup(feature.properties, labels));
      shape.bindTooltip(feature.properties.name);
    },
  });
  // The view must be set before vector layers are added (Leaflet clips them to it).
  map.fitBounds(layer.getBounds(), { padding: [10, 10] });
  layer.addTo(map);
  collection.features.filter((f) => f.properties.actions).forEach((feature) => {
    const p = feature.properties;
    L.circleMarker([p.lat, p.lon], {
      radius: 5 + Math.sqrt(p.people), color: "#8a3b00", weight: 1, fillColor: "#e07a2f", fillOpacity: 0.85,
    }).bindPopup(() => popup(p, labels)).addTo(map);
  });
  element.setAttribute("data-drawn", "true");
}

// Maps that arrive with an in-page update (htmx filters) are drawn when they land.
function drawMaps(root) {
  root.querySelectorAll("[data-map]:not([data-drawn])").forEach(drawMap);
}

drawMaps(document);
document.body.addEventListener("htmx:afterSettle", () => drawMaps(document));
