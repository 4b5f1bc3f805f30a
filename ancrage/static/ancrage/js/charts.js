// Draws every chart of the page from its Vega-Lite spec (the same spec vl-convert renders for
// the reports). Expressions run through vega-interpreter: no eval(), so the CSP stays strict.
// Charts that arrive with an in-page update (htmx filters) are drawn when they land.
function drawCharts(root) {
  root.querySelectorAll("[data-chart]:not([data-drawn])").forEach(drawChart);
}

// A chart no wider than its column: on a phone or a tablet the whole drawing (axes and legend
// included) fits the width available, with axis labels shortened to leave room for the bars.
function fitToContainer(spec, element) {
  const available = Math.floor(element.getBoundingClientRect().width);
  if (!available || typeof spec.width !== "number" || available >= spec.width + 360) return spec;
  spec.width = available;
  spec.autosize = { type: "fit-x", contains: "padding", resize: true };
  if (spec.height === 420 && spec.projection) spec.height = Math.round(available * 0.8);
  const axis = ((spec.config = spec.config || {}).axis = spec.config.axis || {});
  axis.labelLimit = Math.max(80, Math.round(available * 0.4));
  // Fewer value ticks on a narrow chart, so that « 1 000 » and « 2 000 » never overlap.
  spec.config.axisQuantitative = Object.assign({}, spec.config.axisQuantitative, {
    tickCount: Math.max(2, Math.floor(available / 110)),
    labelOverlap: true,
  });
  return spec;
}

// The drawn chart saved as an image (vega's own export, no server round trip): the links are
// shown once the chart is drawn.
function enableExports(key, view) {
  document.querySelectorAll(`[data-export][data-for="${key}"]`).forEach((link) => {
    link.hidden = false;
    link.addEventListener("click", async (event) => {
      if (link.dataset.ready) return;
      event.preventDefault();
      const format = link.dataset.export;
      link.href = await view.toImageURL(format, format === "png" ? 2 : 1);
      link.dataset.ready = "true";
      link.click();
    });
  });
}

function drawChart(element) {
  const source = document.getElementById(element.dataset.chart);
  if (!source || !window.vegaEmbed) return;
  const spec = fitToContainer(JSON.parse(source.textContent), element);
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
  }).then((result) => {
    enableExports(element.dataset.chart, result.view);
    // The chart's name is on its container (role="img") and its values in the table beside:
    // the drawing itself is hidden from assistive technologies.
    element.querySelectorAll("svg").forEach((svg) => svg.setAttribute("aria-hidden", "true"));
    element.setAttribute("data-drawn", "true");
  });
}

drawCharts(document);
document.body.addEventListener("htmx:afterSettle", () => drawCharts(document));
