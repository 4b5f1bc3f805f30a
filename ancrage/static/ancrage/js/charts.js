// Draws every chart of the page from its Vega-Lite spec (the same spec vl-convert renders for
// the reports). Expressions run through vega-interpreter: no eval(), so the CSP stays strict.
document.querySelectorAll("[data-chart]").forEach((element) => {
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
  }).then(() => element.setAttribute("data-drawn", "true"));
});
