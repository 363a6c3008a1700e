// Evaluator editor: show the fields of the chosen kind, fill examples from the library, build rubrics.
// Loaded again on boosted navigation, so it installs its listeners only once.
(() => {
  if (window.sextantEvaluatorsLoaded) return;
  window.sextantEvaluatorsLoaded = true;

  const show = (el, visible) => { el.hidden = !visible; };

  function sync() {
    const form = document.getElementById("evaluator-form");
    if (!form) return;
    const kind = form.elements.kind.value;
    form.querySelectorAll("[data-kind]").forEach((el) => show(el, el.dataset.kind.split(" ").includes(kind)));
    const mode = form.querySelector("input[name=codeMode]:checked");
    form.querySelectorAll("[data-mode]").forEach((el) => show(el, mode && el.dataset.mode === mode.value));
    const out = form.elements.outType.value;
    form.querySelectorAll("[data-out]").forEach((el) => show(el, el.dataset.out === out));
    form.querySelectorAll(".ev-question").forEach((row) => {
      const type = row.querySelector("select[name=q_type]").value;
      row.querySelectorAll("[data-qtype]").forEach((el) => show(el, el.dataset.qtype === type));
    });
    const builtin = document.getElementById("ev-builtin");
    const summary = document.getElementById("ev-builtin-summary");
    if (builtin && summary) summary.textContent = builtin.selectedOptions[0]?.dataset.summary || "";
  }

  document.addEventListener("change", (event) => {
    const target = event.target;
    if (!target.closest("#evaluator-form")) return;
    if (target.id === "ev-builtin") {
      document.getElementById("ev-params").value = target.selectedOptions[0].dataset.example || "{}";
    }
    if (target.id === "ev-preset" && target.value) {
      document.getElementById("ev-template").value = target.selectedOptions[0].dataset.template || "";
    }
    sync();
  });

  document.addEventListener("click", (event) => {
    if (event.target.id === "ev-add-question") {
      const template = document.getElementById("ev-question-template");
      document.getElementById("ev-questions").appendChild(template.content.cloneNode(true));
      sync();
    }
    if (event.target.matches("[data-remove-question]")) {
      const rows = document.querySelectorAll("#ev-questions .ev-question");
      if (rows.length > 1) event.target.closest(".ev-question").remove();
    }
  });

  document.addEventListener("DOMContentLoaded", sync);
  document.addEventListener("htmx:load", sync);
  sync();
})();
