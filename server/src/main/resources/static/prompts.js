// Prompt editor: add and remove messages, switch chat/text, and list the variables as you type.
// Variable detection mirrors PromptTemplate: names outside sections plus section names, in order.
(() => {
  if (window.sextantPromptEditor) { window.sextantPromptEditor.refresh(); return; }

  const TAG = /\{\{(\{?)\s*([#^\/!&>]?)\s*([^}]*?)\s*\}?\}\}/g;

  function variablesOf(template) {
    const names = [];
    let depth = 0;
    for (const match of template.matchAll(TAG)) {
      const sigil = match[2];
      const name = match[3].trim();
      if (sigil === "!" || sigil === ">" || name.startsWith("=")) continue;
      if (sigil === "/") { depth = Math.max(0, depth - 1); continue; }
      if (depth === 0 && name && name !== ".") names.push(name);
      if (sigil === "#" || sigil === "^") depth++;
    }
    return names;
  }

  function refresh() {
    const editor = document.getElementById("prompt-editor");
    const out = document.getElementById("variables");
    if (!editor || !out) return;
    const text = editor.querySelector("[data-prompt-type]").value === "text";
    const names = [];
    if (text) {
      names.push(...variablesOf(editor.querySelector("textarea[name=text]").value));
    } else {
      for (const row of editor.querySelectorAll("#messages .message-row")) {
        const content = row.querySelector("textarea").value;
        if (row.querySelector("[data-role]").value === "placeholder") {
          if (content.trim()) names.push(content.trim());
        } else {
          names.push(...variablesOf(content));
        }
      }
    }
    out.replaceChildren();
    const unique = [...new Set(names)];
    if (unique.length === 0) {
      const none = document.createElement("span");
      none.className = "muted";
      none.textContent = "none";
      out.append(none);
    }
    for (const name of unique) {
      const chip = document.createElement("code");
      chip.className = "var";
      chip.textContent = name;
      out.append(chip, " ");
    }
  }

  function styleRow(row) {
    const placeholder = row.querySelector("[data-role]").value === "placeholder";
    const area = row.querySelector("textarea");
    area.rows = placeholder ? 1 : Math.max(area.rows, 4);
    area.placeholder = placeholder ? "history" : "Message text with {{variables}}";
    row.classList.toggle("is-placeholder", placeholder);
  }

  document.addEventListener("input", (event) => {
    if (event.target.closest("#prompt-editor")) refresh();
  });

  document.addEventListener("change", (event) => {
    if (event.target.matches("[data-role]")) {
      styleRow(event.target.closest(".message-row"));
    } else if (event.target.matches("[data-prompt-type]")) {
      const text = event.target.value === "text";
      document.getElementById("chat-section").hidden = text;
      document.getElementById("text-section").hidden = !text;
    }
    if (event.target.closest("#prompt-editor")) refresh();
  });

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-add-message]")) {
      const template = document.getElementById("message-template");
      const row = template.content.firstElementChild.cloneNode(true);
      document.getElementById("messages").append(row);
      row.querySelector("textarea").focus();
      refresh();
    } else if (event.target.closest("[data-remove-message]")) {
      event.target.closest(".message-row").remove();
      refresh();
    }
  });

  window.sextantPromptEditor = { refresh, variablesOf };
  document.addEventListener("htmx:afterSettle", refresh);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", refresh);
  } else {
    refresh();
  }
})();
