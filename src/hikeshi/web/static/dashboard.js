// The dashboard chart: posts per bucket (negative stacked on the rest), the negative share as a line, and the
// signals as markers that open their detail page. The data comes from <script type="application/json">
// (written with Jinja's |tojson), never from inline code: the page's CSP allows scripts from 'self' only.
(function () {
  "use strict";
  var holder = document.getElementById("chart");
  var source = document.getElementById("chart-data");
  if (!holder || !source || typeof Plotly === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  // Plotly reads a few HTML tags in hover text; signal summaries quote posts, so show every character as text.
  function plain(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  function wrap(text, width) {
    var lines = [];
    for (var i = 0; i < text.length; i += width) {
      lines.push(text.slice(i, i + width));
    }
    return lines.join("<br>");
  }
  var severityColours = { 1: "#0369a1", 2: "#a16207", 3: "#c2410c", 4: "#b91c1c" };
  var top = Math.max.apply(null, data.posts.concat([1]));
  var traces = [
    {
      type: "bar", name: "否定的", x: data.x, y: data.negative, marker: { color: "#dc2626" },
      hovertemplate: "%{x}<br>否定的 %{y} 件<extra></extra>"
    },
    {
      type: "bar", name: "その他", x: data.x, y: data.other, marker: { color: "#a8a29e" },
      hovertemplate: "%{x}<br>その他 %{y} 件<extra></extra>"
    },
    {
      type: "scatter", mode: "lines", name: "否定的な割合", x: data.x, y: data.negative_share, yaxis: "y2",
      line: { color: "#7f1d1d", width: 1.5 }, connectgaps: false,
      hovertemplate: "%{x}<br>否定的な割合 %{y}%<extra></extra>"
    },
    {
      type: "scatter", mode: "markers", name: "シグナル",
      x: data.signals.map(function (s) { return s.x; }),
      y: data.signals.map(function () { return top * 1.08; }),
      marker: {
        symbol: "triangle-down", size: 13, line: { width: 1, color: "#fff" },
        color: data.signals.map(function (s) { return severityColours[s.severity] || "#57534e"; })
      },
      customdata: data.signals.map(function (s) { return s.kind + "/" + s.epoch; }),
      text: data.signals.map(function (s) {
        return "<b>" + plain(s.label) + "（深刻度 " + s.severity + "）</b><br>" + wrap(plain(s.summary), 40);
      }),
      hovertemplate: "%{x}<br>%{text}<extra></extra>"
    }
  ];
  var shapes = data.signals.filter(function (s) { return s.severity >= 3; }).map(function (s) {
    return {
      type: "line", xref: "x", yref: "paper", x0: s.x, x1: s.x, y0: 0, y1: 1,
      line: { color: severityColours[s.severity], width: 1, dash: "dot" }
    };
  });
  var layout = {
    barmode: "stack", bargap: 0.05, hovermode: "closest", shapes: shapes,
    margin: { l: 50, r: 55, t: 10, b: 40 },
    font: { family: "system-ui, 'Hiragino Sans', 'Noto Sans CJK JP', 'Noto Sans JP', sans-serif", size: 12 },
    legend: { orientation: "h", y: -0.15 },
    xaxis: { type: "date", tickformat: "%m/%d %H:%M", hoverformat: "%Y-%m-%d %H:%M" },
    yaxis: { title: { text: "投稿数" }, rangemode: "tozero", range: [0, top * 1.18] },
    yaxis2: {
      title: { text: "否定的な割合（%）" }, overlaying: "y", side: "right", range: [0, 105], showgrid: false,
      tickvals: [0, 25, 50, 75, 100], ticksuffix: "%"
    },
    paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff"
  };
  Plotly.newPlot(holder, traces, layout, { responsive: true, displaylogo: false }).then(function () {
    holder.setAttribute("data-rendered", "true");
  });
  holder.on("plotly_click", function (event) {
    var point = event.points && event.points[0];
    if (point && point.customdata) {
      window.location.href = holder.getAttribute("data-signal-base") + point.customdata;
    }
  });
})();
