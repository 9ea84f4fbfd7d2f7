// Charts drawn with the vendored Chart.js from data the page carries in
// <script type="application/json"> tags (Django's json_script): no inline script, as the
// Content-Security-Policy requires. Each <canvas data-chart="ID"> reads the JSON of the
// element with that id, written by crewplan/planning/budget/charts.py:
//   {type, labels, datasets: [{label, data: ["1234.50", …]}], stacked, xTitle, yTitle,
//    currency, symbol, decimals}
// Amounts are written as the tables write them (lib/money.py): the symbol the page uses for
// the currency (NT$), then the number with thousands separators; Intl's currency style
// would say "$" for TWD in zh-TW.
// Amounts arrive as decimal strings; they become numbers only for drawing. Every figure is
// also in a table on the page, so nothing is lost without JavaScript.
(() => {
  const PALETTE = ["#2f6f8f", "#d97706", "#2e7d32", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#b7950b"];
  // Line charts of the ROI page: conservative, expected, optimistic.
  const SCENARIO_COLOURS = ["#d97706", "#2f6f8f", "#2e7d32"];

  const draw = (canvas) => {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") return;
    Chart.getChart(canvas)?.destroy();
    const spec = JSON.parse(source.textContent);
    const language = document.documentElement.lang || undefined;
    const number = new Intl.NumberFormat(language, {
      maximumFractionDigits: spec.decimals,
      minimumFractionDigits: spec.decimals,
    });
    const money = { format: (value) => `${value < 0 ? "-" : ""}${spec.symbol}${number.format(Math.abs(value))}` };
    const line = spec.type === "line";
    const colours = line && spec.datasets.length === 3 ? SCENARIO_COLOURS : PALETTE;
    const datasets = spec.datasets.map((set, index) => {
      const colour = colours[index % colours.length];
      return {
        label: set.label,
        data: set.data.map((value) => (value === null ? null : Number(value))),
        borderColor: colour,
        backgroundColor: line ? colour : `${colour}cc`,
        borderWidth: line ? 2 : 0,
        pointRadius: line && set.data.length > 36 ? 0 : 2,
        tension: 0,
      };
    });
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets },
      options: {
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: {
          tooltip: {
            callbacks: { label: (item) => `${item.dataset.label}: ${money.format(item.parsed.y)}` },
          },
        },
        scales: {
          x: { stacked: spec.stacked, title: { display: true, text: spec.xTitle } },
          y: {
            stacked: spec.stacked,
            title: { display: true, text: spec.yTitle },
            ticks: { callback: (value) => money.format(value) },
          },
        },
      },
    });
  };

  const drawWithin = (root) => {
    if (root.matches?.("canvas[data-chart]")) draw(root);
    root.querySelectorAll?.("canvas[data-chart]").forEach(draw);
  };

  document.addEventListener("DOMContentLoaded", () => drawWithin(document));
  // htmx replaces the ROI results as the form is typed in: free the old charts, draw the new.
  document.addEventListener("htmx:beforeSwap", (event) => {
    if (typeof Chart === "undefined") return;
    event.detail.target?.querySelectorAll("canvas[data-chart]").forEach((canvas) => Chart.getChart(canvas)?.destroy());
  });
  document.addEventListener("htmx:load", (event) => drawWithin(event.detail.elt));
})();
