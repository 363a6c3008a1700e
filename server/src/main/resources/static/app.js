// Small progressive enhancements; every page works without them.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.querySelector(button.dataset.copy);
  if (source && navigator.clipboard) {
    navigator.clipboard.writeText(source.textContent.trim()).then(() => {
      button.textContent = "Copied";
    });
  }
});

document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.requestSubmit();
  }
});

// Keyboard: "g" then a letter jumps between sections (t traces, p prompts, d datasets, e evaluators,
// x experiments, r review, m monitoring, s settings); "/" focuses the first search field.
(() => {
  const targets = { t: "Traces", p: "Prompts", d: "Datasets", e: "Evaluators", x: "Experiments",
                    r: "Review", m: "Monitoring", s: "Settings", l: "Playground" };
  let pendingG = false;
  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, textarea, select, [contenteditable]") || event.metaKey || event.ctrlKey) return;
    if (event.key === "/") {
      const search = document.querySelector("input[type=search], input[name=q]");
      if (search) { event.preventDefault(); search.focus(); }
      return;
    }
    if (pendingG && targets[event.key]) {
      const link = [...document.querySelectorAll(".mainnav a")].find((a) => a.textContent.trim() === targets[event.key]);
      if (link) link.click();
    }
    pendingG = event.key === "g";
  });
})();
