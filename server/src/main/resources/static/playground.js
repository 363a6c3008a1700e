// Playground: edit messages with {{variables}}, compare up to 4 variants, stream each run.
// Everything model- or user-provided is put into the page with textContent, never as HTML.
(() => {
  const root = document.getElementById("playground");
  if (!root || root.dataset.ready) return;
  root.dataset.ready = "1";

  const MAX_VARIANTS = 4;
  const VAR = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;
  const state = JSON.parse(root.dataset.state || "{}");
  const providers = JSON.parse(root.dataset.providers || "[\"sim\"]");
  const canRun = root.dataset.canRun === "true";
  const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");

  let messages = (state.messages && state.messages.length ? state.messages
    : [{ role: "system", content: "" }, { role: "user", content: "" }]).map((m) => ({ ...m }));
  const values = { ...(state.variables || {}) };
  const baseModel = state.model || { provider: "sim", name: "sim-1" };
  let variants = (state.variants && state.variants.length ? state.variants : [{ model: baseModel }])
    .slice(0, MAX_VARIANTS).map((v) => ({ ...v, model: { ...baseModel, ...(v.model || {}) } }));

  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : v);
    }
    children.flat().forEach((c) => node.append(c));
    return node;
  };

  const toolsBox = document.getElementById("pg-tools");
  if (state.tools && state.tools.length) {
    toolsBox.value = JSON.stringify(state.tools, null, 2);
    toolsBox.closest("details").open = true;
  }
  if (state.recordedOutput != null) {
    document.getElementById("pg-recorded").hidden = false;
    document.getElementById("pg-recorded-text").textContent = state.recordedOutput;
  }

  // ---- messages -------------------------------------------------------------------------------
  function highlighted(text) {
    const out = el("div", { class: "pg-preview", "aria-hidden": "true" });
    let last = 0;
    for (const m of text.matchAll(VAR)) {
      out.append(text.slice(last, m.index), el("mark", { class: "pg-var", text: m[0] }));
      last = m.index + m[0].length;
    }
    out.append(text.slice(last));
    return out;
  }

  function renderMessages() {
    const list = document.getElementById("pg-messages");
    list.replaceChildren(...messages.map((m, i) => {
      let preview = highlighted(m.content || "");
      const area = el("textarea", {
        rows: Math.min(12, Math.max(2, (m.content || "").split("\n").length + 1)), "aria-label": `Message ${i + 1}`,
        placeholder: m.role === "system" ? "System instructions, e.g. You are a support assistant for {{product}}."
          : "Message, e.g. {{question}}",
        oninput: (e) => {
          m.content = e.target.value;
          const next = highlighted(m.content);
          preview.replaceWith(next);
          preview = next;
          renderVariables();
        },
      });
      area.value = m.content || "";
      const role = el("select", { "aria-label": "Role", onchange: (e) => { m.role = e.target.value; } },
        ...["system", "user", "assistant", "tool"].map((r) => el("option", { value: r, selected: r === m.role, text: r })));
      return el("div", { class: "pg-msg" },
        el("div", { class: "row" }, role,
          m.toolCalls && m.toolCalls.length ? el("span", { class: "badge", text: `${m.toolCalls.length} tool call(s)` }) : "",
          el("button", { type: "button", class: "link danger", text: "Remove", onclick: () => { messages.splice(i, 1); renderAll(); } })),
        area, preview);
    }));
  }

  function variableNames() {
    const names = new Set();
    const texts = messages.map((m) => m.content || "");
    variants.forEach((v) => (v.messages || []).forEach((m) => texts.push(m.content || "")));
    texts.forEach((t) => { for (const m of t.matchAll(VAR)) names.add(m[1]); });
    return [...names];
  }

  function renderVariables() {
    const box = document.getElementById("pg-variables");
    const names = variableNames();
    if (!names.length) {
      box.replaceChildren(el("p", { class: "muted small" }, "No variables yet. Type ", el("code", { text: "{{name}}" }), " in a message."));
      return;
    }
    const existing = new Map([...box.querySelectorAll("textarea[data-var]")].map((t) => [t.dataset.var, t]));
    box.replaceChildren(...names.map((name) => {
      const input = existing.get(name) || el("textarea", {
        rows: 2, "data-var": name, "aria-label": `Value of ${name}`,
        oninput: (e) => { values[name] = e.target.value; },
      });
      if (!existing.has(name)) input.value = values[name] || "";
      return el("label", { class: "pg-varfield" }, el("mark", { class: "pg-var", text: name }), input);
    }));
  }

  // ---- variants -------------------------------------------------------------------------------
  function renderVariants() {
    const box = document.getElementById("pg-variants");
    box.style.setProperty("--pg-columns", variants.length);
    box.replaceChildren(...variants.map((v, i) => {
      v.label = v.label || String.fromCharCode(65 + i);
      const num = (key, attrs) => el("input", {
        type: "number", ...attrs, value: v.model[key] ?? "", "aria-label": `${key} of variant ${v.label}`,
        oninput: (e) => { v.model[key] = e.target.value === "" ? null : Number(e.target.value); },
      });
      const provider = el("select", { "aria-label": `Provider of variant ${v.label}`, onchange: (e) => { v.model.provider = e.target.value; } },
        ...[...new Set([...providers, v.model.provider])].filter(Boolean)
          .map((p) => el("option", { value: p, selected: p === v.model.provider, text: p })));
      const model = el("input", { list: "pg-models", value: v.model.name || "", "aria-label": `Model of variant ${v.label}`,
        oninput: (e) => { v.model.name = e.target.value.trim(); } });
      v.ui = {
        output: el("pre", { class: "pg-output", "aria-live": "polite" }),
        stats: el("div", { class: "pg-stats muted small" }),
        diff: el("div", { class: "pg-diff", hidden: true }),
        save: el("div", { class: "pg-save", hidden: true }),
      };
      return el("section", { class: "pg-variant", "data-variant": v.label },
        el("div", { class: "row pg-variant-head" },
          el("strong", { text: `Variant ${v.label}` }),
          v.messages ? el("span", { class: "badge", title: "This variant sends its own messages", text: v.prompt ? `${v.prompt.name} v${v.prompt.version}` : "own messages" }) : "",
          canRun ? el("button", { type: "button", class: "link", text: "Save as prompt version", "aria-label": `Save variant ${v.label} as a prompt version`, onclick: () => toggleSave(v) }) : "",
          variants.length > 1 ? el("button", { type: "button", class: "link danger", text: "Remove", onclick: () => { variants.splice(i, 1); renderAll(); } }) : ""),
        el("div", { class: "pg-config" },
          el("label", {}, "Provider", provider),
          el("label", {}, "Model", model),
          el("label", {}, "Temperature", num("temperature", { min: 0, max: 2, step: 0.1 })),
          el("label", {}, "Max tokens", num("maxTokens", { min: 1, step: 1 })),
          el("label", {}, "Response", responseFormat(v))),
        v.ui.save, v.ui.output, v.ui.stats, v.ui.diff);
    }));
    document.getElementById("pg-add-variant").disabled = variants.length >= MAX_VARIANTS;
  }

  /** Text or JSON mode; a JSON schema brought in by the initial state is kept and offered as such. */
  function responseFormat(v) {
    const current = v.model.responseFormat;
    const options = [["text", "text"], ["json", "JSON"]];
    if (current && current.type === "json_schema") options.push(["json_schema", `JSON schema ${current.name || ""}`.trim()]);
    const schema = current && current.type === "json_schema" ? current : null;
    return el("select", {
      "aria-label": `Response format of variant ${v.label}`,
      onchange: (e) => {
        v.model.responseFormat = e.target.value === "text" ? null : e.target.value === "json" ? { type: "json" } : schema;
      },
    }, ...options.map(([value, label]) => el("option", { value, text: label, selected: (current ? current.type : "text") === value })));
  }

  // ---- saving a variant as a prompt version (POST /api/prompts) ---------------------------------
  function toggleSave(v) {
    const box = v.ui.save;
    if (!box.hidden) { box.hidden = true; return; }
    const name = el("input", { value: (v.prompt || state.prompt || {}).name || "", placeholder: "prompt name, e.g. support/answer",
      "aria-label": `Prompt name for variant ${v.label}`, required: true });
    const message = el("input", { placeholder: "what changed", "aria-label": `Commit message for variant ${v.label}` });
    const status = el("p", { class: "small", role: "status" });
    const save = el("button", { type: "button", class: "secondary", text: "Save version", onclick: async () => {
      status.textContent = "saving…";
      try {
        const response = await fetch("/api/prompts", {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-Sextant-Project": root.dataset.project, ...headers },
          body: JSON.stringify(promptOf(v, name.value.trim(), message.value.trim())),
        });
        const json = await response.json().catch(() => ({}));
        if (!response.ok) { status.textContent = `${json.error?.code || "error"}: ${json.error?.message || response.status}`; return; }
        const href = `/p/${root.dataset.project}/prompts/${json.name}?version=${json.version}`;
        status.replaceChildren(response.status === 201 ? "Saved as " : "Unchanged: identical to ",
          el("a", { href, text: `${json.name} v${json.version}` }));
      } catch (e) {
        status.textContent = `error: ${e.message}`;
      }
    } });
    box.replaceChildren(el("div", { class: "row wrap" }, name, message, save), status);
    box.hidden = false;
    name.focus();
  }

  /** The variant as prompt content: its messages (unrendered), model parameters and tools. */
  function promptOf(v, name, commitMessage) {
    const m = v.model;
    const format = !m.responseFormat ? null : m.responseFormat.type === "json" ? { type: "json_object" }
      : { type: "json_schema", jsonSchema: { name: m.responseFormat.name, schema: m.responseFormat.schema } };
    let toolDefs = [];
    try { toolDefs = tools(); } catch (e) { toolDefs = []; }
    return {
      name, commitMessage,
      messages: (v.messages || messages).filter((x) => ["system", "user", "assistant"].includes(x.role))
        .map((x) => ({ role: x.role, content: x.content || "" })),
      model: { provider: m.provider, name: m.name, temperature: m.temperature ?? null, maxTokens: m.maxTokens ?? null,
        topP: m.topP ?? null, stop: m.stop && m.stop.length ? m.stop : null, seed: m.seed ?? null, responseFormat: format },
      tools: toolDefs.length ? toolDefs : null,
    };
  }

  function renderAll() {
    renderMessages();
    renderVariables();
    renderVariants();
  }

  // ---- running --------------------------------------------------------------------------------
  function tools() {
    const text = toolsBox.value.trim();
    if (!text) return [];
    const parsed = JSON.parse(text);
    if (!Array.isArray(parsed)) throw new Error("Tools must be a JSON array");
    return parsed;
  }

  function showResult(v, body) {
    const r = body.result;
    if ((!r.text || !r.text.length) && r.toolCalls.length) {
      v.ui.output.textContent = r.toolCalls.map((c) => `→ ${c.name}(${c.arguments})`).join("\n");
    } else {
      v.ui.output.textContent = r.text || "";
    }
    const cost = r.costUsd == null ? "cost unknown" : `$${r.costUsd.toFixed(6)}`;
    v.ui.stats.textContent = `${r.usage.inputTokens} in · ${r.usage.outputTokens} out tokens · ${cost} · ${r.latencyMs} ms`
      + (r.attempts > 1 ? ` · ${r.attempts} attempts` : "");
    if (body.diff) {
      v.ui.diff.hidden = false;
      v.ui.diff.replaceChildren(el("div", { class: "muted small", text: "Diff against the recorded output" }),
        el("div", { class: "pg-diff-text" }, ...body.diff.map((s) => s.op === "equal" ? document.createTextNode(s.text)
          : el(s.op === "insert" ? "ins" : "del", { text: s.text }))));
    }
  }

  function showError(v, error) {
    v.ui.output.replaceChildren(el("span", { class: "danger", text: `${error.code || "error"}: ${error.message}` }));
  }

  async function runVariant(v, toolDefs) {
    v.ui.output.textContent = "";
    v.ui.stats.textContent = "running…";
    v.ui.diff.hidden = true;
    const body = {
      messages: v.messages || messages, variables: values, model: v.model, tools: toolDefs,
      prompt: v.prompt || state.prompt || null, recordedOutput: state.recordedOutput ?? null,
    };
    try {
      const response = await fetch("/api/playground/run/stream", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Sextant-Project": root.dataset.project, ...headers },
        body: JSON.stringify(body),
      });
      if (!response.ok || !response.body) {
        const json = await response.json().catch(() => ({}));
        showError(v, json.error || { message: `HTTP ${response.status}` });
        v.ui.stats.textContent = "";
        return;
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const raw = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(raw)?.[1];
          const data = JSON.parse(/^data: (.*)$/m.exec(raw)?.[1] || "null");
          if (event === "token") v.ui.output.textContent += data.text;
          else if (event === "result") showResult(v, data);
          else if (event === "error") { showError(v, data); v.ui.stats.textContent = ""; }
        }
      }
    } catch (e) {
      showError(v, { message: e.message });
      v.ui.stats.textContent = "";
    }
  }

  function runAll() {
    if (!canRun) return;
    let toolDefs;
    try {
      toolDefs = tools();
    } catch (e) {
      variants.forEach((v) => showError(v, { code: "invalid_tools", message: e.message }));
      return;
    }
    const button = document.getElementById("pg-run");
    button.disabled = true;
    Promise.all(variants.map((v) => runVariant(v, toolDefs))).finally(() => { button.disabled = false; });
  }

  document.getElementById("pg-add-message").addEventListener("click", () => {
    const lastRole = messages.length ? messages[messages.length - 1].role : "assistant";
    messages.push({ role: lastRole === "user" ? "assistant" : "user", content: "" });
    renderAll();
  });
  document.getElementById("pg-add-variant").addEventListener("click", () => {
    if (variants.length >= MAX_VARIANTS) return;
    const last = variants[variants.length - 1];
    variants.push({ model: { ...last.model } });
    renderVariants();
  });
  // ---- agent replay ---------------------------------------------------------------------------
  const agentRun = state.agentRun;
  if (agentRun && agentRun.steps && agentRun.steps.length) {
    document.getElementById("pg-agent").hidden = false;
    const select = document.getElementById("pg-agent-step");
    agentRun.steps.forEach((step, i) => {
      const last = step.messages.length ? step.messages[step.messages.length - 1] : { role: "", content: "" };
      const preview = `${last.role}: ${(last.content || "").slice(0, 60)}`;
      select.append(el("option", { value: i, text: `${i + 1} · ${step.model ? step.model.name : "?"} · ${preview}` }));
    });
    const replayButton = document.getElementById("pg-agent-run");
    if (replayButton) replayButton.addEventListener("click", replayAgent);
  }

  function describeOutput(result) {
    if (result.text) return result.text;
    return result.toolCalls.map((c) => `→ ${c.name}(${c.arguments})`).join("\n");
  }

  async function replayAgent() {
    const box = document.getElementById("pg-agent-steps");
    box.replaceChildren(el("p", { class: "muted small", text: "replaying…" }));
    const body = {
      run: agentRun, step: Number(document.getElementById("pg-agent-step").value),
      model: document.getElementById("pg-agent-model").value === "variant" ? variants[0].model : null,
      continueLoop: document.getElementById("pg-agent-continue").checked, maxSteps: 5,
    };
    const response = await fetch("/api/playground/agent-replay", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Sextant-Project": root.dataset.project, ...headers },
      body: JSON.stringify(body),
    });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) {
      box.replaceChildren(el("p", { class: "danger", text: `${json.error?.code || "error"}: ${json.error?.message || response.status}` }));
      return;
    }
    const reasons = {
      final_answer: "The model gave a final answer.", unresolved_tool_call: "Stopped: a tool call has no recorded result.",
      max_steps: "Stopped after the maximum number of steps.", single_step: "Replayed one step.",
    };
    box.replaceChildren(...json.steps.map((step) => el("div", { class: "pg-agent-step" },
      el("div", { class: "row" }, el("strong", { text: `Replayed call ${step.number}` }),
        el("span", { class: "muted small", text: `${step.result.usage.inputTokens} in · ${step.result.usage.outputTokens} out · ${step.result.latencyMs} ms` })),
      el("pre", { class: "pg-output", text: describeOutput(step.result) }),
      step.diff ? el("div", { class: "pg-diff" }, el("div", { class: "muted small", text: "Diff against the recorded output" }),
        el("div", { class: "pg-diff-text" }, ...step.diff.map((d) => d.op === "equal" ? document.createTextNode(d.text)
          : el(d.op === "insert" ? "ins" : "del", { text: d.text })))) : "",
      ...step.toolCalls.map((t) => el("div", { class: t.resolved ? "pg-tool resolved" : "pg-tool unresolved" },
        el("span", { class: t.resolved ? "badge ok" : "badge bad", text: t.resolved ? "recorded result" : "unresolved" }),
        el("code", { text: ` ${t.call.name}(${t.call.arguments})` }),
        t.resolved ? el("div", { class: "small muted", text: `→ ${t.result}` })
          : el("div", { class: "small danger", text: "No recorded tool result matches this call; it was not answered." }))))),
      el("p", { class: "muted", id: "pg-agent-stop", text: reasons[json.stopReason] || json.stopReason }),
      el("p", { class: "small" }, el("a", { id: "pg-agent-trace",
        href: `/p/${encodeURIComponent(root.dataset.project)}/traces/${encodeURIComponent(json.traceId)}`,
        text: "Open this replay's trace" })));
  }

  const runButton = document.getElementById("pg-run");
  if (runButton) runButton.addEventListener("click", runAll);
  root.closest("main").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); runAll(); }
  });
  renderAll();
})();
