// The editors' desk form (qili serve, /_qili/desk/): checks the unsaved text as the editor
// types (debounced), shows each finding next to its field, previews the page and posters, and
// saves. Plain script, no framework, nothing from another site.
(function () {
  "use strict";
  var form = document.getElementById("form");
  if (!form) return;
  var token = document.querySelector('meta[name="qili-token"]').content;
  var data = JSON.parse(document.getElementById("desk-data").textContent);
  var status = document.getElementById("status");
  var saveButton = document.getElementById("save");
  var reloadButton = document.getElementById("reload");
  var frame = document.getElementById("preview");
  var general = document.getElementById("general");
  var kind = form.dataset.kind;
  var file = form.dataset.file || null;
  var base = form.dataset.base || null;
  var selected = document.querySelector('[role="tab"][aria-selected="true"]');
  var tab = selected ? selected.dataset.preview : null;
  var seq = 0, timer = null, dirty = false, checks = 0;

  function say(text, kind) {
    status.textContent = text;
    status.className = kind || "";
  }

  function collect() {
    var fields = {}, lists = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) return;
      if (el.type === "checkbox" && el.dataset.list) {
        lists[el.name] = lists[el.name] || [];
        if (el.checked) lists[el.name].push(el.value);
      } else if (el.type === "checkbox") {
        fields[el.name] = el.checked ? "true" : "false";
      } else {
        fields[el.name] = el.value;
      }
    });
    Object.keys(lists).forEach(function (k) { fields[k] = lists[k].join(", "); });
    return fields;
  }

  function post(what, payload) {
    return fetch(data.desk + what, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Qili-Token": token },
      body: JSON.stringify(payload),
      credentials: "same-origin"
    }).then(function (r) {
      return r.json().then(function (body) { return { status: r.status, body: body }; });
    });
  }

  function line(cls, text) {
    var p = document.createElement("p");
    p.className = cls;
    p.textContent = text;
    return p;
  }

  function show(findings) {
    document.querySelectorAll(".findings").forEach(function (box) { box.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    var errors = 0, warnings = 0;
    findings.forEach(function (f) {
      var box = f.field && document.querySelector('.findings[data-for="' + CSS.escape(f.field) + '"]');
      var item = document.createElement("div");
      item.className = "finding " + f.severity;
      item.dataset.code = f.code;
      var head = document.createElement("p");
      var label = document.createElement("strong");
      label.textContent = (f.severity === "error" ? "错误 " : "提醒 ") + f.code;
      head.appendChild(label);
      head.appendChild(document.createTextNode(" " + f.message));
      item.appendChild(head);
      if (f.plain) item.appendChild(line("plain", f.plain));
      if (f.law) item.appendChild(line("law", "依据：" + f.law));
      if (f.hint) item.appendChild(line("hint", "怎么办：" + f.hint));
      (box || general).appendChild(item);
      if (f.severity === "error") errors++; else warnings++;
      if (f.field && f.severity === "error") {
        var input = form.querySelector('[name="' + CSS.escape(f.field) + '"]');
        if (input) input.setAttribute("aria-invalid", "true");
      }
    });
    var summary = errors || warnings
      ? "检查发现 " + errors + " 个错误、" + warnings + " 个提醒（写在对应的栏目下面）。"
      : "检查通过：没有发现问题。";
    general.insertBefore(line("summary " + (errors ? "bad" : "good"), summary), general.firstChild);
  }

  function check() {
    var my = ++seq;
    return post("check", { kind: kind, file: file, fields: collect(), preview: tab }).then(function (r) {
      if (my !== seq) return;
      if (r.status !== 200) {
        say(r.body.error || "检查失败（" + r.status + "）", "bad");
        return;
      }
      show(r.body.findings);
      if (!file) document.getElementById("where").textContent = "content/" + r.body.file + "（保存时）";
      frame.srcdoc = r.body.preview != null ? r.body.preview
        : "<p style=\"font:16px/1.5 sans-serif;padding:1em\">这个预览现在没有内容（草稿有错误，或这一课不给这类读者看）。</p>";
      document.body.dataset.checks = String(++checks);
    }).catch(function (e) {
      if (my === seq) say("连不上预览服务器：" + e, "bad");
    });
  }

  function schedule() {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  }

  // The 决议's meeting: only those that may decide this kind of matter in this village.
  function filterMeetings() {
    var select = form.querySelector('[name="steps.resolution.meeting"]');
    var village = form.querySelector('[name="village"]');
    var matter = form.querySelector('[name="kind"]');
    if (!select || !village || !matter) return;
    var allowed = (data.meetings[village.value] || {})[matter.value];
    Array.prototype.forEach.call(select.options, function (o) {
      if (!o.value) return;
      var ok = !allowed || allowed.length === 0 || allowed.indexOf(o.value) >= 0;
      o.hidden = !ok;
      o.disabled = !ok && !o.selected;
    });
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", function (e) {
    if (e.target.name === "village" || e.target.name === "kind") filterMeetings();
    schedule();
  });
  var title = form.querySelector('[name="title"]');
  if (title) title.addEventListener("input", function () {
    document.getElementById("doc-title").textContent = title.value || "新文件";
  });

  document.querySelectorAll('[role="tab"]').forEach(function (b) {
    b.addEventListener("click", function () {
      document.querySelectorAll('[role="tab"]').forEach(function (o) { o.setAttribute("aria-selected", "false"); });
      b.setAttribute("aria-selected", "true");
      tab = b.dataset.preview;
      check();
    });
  });
  document.getElementById("print").addEventListener("click", function () {
    if (frame.contentWindow) frame.contentWindow.print();
  });

  saveButton.addEventListener("click", function () {
    clearTimeout(timer);
    say("正在保存……");
    post("save", { kind: kind, file: file, base: base, fields: collect() }).then(function (r) {
      if (r.status === 200) {
        file = r.body.file;
        base = r.body.base;
        form.dataset.file = file;
        form.dataset.base = base;
        dirty = false;
        document.getElementById("where").textContent = "content/" + file;
        var keep = new URLSearchParams(location.search).get("token");
        history.replaceState(null, "", data.desk + "edit?file=" + encodeURIComponent(file) +
          (keep ? "&token=" + encodeURIComponent(keep) : ""));
        say(r.body.message + "。网站会自动更新。", "good");
        check();
      } else {
        say(r.body.error || "保存失败（" + r.status + "）", "bad");
        if (r.status === 409) reloadButton.hidden = false;
      }
    }).catch(function (e) { say("保存失败：连不上预览服务器（" + e + "）", "bad"); });
  });
  reloadButton.addEventListener("click", function () {
    dirty = false;
    location.reload();
  });
  window.addEventListener("beforeunload", function (e) {
    if (dirty) { e.preventDefault(); e.returnValue = ""; }
  });

  filterMeetings();
  check();
})();
