// Horizontal bar chart of a cluster's ranking totals (data from json_script "ranking-data").
(function () {
  var el = document.getElementById("ranking-data");
  var canvas = document.getElementById("ranking-chart");
  if (!el || !canvas || typeof Chart === "undefined") return;
  var d = JSON.parse(el.textContent);
  new Chart(canvas, {
    type: "bar",
    data: { labels: d.labels, datasets: [{ label: d.label, data: d.totals, backgroundColor: "#0d6efd" }] },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true } }
    }
  });
})();
