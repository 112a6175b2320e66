/*
 * chainrule's static page: a student types an expression and its values (the command line's grammar)
 * and sees the graph and the backward pass step by step (the player), a quiz checked in the page,
 * the explanation as math and the generated Python. chainrule itself runs in worker.js (Pyodide).
 *
 * API, for the tests and for a teacher who embeds the page:
 *   window.chainrule.ready                  a Promise, resolved when the engine has loaded
 *   await window.chainrule.run(expr, {x: 2})   exactly what `chainrule explain EXPR x=2 --json` prints,
 *                                            as an object (bad input: {error: "<one line>"}); also shows it.
 *                                            A third argument {seconds: 15} bounds the time: past it the
 *                                            engine's worker is stopped (the tab never freezes) and reloaded
 *   window.chainrule.phases                 once ready: when each part of the engine had loaded (s from the worker's start)
 * The state is in the URL fragment: index.html#expr=tanh(x*w%20%2B%20b)&x=2&w=-3&b=6.88
 * Every text from a learner is written with textContent: a label or an expression never becomes markup.
 */
"use strict";
(function () {
  const LIMIT_SECONDS = 15;  // past this the worker is stopped and a fresh one started (run's third argument)
  const $ = id => document.getElementById(id);
  const form = $("cr-form"), exprInput = $("cr-expr"), valuesInput = $("cr-values"), runButton = $("cr-run");
  const status = $("cr-status"), errorLine = $("cr-error"), share = $("cr-share");
  const markup = $("cr-player-markup");
  const started = performance.now();

  // ---- the engine: one worker, one request at a time, stopped and replaced when a request runs too long ----
  let worker, loaded, requests = 0;
  const waiting = new Map();
  function spawn() {
    worker = new Worker("worker.js", {type: "module"});
    loaded = new Promise((resolve, reject) => {
      worker.onmessage = ({data}) => {
        if (data.loaded) { window.chainrule.phases = data.phases; return resolve(); }
        if (data.failed) return reject(new Error(data.failed));
        const done = waiting.get(data.id);
        if (done) { waiting.delete(data.id); done(data); }
      };
      worker.onerror = event => reject(new Error(event.message || "the engine's worker failed to start"));
    });
    return loaded;
  }
  const ready = spawn().then(() => {
    performance.mark("chainrule-ready");  // benchmarks/web.py reads the time from navigation to here
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    status.textContent = "engine loaded in " + seconds + " s: type an expression and its values, then run";
    runButton.disabled = false;
  }, error => {
    status.textContent = "the engine did not load: " + error.message;
    throw error;
  });

  let queue = Promise.resolve();
  function ask(expression, values, seconds) {  // -> {json, view} from the worker, or an error after `seconds`
    const job = queue.then(() => loaded).then(() => new Promise(resolve => {
      const id = ++requests;
      const timer = setTimeout(() => {
        waiting.delete(id);
        worker.terminate();
        spawn();
        resolve({json: JSON.stringify({error: "the engine took longer than " + seconds +
                                              " s on this expression and was stopped; try a smaller one"}), view: null});
      }, seconds * 1000);
      waiting.set(id, reply => { clearTimeout(timer); resolve(reply); });
      worker.postMessage({id, expression, values});
    }));
    queue = job.catch(() => {});
    return job;
  }

  function refuse(message) {
    return {json: JSON.stringify({error: message}), view: null};
  }

  function checked(expression, values) {  // what the worker can take; anything else is refused here
    if (typeof expression !== "string") return refuse("the expression must be text, got " + typeOf(expression));
    if (Array.isArray(values)) {
      const bad = values.find(v => typeof v !== "string");
      return bad === undefined ? null : refuse("each NAME=VALUE must be text, got " + typeOf(bad));
    }
    if (values === null || typeof values !== "object") return refuse("the values must be an object like {x: 2}, got " + typeOf(values));
    return null;
  }
  const typeOf = v => v === null ? "null" : Array.isArray(v) ? "a list" : typeof v;

  async function run(expression, values = {}, {seconds = LIMIT_SECONDS} = {}) {
    const reply = checked(expression, values) || await ask(expression, values, seconds);
    show(expression, reply);
    const result = JSON.parse(reply.json);
    if (!("error" in result)) {  // the form and the address show what ran (a link to it is the exercise)
      const pairs = Array.isArray(values) ? values : Object.entries(values).map(([name, value]) => name + "=" + value);
      exprInput.value = expression;
      valuesInput.value = pairs.join(" ");
      share.href = fragmentOf(expression, pairs);
      history.replaceState(null, "", share.href);
    }
    return result;
  }

  // ---- showing a result ----
  let players = {}, shown = null, tab = "steps";
  function show(expression, {json, view}) {
    const result = JSON.parse(json);
    errorLine.hidden = !("error" in result);
    errorLine.textContent = result.error || "";
    status.classList.toggle("cr-stale", "error" in result && shown !== null);  // below: the last expression that ran
    if (result.error) return;
    shown = view;
    players = {};
    status.textContent = "f = " + expression.trim() + " = " + view.output;
    fillTable($("cr-forward"), view.forward);
    fillTable($("cr-gradients"), view.gradients.map(([name, grad]) => ["df/d" + name, grad]));
    $("cr-backward").innerHTML = view.steps.join("");  // MathML built in Python from escaped names and numbers
    $("cr-python").textContent = view.code;
    open(tab);
  }
  function fillTable(table, rows) {
    table.replaceChildren(...rows.map(cells => {
      const row = document.createElement("tr");
      for (const text of cells) {
        const cell = document.createElement("td");
        cell.textContent = text;
        row.appendChild(cell);
      }
      return row;
    }));
  }

  function open(name) {  // a tab: the players are mounted when first seen (they fit the graph to their size)
    tab = name;
    document.querySelectorAll("#cr-tabs [role=tab]").forEach(b => b.setAttribute("aria-selected", b.dataset.tab === name));
    document.querySelectorAll(".cr-panel").forEach(p => p.hidden = p.id !== "cr-panel-" + name);
    if (!shown || (name !== "steps" && name !== "quiz")) return;
    if (players[name]) return players[name].fit();
    const panel = $("cr-panel-" + name);
    panel.replaceChildren(markup.content.cloneNode(true));
    const data = Object.assign({}, shown.player, {quiz: name === "quiz" ? shown.quiz : null});
    players[name] = mountPlayer(panel.querySelector(".chainrule-player"), data);
  }
  $("cr-tabs").addEventListener("click", e => { if (e.target.dataset.tab) open(e.target.dataset.tab); });

  // ---- the form and the URL fragment: #expr=...&x=2&w=-3 ----
  function fragmentOf(expression, pairs) {
    return "#" + [["expr", expression], ...pairs.map(p => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)])]
      .map(([k, v]) => encodeURIComponent(k) + "=" + encodeURIComponent(v)).join("&");
  }
  function readFragment() {  // {expression, pairs} or null; '+' stays a plus (it is not a space here)
    const fields = location.hash.slice(1).split("&").filter(Boolean).map(field => {
      const at = field.indexOf("=");
      const decode = text => { try { return decodeURIComponent(text); } catch { return text; } };
      return at < 0 ? [decode(field), ""] : [decode(field.slice(0, at)), decode(field.slice(at + 1))];
    });
    const expression = fields.find(([k]) => k === "expr");
    if (!expression) return null;
    return {expression: expression[1], pairs: fields.filter(([k]) => k !== "expr").map(([k, v]) => k + "=" + v)};
  }
  const formPairs = () => valuesInput.value.split(/\s+/).filter(Boolean);

  async function runForm() {
    const expression = exprInput.value, pairs = formPairs();
    runButton.disabled = true;
    try { await run(expression, pairs); } finally { runButton.disabled = false; }
  }
  function loadFragment() {
    const state = readFragment();
    if (!state) return false;
    exprInput.value = state.expression;
    valuesInput.value = state.pairs.join(" ");
    return true;
  }
  form.addEventListener("submit", e => { e.preventDefault(); ready.then(runForm); });
  window.addEventListener("hashchange", () => { if (loadFragment()) ready.then(runForm); });
  loadFragment();
  share.href = fragmentOf(exprInput.value, formPairs());
  ready.then(runForm, () => {});

  window.chainrule = {ready, run, phases: null};
})();
