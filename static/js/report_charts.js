// Roll-up charts: completion by child unit (stacked bars) and an indicator's trend (line).
(function () {
  if (typeof Chart === "undefined") return;
  var c = document.getElementById("completion-data");
  var cc = document.getElementById("completion-chart");
  if (c && cc) {
    var d = JSON.parse(c.textContent);
    new Chart(cc, {
      type: "bar",
      data: {
        labels: d.labels,
        datasets: [
          { label: d.names[0], data: d.submitted, backgroundColor: "#0d6efd" },
          { label: d.names[1], data: d.accepted, backgroundColor: "#198754" },
          { label: d.names[2], data: d.missing, backgroundColor: "#dc3545" }
        ]
      },
      options: { responsive: true, maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } }
    });
  }
  var t = document.getElementById("trend-data");
  var tc = document.getElementById("trend-chart");
  if (t && tc) {
    var e = JSON.parse(t.textContent);
    new Chart(tc, {
      type: "line",
      data: { labels: e.labels, datasets: [{ label: e.label, data: e.values, borderColor: "#0d6efd", tension: 0.2 }] },
      options: { responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } }
    });
  }
})();
