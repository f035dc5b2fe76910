// Live lint of the statement editor: as the text changes, ask /api/statements/lint (debounced) and redraw the
// lint panel the server rendered (the level, the text with each finding in a <mark>, the reasons and fixes, the
// sections and the negative-list hits). The statement is the user's text: it only ever reaches the page as text
// nodes (textContent, createTextNode), never through innerHTML. Offsets from the server count code points
// (Python string indices), so the text is cut with Array.from, not by UTF-16 units.
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  var textarea = document.getElementById("statement-text");
  var labelsNode = document.getElementById("lint-labels");
  if (!textarea || !labelsNode || textarea.readOnly || !textarea.getAttribute("data-lint-url")) {
    return;
  }
  var labels = JSON.parse(labelsNode.textContent);
  var DELAY_MS = 450;
  var timer = null;
  var sequence = 0;
  var controller = null;

  function byId(id) { return document.getElementById(id); }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
  }

  function setState(message) {
    var state = byId("lint-state");
    if (state) { state.textContent = message; }
  }

  function categoryLabel(category) {
    return labels.categories[category] || category;
  }

  function renderLevel(level) {
    var holder = byId("lint-level");
    clear(holder);
    var badge = element("span", "badge big " + (labels.level_classes[level] || ""), labels.levels[level] || level);
    badge.setAttribute("data-level", level);
    holder.appendChild(badge);
  }

  // The text cut at every finding boundary; each piece knows the findings (1-based) that cover it.
  function segments(text, findings) {
    var chars = Array.from(text);
    var length = chars.length;
    var spans = findings.map(function (finding, index) {
      return {
        start: Math.min(Math.max(finding.start, 0), length),
        end: Math.min(Math.max(finding.end, 0), length),
        number: index + 1,
        severity: finding.severity
      };
    });
    var cuts = [0, length];
    spans.forEach(function (span) { cuts.push(span.start, span.end); });
    cuts = cuts.filter(function (value, index, all) { return all.indexOf(value) === index; });
    cuts.sort(function (a, b) { return a - b; });
    var pieces = [];
    for (var i = 0; i + 1 < cuts.length; i += 1) {
      var left = cuts[i];
      var right = cuts[i + 1];
      if (left >= right) { continue; }
      var covering = spans.filter(function (span) { return span.start <= left && right <= span.end; });
      pieces.push({
        text: chars.slice(left, right).join(""),
        numbers: covering.map(function (span) { return span.number; }),
        severity: covering.reduce(function (most, span) { return Math.max(most, span.severity); }, 0)
      });
    }
    return pieces;
  }

  function renderText(text, findings) {
    var holder = byId("lint-text");
    clear(holder);
    segments(text, findings).forEach(function (piece) {
      if (!piece.numbers.length) {
        holder.appendChild(document.createTextNode(piece.text));
        return;
      }
      var mark = element("mark", "sev-" + piece.severity);
      mark.setAttribute("data-findings", piece.numbers.join(","));
      mark.title = piece.numbers.map(function (number) {
        return number + ". " + categoryLabel(findings[number - 1].category);
      }).join(" / ");
      mark.appendChild(document.createTextNode(piece.text));
      mark.appendChild(element("sup", null, piece.numbers.join(",")));
      holder.appendChild(mark);
    });
    // Bring the first finding into the panel's view: the text is long and scrolls inside its box.
    var first = holder.querySelector("mark");
    holder.scrollTop = first ? Math.max(first.offsetTop - holder.offsetTop - 48, 0) : 0;
  }

  function renderFindings(findings) {
    var list = byId("lint-findings");
    clear(list);
    findings.forEach(function (finding) {
      var item = element("li", "finding sev-" + finding.severity);
      var badgeClass = { 1: "level-1", 2: "level-2", 3: "level-4" }[finding.severity] || "";
      item.appendChild(element("span", "badge " + badgeClass, labels.severities[String(finding.severity)]));
      item.appendChild(document.createTextNode(" "));
      item.appendChild(element("strong", null, categoryLabel(finding.category)));
      item.appendChild(document.createTextNode(" "));
      var excerpt = element("span", "excerpt", "「");
      excerpt.appendChild(element("bdi", null, finding.excerpt));
      excerpt.appendChild(document.createTextNode("」"));
      item.appendChild(excerpt);
      item.appendChild(element("p", null, "理由: " + finding.reason));
      if (finding.suggestion) {
        item.appendChild(element("p", "suggestion", "直し方: " + finding.suggestion));
      }
      list.appendChild(item);
    });
    byId("lint-no-findings").hidden = findings.length > 0;
  }

  function sectionLabel(key) {
    var found = labels.sections.filter(function (pair) { return pair[0] === key; })[0];
    return found ? found[1] : key;
  }

  function renderSections(sections, missing) {
    var list = byId("lint-sections");
    clear(list);
    labels.sections.forEach(function (pair) {
      var key = pair[0];
      var present = Boolean(sections[key]);
      var required = missing.indexOf(key) >= 0;
      var item = element("li", present ? "present" : (required ? "missing" : "absent"));
      item.setAttribute("data-section", key);
      item.textContent = (present ? "✔" : (required ? "✖" : "－")) + " " + pair[1];
      list.appendChild(item);
    });
    var line = byId("lint-missing");
    clear(line);
    line.hidden = missing.length === 0;
    if (missing.length) {
      line.appendChild(document.createTextNode("この種類に足りない項目: "));
      line.appendChild(element("strong", null, missing.map(sectionLabel).join("・")));
    }
  }

  function renderNegative(findings) {
    var list = byId("lint-negative");
    clear(list);
    var hits = findings.filter(function (finding) { return finding.category === labels.negative; });
    hits.forEach(function (finding) {
      var item = element("li", null, "「");
      item.appendChild(element("bdi", null, finding.excerpt));
      item.appendChild(document.createTextNode("」 " + finding.reason));
      list.appendChild(item);
    });
    byId("lint-no-negative").hidden = hits.length > 0;
  }

  function render(text, result) {
    renderLevel(result.level);
    renderText(text, result.findings);
    renderFindings(result.findings);
    renderSections(result.sections, result.missing);
    renderNegative(result.findings);
    var note = byId("lint-checked");
    if (note) { note.hidden = true; }
    var now = new Date();
    var time = [now.getHours(), now.getMinutes(), now.getSeconds()].map(function (part) {
      return String(part).padStart(2, "0");
    }).join(":");
    setState("入力中の本文をチェックしました（" + time + "、未保存）");
    byId("lint-panel").setAttribute("data-linted", String(sequence));
  }

  function lint() {
    var text = textarea.value;
    if (!text.trim()) {
      setState("本文が空です。");
      return;
    }
    sequence += 1;
    var mine = sequence;
    if (controller) { controller.abort(); }
    controller = typeof AbortController === "function" ? new AbortController() : null;
    var body = { text: text, kind: textarea.getAttribute("data-kind") || null };
    var facts = textarea.getAttribute("data-facts");
    if (facts) { body.facts = Number(facts); }
    setState("チェックしています…");
    fetch(textarea.getAttribute("data-lint-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRF-Token": textarea.getAttribute("data-csrf") || ""
      },
      body: JSON.stringify(body),
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      return response.json().then(function (payload) { return { ok: response.ok, payload: payload }; });
    }).then(function (answer) {
      if (mine !== sequence) { return; }
      if (!answer.ok) {
        setState("チェックできませんでした: " + (answer.payload.detail || "不明なエラー"));
        return;
      }
      render(text, answer.payload);
    }).catch(function (error) {
      if (error && error.name === "AbortError") { return; }
      if (mine === sequence) { setState("チェックできませんでした（通信エラー）。保存するとサーバーでチェックします。"); }
    });
  }

  textarea.addEventListener("input", function () {
    if (timer) { clearTimeout(timer); }
    setState("入力中…");
    timer = setTimeout(lint, DELAY_MS);
  });
})();
