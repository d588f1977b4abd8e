// Durable Pipelines dashboard: plain JavaScript over the HTTP API (docs/api.md), no external assets.
"use strict";
(() => {
  const app = document.getElementById("app");
  const keyInput = document.getElementById("api-key");
  keyInput.value = localStorage.getItem("dp-api-key") || "";
  keyInput.addEventListener("change", () => { localStorage.setItem("dp-api-key", keyInput.value); route(); });
  let timer = null;
  let view = 0; // bumped by every navigation; a page's async work stops once it is no longer current

  async function api(path, options = {}) {
    const headers = Object.assign({ "Accept": "application/json" }, options.headers || {});
    if (keyInput.value) headers["x-functions-key"] = keyInput.value;
    const response = await fetch(path, Object.assign({}, options, { headers }));
    if (response.status === 401) document.getElementById("key-box").hidden = false;
    const text = await response.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; }
    catch { if (response.ok) throw new Error(`${path}: the answer is not JSON`); }
    if (!response.ok) {
      const errors = body && body.errors ? "\n" + body.errors.map(e => e.text).join("\n") : "";
      throw new Error(((body && (body.detail || body.title)) || `${response.status} ${response.statusText}`) + errors);
    }
    return body;
  }

  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    for (const c of children) node.append(c == null ? "" : c);
    return node;
  };
  const status = s => el("span", { class: "status " + s }, s);
  const when = t => t ? new Date(t).toLocaleString() : "";
  const duration = (a, b) => {
    if (!a) return "";
    const ms = (b ? new Date(b) : new Date()) - new Date(a);
    return ms < 1000 ? ms + " ms" : (ms / 1000).toFixed(1) + " s";
  };
  const short = v => v == null ? "" : (typeof v === "string" ? v : JSON.stringify(v));
  const active = s => s === "Pending" || s === "Running" || s === "Suspended";

  function schedule(mine, fn, ms) { if (mine === view) { clearTimeout(timer); timer = setTimeout(fn, ms); } }

  async function home(mine) {
    app.replaceChildren(document.getElementById("home").content.cloneNode(true));
    const select = document.getElementById("start-pipeline");
    const form = document.getElementById("start-form");
    try {
      const { pipelines } = await api("/api/pipelines");
      for (const p of pipelines) select.append(el("option", { value: p.name }, p.name));
    } catch (e) { document.getElementById("start-error").textContent = e.message; }
    form.addEventListener("submit", async event => {
      event.preventDefault();
      const error = document.getElementById("start-error");
      error.textContent = "";
      let input;
      try { input = JSON.parse(document.getElementById("start-input").value || "null"); }
      catch (e) { error.textContent = "input is not valid JSON: " + e.message; return; }
      const body = { input };
      const runId = document.getElementById("start-run-id").value.trim();
      if (runId) body.runId = runId;
      try {
        const started = await api("/api/pipelines/" + encodeURIComponent(select.value) + "/runs", {
          method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
        location.hash = "#/runs/" + encodeURIComponent(started.runId);
      } catch (e) { error.textContent = e.message; }
    });
    await refreshRuns(mine);
  }

  async function refreshRuns(mine) {
    const tbody = document.querySelector("#runs tbody");
    try {
      const { runs } = await api("/api/runs?top=50");
      if (mine !== view) return;
      if (!runs.length) { tbody.replaceChildren(el("tr", {}, el("td", { colspan: 5, class: "muted" }, "No runs yet: start one above."))); return; }
      tbody.replaceChildren(...runs.map(r => el("tr", { "data-run": r.runId },
        el("td", {}, el("a", { href: "#/runs/" + encodeURIComponent(r.runId) }, r.runId)),
        el("td", {}, r.pipeline), el("td", {}, status(r.status)), el("td", {}, when(r.createdAt)),
        el("td", {}, duration(r.startedAt, r.finishedAt)))));
      if (runs.some(r => active(r.status))) schedule(mine, () => refreshRuns(mine), 1000);
    } catch (e) { if (mine === view) tbody.replaceChildren(el("tr", {}, el("td", { colspan: 5, class: "error" }, e.message))); }
  }

  // Layers by longest path from the roots; every task of the pipeline is drawn whether it ran or not.
  let dags = 0;
  function drawDag(graph, executions) {
    const arrow = "arrow-" + (++dags);
    const byName = new Map(graph.nodes.map(n => [n.name, n]));
    const layer = new Map();
    const depth = name => {
      if (layer.has(name)) return layer.get(name);
      layer.set(name, 0);
      const d = Math.max(0, ...byName.get(name).parents.map(p => depth(p) + 1));
      layer.set(name, d);
      return d;
    };
    graph.nodes.forEach(n => depth(n.name));
    const rows = [];
    for (const n of graph.nodes) (rows[layer.get(n.name)] ||= []).push(n.name);
    const W = 170, H = 44, GX = 30, GY = 40;
    const width = Math.max(...rows.map(r => r.length)) * (W + GX) + GX;
    const height = rows.length * (H + GY);
    const pos = new Map();
    rows.forEach((names, y) => names.forEach((name, x) => pos.set(name, { x: GX + x * (W + GX), y: GY / 2 + y * (H + GY) })));
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "dag");
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    svg.innerHTML = '<defs><marker id="' + arrow + '" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#8c959f"/></marker></defs>';
    for (const e of graph.edges) {
      const a = pos.get(e.from), b = pos.get(e.to);
      const path = document.createElementNS(ns, "path");
      path.setAttribute("marker-end", `url(#${arrow})`);
      path.setAttribute("d", `M${a.x + W / 2},${a.y + H} C${a.x + W / 2},${a.y + H + GY / 2} ${b.x + W / 2},${b.y - GY / 2} ${b.x + W / 2},${b.y}`);
      svg.append(path);
    }
    for (const n of graph.nodes) {
      const exec = executions.find(t => t.task === n.name) || { status: "Pending", taskResults: [] };
      const counts = exec.taskResults.reduce((c, r) => (c[r.status] = (c[r.status] || 0) + 1, c), {});
      const g = document.createElementNS(ns, "g");
      g.setAttribute("class", "task " + exec.status);
      g.setAttribute("data-task", n.name);
      g.setAttribute("data-status", exec.status);
      const p = pos.get(n.name);
      const label = exec.taskResults.length ? `${counts.Succeeded || 0}/${exec.taskResults.length} ok` + (counts.Failed ? `, ${counts.Failed} failed` : "") : exec.status;
      g.innerHTML = `<title></title><rect x="${p.x}" y="${p.y}" width="${W}" height="${H}"></rect>` +
        `<text x="${p.x + W / 2}" y="${p.y + 15}"></text><text x="${p.x + W / 2}" y="${p.y + 32}" class="muted"></text>`;
      g.querySelector("title").textContent = `${n.name} (${n.handler})${n.iterator ? " for each " + n.iterator : ""}: ${exec.status}`;
      g.querySelectorAll("text")[0].textContent = n.name;
      g.querySelectorAll("text")[1].textContent = label;
      svg.append(g);
    }
    return svg;
  }

  async function runPage(runId, mine) {
    app.replaceChildren(document.getElementById("run").content.cloneNode(true));
    document.getElementById("run-id").textContent = runId;
    // Operator actions: each is a POST on the run (docs/api.md); the next refresh shows what it did.
    const runPath = "/api/runs/" + encodeURIComponent(runId);
    const done = text => { document.getElementById("action-done").textContent = text; document.getElementById("run-error").textContent = ""; };
    const failed = e => { document.getElementById("action-done").textContent = ""; document.getElementById("run-error").textContent = e.message; };
    const post = (path, body) => api(path, body === undefined ? { method: "POST" }
      : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const buttons = {};
    for (const action of ["cancel", "suspend", "resume"]) {
      buttons[action] = document.getElementById(action + "-button");
      buttons[action].addEventListener("click", async () => {
        try { await post(runPath + "/" + action); done(action + " sent"); }
        catch (e) { failed(e); }
      });
    }
    buttons.rerun = document.getElementById("rerun-button");
    buttons.rerun.addEventListener("click", async () => {
      try { const started = await post(runPath + "/rerun"); location.hash = "#/runs/" + encodeURIComponent(started.runId); }
      catch (e) { failed(e); }
    });
    // An event for the run's 'wait' results: the names its wait tasks give are offered, any name may be sent.
    document.getElementById("event-form").addEventListener("submit", async event => {
      event.preventDefault();
      const name = document.getElementById("event-name").value.trim();
      let body;
      try { body = JSON.parse(document.getElementById("event-body").value || "null"); }
      catch (e) { failed(new Error("the event body is not valid JSON: " + e.message)); return; }
      try { await post(runPath + "/events/" + encodeURIComponent(name), body); done(`event ${name} sent`); }
      catch (e) { failed(e); }
    });
    // Retry, skip or fail a result that waits for an operator, with the optional body and name above the table.
    document.getElementById("waiting").addEventListener("click", async event => {
      const button = event.target.closest("button[data-action]");
      if (!button) return;
      const row = button.closest("tr");
      let body = {};
      const text = document.getElementById("repair-body").value.trim();
      try { if (text) body = JSON.parse(text); }
      catch (e) { failed(new Error("the body is not valid JSON: " + e.message)); return; }
      const by = document.getElementById("repair-by").value.trim();
      if (by) body.by = by;
      const action = button.dataset.action;
      try {
        await post(`${runPath}/results/${row.dataset.result.split("/").map(encodeURIComponent).join("/")}/${action}`, body);
        done(`${action} of ${row.dataset.result} sent`);
      } catch (e) { failed(e); }
    });
    let graph = null;
    let definition = null;
    const refresh = async () => {
      if (mine !== view) return;
      try {
        const run = await api(runPath);
        if (!graph) ({ graph, definition } = await api("/api/pipelines/" + encodeURIComponent(run.pipeline)));
        const log = await api(runPath + "/log");
        if (mine !== view) return;
        render(run, graph, log.rows);
        renderOperator(run, definition);
        buttons.cancel.hidden = !active(run.status);
        buttons.suspend.hidden = !active(run.status) || run.status === "Suspended";
        buttons.resume.hidden = run.status !== "Suspended";
        buttons.rerun.hidden = active(run.status);
        if (active(run.status)) schedule(mine, refresh, 1000);
      } catch (e) {
        if (mine !== view) return;
        document.getElementById("run-error").textContent = e.message;
        schedule(mine, refresh, 2000);
      }
    };
    await refresh();
  }

  // What an operator can act on while the run goes: the results waiting for one, and the events its wait tasks name.
  function renderOperator(run, definition) {
    const p = run.progress;
    const waiting = active(run.status) && p && p.waiting ? p.waiting : [];
    document.getElementById("waiting-box").hidden = !waiting.length;
    document.getElementById("waiting-count").textContent = p && p.waitingCount ? String(p.waitingCount) : "";
    const tbody = document.querySelector("#waiting tbody");
    const shown = JSON.stringify(waiting);
    if (tbody.dataset.shown !== shown) {
      tbody.dataset.shown = shown;
      tbody.replaceChildren(...waiting.map(w => el("tr", { "data-result": `${w.pipelineResult}/${w.task}/${w.taskResult}` },
        el("td", {}, w.pipelineResult), el("td", {}, w.task), el("td", {}, w.taskResult), el("td", {}, w.attempts),
        el("td", {}, when(w.since)), el("td", {}, when(w.until)), el("td", { class: "error" }, w.error ? w.error.message : ""),
        el("td", {}, ...["retry", "skip", "fail"].map(a => el("button", { type: "button", "data-action": a }, a[0].toUpperCase() + a.slice(1)))))));
    }
    const gates = definition ? definition.tasks.filter(t => t.handler === "wait" && t.config && t.config.event).map(t => t.config.event) : [];
    document.getElementById("event-box").hidden = !active(run.status) || !gates.length;
    const names = document.getElementById("event-names");
    if (names.dataset.shown !== gates.join("\n")) {
      names.dataset.shown = gates.join("\n");
      names.replaceChildren(...[...new Set(gates)].map(g => el("option", { value: g })));
      const input = document.getElementById("event-name");
      if (!input.value && gates.length) input.value = gates[0];
    }
  }

  function render(run, graph, rows) {
    const s = document.getElementById("run-status");
    s.className = "status " + run.status;
    s.textContent = run.status;
    document.getElementById("run-summary").textContent =
      `${run.pipeline} v${run.version} on ${run.runner}; created ${when(run.createdAt)}; ${duration(run.startedAt, run.finishedAt)}`;
    document.getElementById("run-error").textContent = run.error ? run.error.message : "";
    // While a run goes, its stored record has no results yet: the engine's progress (custom status) says how far it
    // got, and which tasks are running now.
    const p = run.progress;
    const counts = c => `${c.succeeded} succeeded, ${c.running} running, ${c.failed} failed, ${c.cancelled} cancelled of ${c.total}`;
    document.getElementById("run-progress").textContent = p ? `Tasks: ${counts(p.tasks)}. Results: ${counts(p.results)}.` +
      (p.failures.length ? " Latest failures: " + p.failures.join("; ") : "") : "";
    // A running task with a result waiting for an operator shows as Waiting.
    const waitingTasks = new Set(p && p.waiting ? p.waiting.map(w => w.task) : []);
    const live = p ? p.runningTasks.map(task => ({ task, status: waitingTasks.has(task) ? "Waiting" : "Running", taskResults: [] })) : [];
    const results = document.getElementById("results");
    const items = run.pipelineResults.length ? run.pipelineResults : [{ index: 0, item: null, status: run.status, taskExecutions: live }];
    results.replaceChildren(...items.map(r => el("div", { class: "pipeline-result", "data-index": r.index },
      el("h3", {}, items.length > 1 || r.item != null ? `Item ${r.index}: ${short(r.item)} ` : "Tasks ", status(r.status)),
      drawDag(graph, r.taskExecutions))));
    const trs = [];
    for (const r of run.pipelineResults) for (const t of r.taskExecutions) {
      if (t.error && !t.taskResults.length) trs.push(el("tr", { class: t.status }, el("td", {}, short(r.item)), el("td", {}, t.task), el("td"), el("td", {}, status(t.status)), el("td"), el("td"), el("td", { class: "error" }, t.error.message)));
      for (const x of t.taskResults) trs.push(el("tr", { class: x.status, "data-task": t.task },
        el("td", {}, short(r.item)), el("td", {}, t.task), el("td", {}, x.index), el("td", {}, status(x.status)),
        el("td", {}, x.attempts), el("td", {}, duration(x.startedAt, x.finishedAt)), el("td", { class: "error" }, x.error ? x.error.message : "")));
    }
    document.querySelector("#task-results tbody").replaceChildren(...trs);
    document.querySelector("#run-log tbody").replaceChildren(...rows.slice(-500).map(x => el("tr", {},
      el("td", {}, new Date(x.time).toLocaleTimeString()), el("td", {}, x.pipelineResult ?? ""), el("td", {}, x.task ?? ""),
      el("td", {}, x.taskResult ?? ""), el("td", {}, x.attempt ?? ""), el("td", {}, x.action + (x.by ? " by " + x.by : "")), el("td", { class: "error" }, x.error ? x.error.message : ""))));
  }

  function route() {
    clearTimeout(timer);
    const mine = ++view;
    const match = location.hash.match(/^#\/runs\/(.+)$/);
    if (match) runPage(decodeURIComponent(match[1]), mine); else home(mine);
  }
  window.addEventListener("hashchange", route);
  route();
})();
