// Bar chart of a target's applicable / meeting units per child unit (data from json_script).
(function () {
  var el = document.getElementById("chart-data");
  var canvas = document.getElementById("target-chart");
  if (!el || !canvas || typeof Chart === "undefined") return;
  var d = JSON.parse(el.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: d.labels,
      datasets: [
        { label: d.label_applicable, data: d.applicable, backgroundColor: "#ced4da" },
        { label: d.label_met, data: d.met, backgroundColor: "#198754" }
      ]
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: d.labels.length > 8 ? "y" : "x",
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { beginAtZero: true, ticks: { precision: 0 } } }
    }
  });
})();
