// Trace explorer: j/k move through the trace list or the span tree, Enter opens the selection.
(() => {
  const rows = () => Array.from(document.querySelectorAll("#traces tr[data-href], #span-tree .span-row"));
  let index = -1;
  const select = (i) => {
    const all = rows();
    if (all.length === 0) return;
    index = Math.max(0, Math.min(all.length - 1, i));
    all.forEach((r) => r.classList.remove("kb-focus"));
    all[index].classList.add("kb-focus");
    all[index].scrollIntoView({ block: "nearest" });
  };
  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, textarea, select, [contenteditable]") || event.metaKey || event.ctrlKey) return;
    if (index < 0) {
      const current = rows().findIndex((r) => r.classList.contains("selected"));
      index = current;
    }
    if (event.key === "j") { select(index + 1); }
    else if (event.key === "k") { select(index - 1); }
    else if (event.key === "Enter" && index >= 0) {
      const row = rows()[index];
      const href = row.dataset.href || row.getAttribute("href");
      if (href) window.location.href = href;
    }
  });
  // Clicking anywhere on a trace row opens it.
  document.addEventListener("click", (event) => {
    const row = event.target.closest("#traces tr[data-href]");
    if (row && !event.target.closest("a")) window.location.href = row.dataset.href;
  });
})();

// The "Live refresh" checkbox applies at once (the rows then poll every 5 s through htmx).
document.addEventListener("change", (event) => {
  if (event.target.matches("#trace-filters input[type=checkbox][data-autosubmit]")) {
    event.target.form.requestSubmit();
  }
});
