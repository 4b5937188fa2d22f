// The CX dashboard's trend chart (Chart.js). The same figures are in the table beside it,
// which is what screen readers use; the canvas is hidden from them.
(function () {
  var data = document.getElementById("cx-trend-data");
  var canvas = document.getElementById("cx-trend");
  if (!data || !canvas || !window.Chart) return;
  var d = JSON.parse(data.textContent);
  new window.Chart(canvas, {
    type: "line",
    data: {labels: d.labels, datasets: [
      {label: d.title_satisfaction, data: d.satisfaction, borderColor: "#005ea2", backgroundColor: "#005ea2", spanGaps: true},
      {label: d.title_trust, data: d.trust, borderColor: "#c05600", backgroundColor: "#c05600", borderDash: [6, 3], spanGaps: true}
    ]},
    options: {animation: false, scales: {y: {min: 0, max: 100}}, plugins: {legend: {position: "bottom"}}}
  });
})();
