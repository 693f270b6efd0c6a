/* goodstanding web UI behaviour: charts from embedded Vega-Lite specs, uploads with progress.
   No inline script is needed (the pages work under a strict Content-Security-Policy). */
(function () {
  "use strict";

  function embedCharts(root) {
    if (typeof vegaEmbed === "undefined") { return; }
    root.querySelectorAll("[data-chart]:not([data-embedded])").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chart"));
      if (!source) { return; }
      el.setAttribute("data-embedded", "1");
      var spec = JSON.parse(source.textContent);
      var options = { actions: false, renderer: "svg", defaultStyle: false };
      if (typeof vegaExpressionInterpreter !== "undefined") {
        options.ast = true;
        options.expr = vegaExpressionInterpreter;
      }
      vegaEmbed(el, spec, options).then(function () {
        el.setAttribute("data-rendered", "1");
      }).catch(function (error) {
        el.textContent = String(error);
        el.setAttribute("data-rendered", "error");
      });
    });
  }

  function setupUpload(form) {
    var zone = form.querySelector(".dropzone");
    var input = form.querySelector("input[type=file]");
    var bar = form.querySelector("progress");
    var status = form.querySelector("[data-upload-status]");
    var target = document.getElementById(form.getAttribute("data-result"));
    var list = form.querySelector("[data-file-list]");
    function showFiles() {
      if (!list) { return; }
      list.textContent = Array.prototype.map.call(input.files, function (f) { return f.name; }).join(", ");
    }
    if (zone) {
      ["dragenter", "dragover"].forEach(function (name) {
        zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("over"); });
      });
      ["dragleave", "drop"].forEach(function (name) {
        zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.remove("over"); });
      });
      zone.addEventListener("drop", function (event) {
        if (event.dataTransfer && event.dataTransfer.files.length) {
          input.files = event.dataTransfer.files;
          showFiles();
        }
      });
      zone.addEventListener("click", function (event) {
        if (event.target === zone) { input.click(); }
      });
    }
    input.addEventListener("change", showFiles);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("HX-Request", "true");
      if (bar) { bar.value = 0; bar.hidden = false; }
      request.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable && bar) { bar.value = Math.round((e.loaded / e.total) * 100); }
      });
      request.upload.addEventListener("load", function () {
        if (status) { status.textContent = status.getAttribute("data-importing") || ""; }
      });
      request.addEventListener("load", function () {
        if (bar) { bar.value = 100; }
        if (status) { status.textContent = ""; }
        if (target) {
          target.innerHTML = request.responseText;
          if (typeof htmx !== "undefined") { htmx.process(target); }
        }
      });
      request.addEventListener("error", function () {
        if (status) { status.textContent = status.getAttribute("data-failed") || "error"; }
      });
      request.send(new FormData(form));
    });
  }

  function setupStepper(form) {
    var steps = form.querySelectorAll("[data-step]");
    var tabs = document.querySelectorAll("[data-step-tab]");
    function go(number) {
      steps.forEach(function (step) {
        step.classList.toggle("current", step.getAttribute("data-step") === String(number));
      });
      tabs.forEach(function (tab) {
        tab.classList.toggle("current", tab.getAttribute("data-step-tab") === String(number));
      });
      window.scrollTo(0, 0);
    }
    form.classList.add("js");
    form.querySelectorAll("[data-step-go]").forEach(function (button) {
      button.addEventListener("click", function () { go(button.getAttribute("data-step-go")); });
    });
    tabs.forEach(function (tab) {
      tab.addEventListener("click", function () { go(tab.getAttribute("data-step-tab")); });
    });
    go(1);
  }

  function setupMirror(input) {
    var source = document.getElementById(input.getAttribute("data-mirror"));
    if (!source || !input.form) { return; }
    input.form.addEventListener("submit", function () { input.value = source.value; });
  }

  function setup(root) {
    root.querySelectorAll("form[data-stepper]:not([data-ready])").forEach(function (form) {
      form.setAttribute("data-ready", "1");
      setupStepper(form);
    });
    root.querySelectorAll("input[data-mirror]:not([data-ready])").forEach(function (input) {
      input.setAttribute("data-ready", "1");
      setupMirror(input);
    });
    embedCharts(root);
    root.querySelectorAll("form[data-upload]:not([data-ready])").forEach(function (form) {
      form.setAttribute("data-ready", "1");
      setupUpload(form);
    });
    root.querySelectorAll("select[data-autosubmit]:not([data-ready])").forEach(function (select) {
      select.setAttribute("data-ready", "1");
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { setup(document); });
  document.addEventListener("htmx:afterSettle", function (event) { setup(event.target); });
})();
