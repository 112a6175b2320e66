/*
 * The backprop player: a computation graph (Graphviz's SVG) and its backward pass, one step at a time.
 *
 * Mount it with   mountPlayer(root, data)
 *   root  an element holding the player's markup (player-markup.html: a div.chainrule-player)
 *   data  the object autograd.show.html_player.player_data() makes (the page embeds it as JSON):
 *         nodes, steps, details (a collapsed network's boxes), quiz, ids (the SVG's element ids,
 *         as templates), and the picture: svg (Graphviz's SVG text), or dot (draw()'s DOT source)
 *         when Python had no dot program: then the page lays it out with Graphviz compiled to
 *         WebAssembly, the global Viz of @viz-js/viz (viz-global.js, inlined before this script;
 *         its WebAssembly is inside it, so nothing is fetched), each picture when first shown.
 *
 * A static page (player.html) inlines player.css, this file and the data, and calls
 *   mountPlayer(document.querySelector(".chainrule-player"), JSON.parse(dataScript.textContent));
 * an anywidget can append an ES-module tail to this file's text (a function declaration at the top
 * level is the module's own):
 *   export default { render({ model, el }) { el.innerHTML = model.get("markup");
 *                                            mountPlayer(el.firstElementChild, model.get("data")); } };
 * Every element is looked up inside root, so two players can share a page. A player that fills its page
 * (root is a child of <body>) takes the keys from the whole document; otherwise root takes the focus
 * (tabindex 0) and the keys typed in it. Returns {show(k), fit()} to drive it from outside.
 */
