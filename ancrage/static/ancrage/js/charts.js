// Draws every chart of the page from its Vega-Lite spec (the same spec vl-convert renders for
// the reports). Expressions run through vega-interpreter: no eval(), so the CSP stays strict.
// Charts that arrive with an in-page update (htmx filters) are drawn when they land.
function drawCharts(root) {
  root.querySelectorAll("[data-chart]:not([data-drawn])").forEach(drawChart);
}

function drawChart(element) {
  const source = document.getElementById(element.dataset.chart);
  if (!source || !window.vegaEmbed) return;
  const spec = JSON.parse(source.textContent);
  window.vegaEmbed(element, spec, {
    actions: false,
    defaultStyle: false, // no injected <style>: the CSP allows only the app's stylesheets
    renderer: "svg",
    tooltip: false, // vega-tooltip injects a <style>; the data table beside gives the values
    ast: true,
    expr: window.vegaInterpreter,
    formatLocale: {
      decimal: ",", thousands: "\u202f", grouping: [3], currency: ["", "\u00a0€"], percent: "\u202f%",
    },
  }).then(() => {
    // The chart's name is on its container (role="img") and its values in the table beside:
    // the drawing itself is hidden from assistive technologies.
    element.querySelectorAll("svg").forEach((svg) => svg.setAttribute("aria-hidden", "true"));
    element.setAttribute("data-drawn", "true");
  });
}

drawCharts(document);
document.body.addEventListener("htmx:afterSettle", () => drawCharts(document));
