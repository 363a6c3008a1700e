// Datasets: "select all" and the bulk-delete button. Loaded once even when htmx re-runs page scripts.
(() => {
  if (window.sextantDatasets) return;
  window.sextantDatasets = true;

  const refresh = () => {
    const button = document.getElementById("delete-selected");
    if (!button) return;
    const checked = document.querySelectorAll("input.select-item:checked").length;
    button.disabled = checked === 0;
    button.textContent = checked === 0 ? "Delete selected" : `Delete ${checked} selected`;
  };

  document.addEventListener("change", (event) => {
    if (event.target.id === "select-all") {
      document.querySelectorAll("input.select-item").forEach((box) => { box.checked = event.target.checked; });
    }
    if (event.target.id === "select-all" || event.target.matches("input.select-item")) refresh();
  });
  document.addEventListener("htmx:afterSettle", refresh);
})();