function mountPlayer(root, data) {
  "use strict";
  const $ = id => root.querySelector("#" + id);
  const slider = $("slider"), counter = $("counter"), line = $("line"), math = $("math"), rule = $("rule");
  const code = $("code"), graph = $("graph"), canvas = $("canvas"), back = $("back");
  const stepping = root.querySelectorAll("#prev, #next, #slider, #counter");
  const stepArea = root.querySelector(".step");
  // The ids of the SVG's elements come from Python (drawing.PAGE_IDS) as templates (op-{node}).
  const id = (name, fields) => data.ids[name].replace(/\{(\w+)\}/g, (_, key) => String(fields[key]));
  const element = name => canvas.querySelector('[id="' + name + '"]');
  const gradPrefix = id("grad", {grad: ""});
  // the picture shown, each node's boxes in it, their grad texts, its steps and the grads known before them
  let svg, box, boxes, gradTexts, steps = [], start = [], intro = "", opened = null, current = 0;
  const setGrad = (i, text) => gradTexts[i].forEach(t => t.textContent = id("grad", {grad: text}));
  const mark = (i, name, on) => boxes[i].forEach(g => g.classList.toggle(name, on));

  let viz = null;  // Graphviz-WASM, when a picture comes as DOT
  function laidOut(picture) {  // data or a detail: its SVG, laid out here (once) from its DOT if need be
    if (picture.svg == null) {
      const text = viz.renderString(picture.dot, {format: "svg"});
      picture.svg = text.slice(text.indexOf("<svg"));
    }
    return picture.svg;
  }

  function load(picture, stepList, known) {
    canvas.innerHTML = laidOut(picture);  // Graphviz's SVG of escaped names
    svg = canvas.querySelector("svg");
    box = svg.viewBox.baseVal;
    svg.setAttribute("width", box.width); svg.setAttribute("height", box.height);
    // a node's box, and its dashed copies (in a wrapped picture's later rows, or read from outside)
    const all = Array.from(canvas.querySelectorAll("g.node"));
    boxes = data.nodes.map((n, i) => {
      const own = id("value", {node: i}), copy = id("copy", {node: i, row: ""});
      return all.filter(g => g.id === own || g.id.startsWith(copy));
    });
    gradTexts = boxes.map(gs => gs.map(g => Array.from(g.querySelectorAll("text"))
                                           .find(t => t.textContent.startsWith(gradPrefix))).filter(Boolean));
    gradTexts.flat().forEach(t => t.classList.add("grad"));
    steps = stepList; start = known; slider.max = steps.length;
    stepping.forEach(e => e.hidden = steps.length === 0 && data.steps.length === 0);
    view.fit = true;
  }

  // ---- a collapsed network: click a neuron's or a layer's box to step through the chain rule inside it ----
  function showNetwork() {
    opened = null;
    load(data, [], []);
    back.hidden = stepArea.hidden = true;  // no step here: the network gets the room
    root.classList.remove("opened");
    intro = "click a box (or Tab to it and press Enter) to step through the chain rule inside it";
    for (const [key, detail] of Object.entries(data.details)) {
      const g = element(key);
      if (!g) continue;
      g.classList.add("openable");
      g.setAttribute("tabindex", "0"); g.setAttribute("role", "button");
      g.setAttribute("aria-label", "step through " + detail.title);
      g.addEventListener("click", () => { if (!moved) openBox(key); });
      g.addEventListener("keydown", e => { if (e.key === "Enter") { openBox(key); e.preventDefault(); } });
    }
    show(0);
  }
  function openBox(key) {
    const detail = data.details[key];
    opened = key;
    load(detail, detail.steps, detail.start);
    back.hidden = stepArea.hidden = false;
    root.classList.add("opened");
    intro = "inside " + detail.title + ": the gradient from above has arrived at its output; " +
            "press next (space or the right arrow) to send it back, Escape for the whole network";
    show(0);
  }

  // ---- view: fit the graph to the window, zoom, pan ----
  const view = {scale: 1, x: 0, y: 0, fit: true};
  const MAX_FIT = 3;  // a small graph is enlarged, but not without bound
  function fitView() {
    const w = graph.clientWidth, h = graph.clientHeight;
    view.scale = Math.min(w / box.width, h / box.height, MAX_FIT);
    view.x = (w - box.width * view.scale) / 2;
    view.y = Math.max(0, (h - box.height * view.scale) / 2);
  }
  function apply() {
    if (view.fit) fitView();
    canvas.style.transform = "translate(" + view.x + "px," + view.y + "px) scale(" + view.scale + ")";
    $("fit").checked = view.fit;
  }
  function zoom(factor) {
    const cx = graph.clientWidth / 2, cy = graph.clientHeight / 2;
    view.fit = false;
    view.x = cx - (cx - view.x) * factor; view.y = cy - (cy - view.y) * factor;
    view.scale *= factor;
    apply();
  }
  let drag = null, moved = false;  // a drag that moved is not a click on a box
  const win = root.ownerDocument.defaultView;
  graph.addEventListener("pointerdown", e => { drag = {x: e.clientX - view.x, y: e.clientY - view.y, from: [e.clientX, e.clientY]};
                                              moved = false; graph.classList.add("dragging"); });
  win.addEventListener("pointermove", e => { if (!drag) return;
                                             if (Math.hypot(e.clientX - drag.from[0], e.clientY - drag.from[1]) < 4) return;
                                             moved = true; view.fit = false;
                                             view.x = e.clientX - drag.x; view.y = e.clientY - drag.y; apply(); });
  win.addEventListener("pointerup", () => { drag = null; graph.classList.remove("dragging"); });
  graph.addEventListener("wheel", e => { e.preventDefault(); zoom(e.deltaY < 0 ? 1.1 : 1 / 1.1); }, {passive: false});
  win.addEventListener("resize", apply);

  // ---- steps ----
  function gradsAfter(k) {  // grads as text after k steps; null = not reached yet
    const grads = data.nodes.map(() => null);
    for (const [node, grad] of start) grads[node] = grad;
    for (let i = 0; i < k; i++) for (const [node, grad] of steps[i].grads) grads[node] = grad;
    return grads;
  }

  function show(k) {
    current = Math.max(0, Math.min(steps.length, k));
    const grads = gradsAfter(current);
    boxes.forEach((_, i) => {
      mark(i, "current", false); mark(i, "receiving", false);
      mark(i, "arrived", grads[i] !== null); mark(i, "pending", grads[i] === null);
      setGrad(i, grads[i] === null ? "?" : grads[i]);
    });
    canvas.querySelectorAll("g.edge.flow, g.node.current").forEach(e => e.classList.remove("flow", "current"));
    const step = current > 0 ? steps[current - 1] : null;
    if (step) {
      mark(step.node, "current", true);
      for (const [node] of step.grads) {
        mark(node, "receiving", true);
        const edge = element(id("edge", {parent: node, node: step.node}));
        edge && edge.classList.add("flow");
      }
      const out = element(id("output", {node: step.node}));
      out && out.classList.add("flow");
      const op = element(id("op", {node: step.node}));
      op && op.classList.add("current");
      line.textContent = step.text;
      math.innerHTML = step.math;  // built in Python from escaped names and numbers
      math.classList.toggle("many", step.grads.length > 4);
      rule.textContent = step.rules.join("\n");
      code.textContent = step.code.map(l => l.split("  #")[0]).join("\n");
    } else {
      line.textContent = intro;
      math.innerHTML = "";
      rule.textContent = "";
      code.textContent = "";
    }
    slider.value = current;
    counter.textContent = "step " + current + " / " + steps.length;
    if (view.fit) apply();  // the step's math may change the header's height
  }

  $("fit").addEventListener("change", e => { view.fit = e.target.checked; apply(); });
  $("zoom-in").addEventListener("click", () => zoom(1.25));
  $("zoom-out").addEventListener("click", () => zoom(0.8));
  $("next").addEventListener("click", () => show(current + 1));
  $("prev").addEventListener("click", () => show(current - 1));
  slider.addEventListener("input", () => show(Number(slider.value)));
  const ownsPage = root.parentElement === root.ownerDocument.body;
  if (!ownsPage) root.setAttribute("tabindex", "0");
  (ownsPage ? root.ownerDocument : root).addEventListener("keydown", e => {
    const keys = {"ArrowRight": () => show(current + 1), " ": () => show(current + 1),
                  "ArrowLeft": () => show(current - 1), "Home": () => show(0), "End": () => show(steps.length),
                  "+": () => zoom(1.25), "=": () => zoom(1.25), "-": () => zoom(0.8),
                  "0": () => { view.fit = true; apply(); },
                  "Escape": () => opened !== null && showNetwork()};
    if (keys[e.key] && e.target.tagName !== "INPUT") { keys[e.key](); e.preventDefault(); }
    else if ((e.key === "ArrowRight" || e.key === "ArrowLeft") && e.target === slider) { e.preventDefault();
      show(current + (e.key === "ArrowRight" ? 1 : -1)); }
  });
  back.addEventListener("click", showNetwork);
  function begin() {
    if (Object.keys(data.details).length) {
      showNetwork();
    } else {
      load(data, data.steps, [[data.root, "1.0"]]);
      intro = "d" + data.root_name + "/d" + data.root_name + " = 1: press next (space or the right arrow) to send it back";
      apply();
      show(0);
    }
    if (data.quiz) startQuiz(data.quiz);
  }
  const asDot = picture => picture.svg == null && picture.dot != null;
  if (!asDot(data) && !Object.values(data.details).some(asDot)) {
    begin();
  } else if (typeof Viz === "undefined") {
    line.textContent = "this page carries its graph as DOT but not Graphviz-WASM to lay it out: " +
                       "run make vendor (or install Graphviz's dot) and write the page again";
  } else {
    line.textContent = "laying out the graph (Graphviz, WebAssembly) ...";
    Viz.instance().then(instance => { viz = instance; begin(); })
      .catch(error => { line.textContent = "Graphviz-WASM could not lay out the graph: " + error; });
  }

  // ---- quiz: each answer judged here, offline, as autograd.quiz judges it ----
  function startQuiz(questions) {
    stepping.forEach(e => e.hidden = true);
    stepArea.hidden = true;  // answered, not stepped: the graph gets the room
    const panel = $("quiz");
    panel.hidden = false;
    const score = document.createElement("div");
    score.className = "score";
    panel.appendChild(score);
    const results = {};
    const update = () => score.textContent = "score: " + Object.values(results).filter(Boolean).length +
                                              " of " + questions.length + " (Enter checks an answer)";
    boxes.forEach((_, i) => { if (i !== data.root) setGrad(i, "?"); });
    for (const q of questions) {
      const row = document.createElement("div");
      row.className = "row";
      const label = document.createElement("label");
      label.textContent = q.prompt.replace(/ = \?$/, " =");
      const input = document.createElement("input");
      input.setAttribute("aria-label", q.prompt);
      input.dataset.name = q.name;
      const hint = document.createElement("div");
      hint.className = "hint";
      label.appendChild(input);
      row.append(label, hint);
      panel.appendChild(row);
      input.addEventListener("focus", () => boxes.forEach((_, i) => mark(i, "current", i === q.node)));
      input.addEventListener("keydown", e => {
        if (e.key === "Enter") {  // check, then on to the next question's field
          judge();
          const inputs = Array.from(panel.querySelectorAll("input"));
          const next = inputs[inputs.indexOf(input) + 1];
          if (next) next.focus();
        }
        e.stopPropagation();
      });
      input.addEventListener("change", judge);
      function judge() {
        const value = Number(input.value.trim()), truth = Number(q.truth);
        const close = (a, b) => Math.abs(a - b) <= Math.max(q.rel * Math.abs(b), q.abs);
        const number = input.value.trim() !== "" && Number.isFinite(value);
        const right = number && close(value, truth);
        results[q.name] = right;
        row.classList.toggle("right", right);
        row.classList.toggle("wrong", !right);
        // the first common mistake (in the quiz's order) whose number the answer matches, as Quiz.answer finds it
        const mistake = right || !number ? null :
          q.mistakes.find(m => m.id === "unknown" || m.values.some(v => close(value, v)));
        row.dataset.mistake = right ? "" : mistake ? mistake.id : "not a number";
        const wrongBefore = q.upstream.find(name => results[name] === false);
        hint.textContent = right ? "" : "not quite: " + (mistake ? mistake.text : "type a number, like 0.5 or -1.5e-3.") +
          " " + q.hint + (wrongBefore ? "; first fix the answer for " + wrongBefore : "");
        setGrad(q.node, right ? input.value.trim() : "?");
        mark(q.node, "quiz-right", right);
        mark(q.node, "pending", !right);
        update();
      }
    }
    line.textContent = "work out each gradient, from d" + data.root_name + "/d" + data.root_name +
                       " = 1 backward; type it in the panel and press Enter";
    update();
    apply();  // the panel took some of the width: fit the graph again
    const first = panel.querySelector("input");
    if (first) first.focus({preventScroll: true});
  }
  return {show: k => show(k), fit: () => { view.fit = true; apply(); },
          view: () => Object.assign({}, view),  // zoom and pan, to keep across a new graph (the widget)
          setView: kept => { Object.assign(view, kept); apply(); }};
}
