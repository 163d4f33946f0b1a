// The explorer page: it only wires the controls to the server's API. Every number,
// table and picture comes from the server (the engine and the renderers of --html).
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const tableKeys = ["projection", "heads", "multihead", "d-out", "seed", "causal", "positions"];
  const modelFlags = ["lens", "no-positions"];
  const viewKeys = ["head", "precision", "focus", "explain"];
  let catalogue = { tables: [], models: [] };
  let edited = null;        // an edited copy of the current table, or null
  let original = null;      // the current table's own JSON
  let latest = 0;           // the number of the newest request; older answers are dropped
  let timer = null;
  let awaiting = false;     // a report asked for and not yet answered

  function source() {
    const [kind, name] = $("source").value.split(":");
    return { kind: kind, name: name };
  }

  // The options of the current view, key → value, as the command line names them.
  function options() {
    const o = [["sentence", $("sentence").value]];
    const s = source();
    if (s.kind === "model") {
      o.push(["model", s.name]);
      if ($("layer").value) o.push(["layer", $("layer").value]);
      if ($("snapshot").value) o.push(["snapshot", $("snapshot").value]);
      if ($("top").value !== "" && $("top").value !== $("top").defaultValue) o.push(["top", $("top").value]);
      if ($("temperature").value !== $("temperature").defaultValue) o.push(["temperature", $("temperature").value]);
      for (const key of modelFlags) if ($(key).checked) o.push([key, "true"]);
    } else {
      o.push(["table", s.name]);
      for (const key of tableKeys) {
        const el = $(key);
        if (el.type === "checkbox") { if (el.checked) o.push([key, "true"]); }
        else if (el.tagName === "SELECT") { if (el.selectedIndex !== 0) o.push([key, el.value]); }
        else if (el.value !== "" && el.value !== el.defaultValue) o.push([key, el.value]);
      }
    }
    for (const key of viewKeys) {
      const el = $(key);
      if (el.type === "checkbox") { if (el.checked) o.push([key, "true"]); }
      else if (el.value !== "" && !(el.type === "number" && el.value === el.defaultValue)) o.push([key, el.value]);
    }
    const ticked = [...document.querySelectorAll("#stages input:checked")].map((el) => el.value);
    if (ticked.length) o.push(["stages", ticked.join(",")]);
    if (s.kind === "model" && $("layer").value === "all") return o.filter(([k]) => !["head", "focus", "stages"].includes(k));
    return o;
  }

  const query = (o) => o.map(([k, v]) => encodeURIComponent(k) + "=" + encodeURIComponent(v)).join("&");

  // The same run as a command line (a table's file named by its bundled name).
  function commandLine(o) {
    const quote = (t) => "'" + t.replace(/'/g, "'\\''") + "'";
    const parts = ["attn-explain"];
    let sentence = "";
    for (const [k, v] of o) {
      if (k === "sentence") sentence = v;
      else if (k === "table") { if (v !== "default") parts.push("-e", v + ".json"); }
      else if (v === "true") parts.push("--" + k);
      else parts.push("--" + k, quote(v));
    }
    return parts.concat(edited ? ["(on the edited table)"] : [], [quote(sentence)]).join(" ");
  }

  function ask(product, o) {
    if (edited && source().kind === "table") {
      const body = { options: Object.fromEntries(o.filter(([k]) => k !== "table")), table: edited };
      return fetch("/api/" + product, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    }
    return fetch("/api/" + product + "?" + query(o));
  }

  function setStatus(text, isError) {
    $("status").textContent = text;
    $("status").className = isError ? "error" : "";
  }

  async function recompute() {
    const number = ++latest;
    const o = options();
    history.replaceState(null, "", "?" + query(o.filter(([k]) => k !== "table" || source().kind === "table")));
    $("command").textContent = commandLine(o);
    setStatus("computing…", false);
    awaiting = true;
    try {
      const answer = await ask("report", o);
      const text = await answer.text();
      if (number === latest) awaiting = false;
      if (number !== latest) return;
      if (!answer.ok) {
        let message = text;
        try { message = JSON.parse(text).error; } catch (e) { /* not JSON: shown as it is */ }
        setStatus(message, true);
        return;
      }
      setStatus("", false);
      showReport(text);
      setDownloads(o);
      showHeads(o, number);
      editorOptions = source().kind === "table" ? o : null;
      if (editorOptions && $("editor").open) fillEditor(editorOptions);
    } catch (e) {
      if (number === latest) {
        awaiting = false;
        setStatus("the server did not answer: " + e.message, true);
      }
    }
  }

  // The report in the frame: the first one loaded as a page, each later one put in place of
  // its body and bound by the page's own script (report.js's attnReportInit), which is ten
  // times faster than loading a page again. window.attnReportText is the report shown.
  function showReport(text) {
    const frame = $("report");
    const win = frame.contentWindow;
    window.attnReportText = text;
    if (!win || !win.attnReportInit || frame.contentDocument.readyState !== "complete") {
      frame.srcdoc = text;
      return;
    }
    const page = new DOMParser().parseFromString(text, "text/html");
    const doc = frame.contentDocument;
    doc.title = page.title;
    doc.body.replaceWith(doc.adoptNode(page.body));
    win.attnReportInit();
    wireReport();
  }

  // Every head in one picture, when the run has more than one; a click on a head's
  // name hides or shows its lines.
  async function showHeads(o, number) {
    const figure = $("head-view");
    const allLayers = source().kind === "model" && $("layer").value === "all";
    const model = catalogue.models.find((m) => m.name === source().name);
    const asked = source().kind === "model" ? (model ? model.heads : 1) : Number($("heads").value) || 1;
    const answer = allLayers || asked < 2 ? null : await ask("heads", o);  // one head: no picture to ask for
    if (number !== latest) return;
    const svg = answer && answer.ok ? await answer.text() : "";
    const picture = $("head-view-picture");
    picture.innerHTML = svg;
    const heads = picture.querySelectorAll("g.head").length;
    figure.hidden = heads < 2;
    picture.querySelectorAll("g.legend").forEach((legend) => {
      legend.addEventListener("click", () => {
        const group = picture.querySelector(`g.head[data-head="${legend.dataset.head}"]`);
        const off = group.style.display !== "none";
        group.style.display = off ? "none" : "";
        legend.classList.toggle("off", off);
      });
    });
  }

  // Keypress to redraw, in ms (the Performance API): from the last input to the report's load.
  let typedAt = null;
  window.attnRedrawTimes = [];

  // A change is sent at once when no answer is awaited; while one is, changes wait 50 ms for
  // the next (the newest wins: older answers are dropped).
  function later() {
    typedAt = performance.now();
    clearTimeout(timer);
    timer = setTimeout(recompute, awaiting ? 50 : 0);
  }

  async function setDownloads(o) {
    for (const [product, id, type] of [["trace", "download-trace"], ["svg", "download-svg"], ["report", "download-report"]]) {
      const link = $(id);
      if (!edited) { link.href = "/api/" + product + "?" + query(o); continue; }
      link.href = "#";
      link.onclick = async (event) => {
        event.preventDefault();
        const blob = await (await ask(product, o)).blob();
        const url = URL.createObjectURL(blob);
        const a = document.createElement("a");
        a.href = url; a.download = link.download; a.click();
        URL.revokeObjectURL(url);
      };
    }
  }

  // The sentence's vectors and the weights, one input per number.
  // The editor's grids are filled when it is open (and when it opens): filling them asks for the
  // trace, which a keypress with the editor closed does not wait for.
  let editorOptions = null;

  async function fillEditor(o) {
    if (!original) return;
    const answer = await ask("trace", o);
    if (!answer.ok) return;
    const trace = await answer.json();
    const table = edited || original;
    const body = $("editor-body");
    body.textContent = "";
    const keyOf = (token) => token in table.vectors ? token
      : Object.keys(table.vectors).find((w) => w.toLowerCase() === token.toLowerCase());
    const dims = table.dimensions || table.vectors[Object.keys(table.vectors)[0]].map((_, i) => "d" + i);
    const rows = [];
    trace.tokens.forEach((t) => { const k = keyOf(t); if (k !== undefined && !rows.includes(k)) rows.push(k); });
    body.appendChild(grid("The sentence's vectors (X)", rows, dims, (r, c) => table.vectors[r][c], (r, c, v) => { table.vectors[r][c] = v; }));
    if (table.weights) {
      for (const name of ["W_query", "W_key", "W_value"]) {
        const w = table.weights[name];
        body.appendChild(grid(name, dims, w[0].map((_, i) => String(i + 1)), (r, c) => w[dims.indexOf(r)][c],
          (r, c, v) => { w[dims.indexOf(r)][c] = v; }));
      }
    }
  }

  function grid(title, rows, cols, get, set) {
    const t = document.createElement("table");
    t.createCaption().textContent = title;
    const head = t.insertRow();
    head.appendChild(document.createElement("th"));
    for (const c of cols) head.appendChild(Object.assign(document.createElement("th"), { textContent: c }));
    for (const r of rows) {
      const row = t.insertRow();
      row.appendChild(Object.assign(document.createElement("th"), { textContent: r }));
      cols.forEach((_, c) => {
        const input = Object.assign(document.createElement("input"), { type: "number", step: "0.1", value: get(r, c) });
        input.dataset.row = r;
        input.dataset.col = c;
        input.addEventListener("input", () => {
          const v = Number(input.value);
          if (input.value === "" || !Number.isFinite(v)) return;
          if (!edited) edited = JSON.parse(JSON.stringify(original));
          set(r, c, v);
          input.classList.add("changed");
          later();
        });
        row.insertCell().appendChild(input);
      });
    }
    return t;
  }

  async function loadTable() {
    edited = null;
    original = null;
    $("editor-body").textContent = "";
    if (source().kind !== "table") return;
    const answer = await fetch("/api/table?name=" + encodeURIComponent(source().name));
    if (answer.ok) original = await answer.json();
  }

  function fillLayers() {
    const s = source();
    const model = catalogue.models.find((m) => m.name === s.name);
    $("table-options").hidden = s.kind === "model";
    $("model-options").hidden = s.kind !== "model";
    $("editor").hidden = s.kind === "model";
    const layer = $("layer");
    const keep = layer.value;
    layer.textContent = "";
    const snapshot = $("snapshot");
    const step = snapshot.value;
    snapshot.length = 1;
    for (const s of (model && model.snapshots) || []) snapshot.add(new Option("step " + s, String(s)));
    if ([...snapshot.options].some((opt) => opt.value === step)) snapshot.value = step;
    $("snapshot-label").hidden = snapshot.length < 2;
    if (model) {
      for (let l = 1; l <= model.layers; ++l) layer.add(new Option(String(l), String(l)));
      layer.add(new Option("all (every head)", "all"));
      if ([...layer.options].some((opt) => opt.value === keep)) layer.value = keep;
    }
    const heads = model ? model.heads : Number($("heads").value) || 1;
    const head = $("head");
    const chosen = head.value;
    head.textContent = "";
    head.add(new Option("every head", ""));
    for (let h = 1; h <= heads; ++h) head.add(new Option(String(h), String(h)));
    if ([...head.options].some((opt) => opt.value === chosen)) head.value = chosen;
  }

  // In the --layer all grid, a click on a head's thumbnail opens that head.
  function wireReport() {
    if (typedAt !== null) {
      const from = typedAt;  // the time to the next frame, once the new body is laid out
      requestAnimationFrame(() => window.attnRedrawTimes.push(performance.now() - from));
      typedAt = null;
    }
    const doc = $("report").contentDocument;
    if (!doc) return;
    doc.querySelectorAll("table.grid tbody tr").forEach((tr, l) => {
      tr.querySelectorAll("td").forEach((td, h) => {
        td.style.cursor = "pointer";
        td.title = "open layer " + (l + 1) + ", head " + (h + 1);
        td.addEventListener("click", () => {
          $("layer").value = String(l + 1);
          $("head").value = String(h + 1);
          recompute();
        });
      });
    });
  }

  // The state the URL holds, put into the controls.
  function fromUrl() {
    const params = new URLSearchParams(location.search);
    for (const [key, value] of params) {
      if (key === "table" || key === "model") { $("source").value = key + ":" + value; continue; }
      if (key === "stages") {
        const names = value.split(",");
        document.querySelectorAll("#stages input").forEach((box) => { box.checked = names.includes(box.value); });
        continue;
      }
      const el = $(key);
      if (!el) continue;
      if (el.type === "checkbox") el.checked = value === "true";
      else if (el.tagName === "SELECT" && ![...el.options].some((o) => o.value === value)) el.add(new Option(value, value));
      if (el.type !== "checkbox") el.value = value;
    }
  }

  async function start() {
    // Enter in a box recomputes as typing does; it never sends the form anywhere.
    $("controls").addEventListener("submit", (event) => event.preventDefault());
    catalogue = await (await fetch("/api/catalogue")).json();
    for (const t of catalogue.tables) $("source").add(new Option("table: " + t.name, "table:" + t.name));
    for (const m of catalogue.models) $("source").add(new Option("model: " + m.name + " (" + m.layers + " × " + m.heads + ")", "model:" + m.name));
    for (const name of catalogue.stages) {
      const box = Object.assign(document.createElement("input"), { type: "checkbox", value: name });
      const label = document.createElement("label");
      label.append(box, " " + name);
      $("stages").appendChild(label);
    }
    $("source").value = "table:default";
    fromUrl();
    fillLayers();
    fromUrl();
    $("temperature-value").value = $("temperature").value;
    await loadTable();
    $("report").addEventListener("load", wireReport);
    $("controls").addEventListener("input", (event) => {
      if (event.target.id === "source") return;
      if (event.target.id === "heads") fillLayers();
      $("temperature-value").value = $("temperature").value;
      later();
    });
    $("source").addEventListener("change", async () => { fillLayers(); await loadTable(); recompute(); });
    $("reset-table").addEventListener("click", () => { edited = null; recompute(); });
    $("editor").addEventListener("toggle", () => { if ($("editor").open && editorOptions) fillEditor(editorOptions); });
    recompute();
  }

  start();
})();
