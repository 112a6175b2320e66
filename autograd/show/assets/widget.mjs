/*
 * The notebook widget's front end (autograd.widget, an anywidget). widget_model.py sends player.js and
 * this file as one ES module, so mountPlayer (player.js) is in scope here: the widget is the player,
 * mounted in the notebook's output, with
 *   - the graph laid out in the page by Graphviz compiled to WebAssembly (@viz-js/viz, asked from the
 *     kernel once per page: no `dot` needed),
 *   - the traits step, steps and selected shared with Python both ways,
 *   - a side panel: the selected node's whole chain-rule sum; while a network trains, the loss curve
 *     and a legend for the edges, drawn as wide as the gradient they carry back and coloured by its sign,
 *   - the view (zoom, pan) kept when Python sends a new graph (w.update(root), or the next epoch).
 */

let vizReady = null;  // one Graphviz for the whole page, shared by every widget in it

function graphviz(model) {
  if (vizReady) return vizReady;
  if (globalThis.Viz && globalThis.Viz.instance) return (vizReady = globalThis.Viz.instance());
  vizReady = new Promise((resolve, reject) => {
    const listener = message => {
      if (!message || !("viz" in message)) return;
      model.off("msg:custom", listener);
      if (!message.viz) { reject(new Error(message.problem)); return; }
      // The UMD bundle, run with module/exports of its own: it sets no global and needs no <script> tag.
      const module = {exports: {}};
      new Function("exports", "module", "define", message.viz)(module.exports, module, undefined);
      globalThis.Viz = module.exports;
      module.exports.instance().then(resolve, reject);
    };
    model.on("msg:custom", listener);
    model.send({want: "viz"});
  });
  vizReady.catch(() => { vizReady = null; });  // the next widget asks again
  return vizReady;
}

function laidOut(viz, dot) {
  const svg = viz.renderString(dot, {format: "svg"});
  return svg.slice(svg.indexOf("<svg"));  // without the XML prolog
}

/* The graph's data with every picture as SVG, laid out here from DOT with the page's one Graphviz
   (player.js could lay DOT out itself, but asynchronously, with a Graphviz instance of its own each time). */
function withPictures(viz, data) {
  const copy = Object.assign({}, data);
  if (copy.svg == null) copy.svg = laidOut(viz, copy.dot);
  copy.details = {};
  for (const [key, detail] of Object.entries(data.details || {})) {
    const own = Object.assign({}, detail);
    if (own.svg == null) own.svg = laidOut(viz, detail.dot);  // all now: the player mounts at once, no wait
    copy.details[key] = own;
  }
  return copy;
}

const SVG = "http://www.w3.org/2000/svg";
const POSITIVE = "#1c7ed6", NEGATIVE = "#e03131";

/* Each drawn edge as wide as the gradient it carries back (relative to the largest), coloured by its sign. */
function styleEdges(canvas, flows) {
  const drawn = Array.from(canvas.querySelectorAll("g.edge")).map(g => {
    const title = g.querySelector("title");
    return [g, g.id in flows ? g.id : title && title.textContent];
  }).filter(([, key]) => key in flows);
  const largest = Math.max(1e-300, ...drawn.map(([, key]) => Math.abs(flows[key])));  // of this picture
  drawn.forEach(([g, key]) => {
    const flow = flows[key], colour = flow > 0 ? POSITIVE : flow < 0 ? NEGATIVE : "#adb5bd";
    const width = 0.6 + 7 * Math.sqrt(Math.abs(flow) / largest);
    g.dataset.gradient = String(flow);
    g.querySelectorAll("path").forEach(p => { p.setAttribute("stroke", colour); p.setAttribute("stroke-width", width); });
    g.querySelectorAll("polygon").forEach(p => { p.setAttribute("stroke", colour); p.setAttribute("fill", colour); });
  });
}

/* The loss by epoch as a small line chart. */
function drawCurve(svg, curve) {
  svg.replaceChildren();
  const w = 280, h = 150, left = 44, bottom = 22, top = 8;
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  const line = (x1, y1, x2, y2) => {
    const l = document.createElementNS(SVG, "line");
    Object.entries({x1, y1, x2, y2, stroke: "#868e96"}).forEach(([k, v]) => l.setAttribute(k, v));
    svg.appendChild(l);
  };
  const text = (x, y, content, anchor) => {
    const t = document.createElementNS(SVG, "text");
    Object.entries({x, y, "font-size": 11, "text-anchor": anchor, fill: "#495057"}).forEach(([k, v]) => t.setAttribute(k, v));
    t.textContent = content;
    svg.appendChild(t);
  };
  line(left, top, left, h - bottom); line(left, h - bottom, w - 4, h - bottom);
  if (!curve.length) return;
  const finite = curve.filter(Number.isFinite);
  const lo = Math.min(...finite), hi = Math.max(...finite), span = hi - lo || 1;
  const x = i => left + (w - 4 - left) * (curve.length > 1 ? i / (curve.length - 1) : 0);
  const y = v => h - bottom - (h - bottom - top) * (v - lo) / span;
  const path = document.createElementNS(SVG, "polyline");
  path.setAttribute("points", curve.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" "));
  path.setAttribute("fill", "none"); path.setAttribute("stroke", POSITIVE); path.setAttribute("stroke-width", 2);
  svg.appendChild(path);
  text(left - 4, top + 9, hi.toPrecision(3), "end"); text(left - 4, h - bottom, lo.toPrecision(3), "end");
  text((left + w) / 2, h - 6, `epoch (1 to ${curve.length})`, "middle");
}

function render({model, el}) {
  el.classList.add("chainrule-widget");
  el.innerHTML = model.get("markup");
  const main = el.querySelector(".cw-main"), side = el.querySelector(".cw-side"), problem = el.querySelector(".cw-problem");
  const sum = el.querySelector(".cw-sum"), training = el.querySelector(".cw-training");
  let player = null, root = null, data = null, drawing = 0, down = null;

  function selectedIndex() {
    const name = model.get("selected");
    return data && name && data.index && name in data.index ? data.index[name] : null;
  }

  function showSelection() {
    if (!root) return;
    const k = selectedIndex();
    root.querySelectorAll("g.node.selected").forEach(g => g.classList.remove("selected"));
    sum.replaceChildren();
    if (k === null) {
      sum.hidden = !(data && data.nodes.length && !data.live);
      sum.textContent = "click a node to see its whole chain-rule sum";
      return;
    }
    sum.hidden = false;
    const prefix = data.ids.value.replace("{node}", String(k));
    root.querySelectorAll("g.node").forEach(g => { if (g.id === prefix || g.id.startsWith(prefix + "-row-")) g.classList.add("selected"); });
    const head = document.createElement("h2");
    head.textContent = "d" + data.root_name + "/d" + model.get("selected");
    const lines = (data.sums || {})[k] || [];
    const body = document.createElement("pre");
    body.className = "cw-lines";
    body.textContent = lines.length ? lines.join("\n") : (k === data.root ? "the output: d" + data.root_name +
      "/d" + data.root_name + " = 1" : "no gradient reaches this node");
    sum.append(head, body);
  }

  function showTraining() {
    const curve = model.get("curve"), flows = (data && data.flows) || {};
    const live = curve.length > 0 || Object.keys(flows).length > 0;
    training.hidden = !live;
    el.querySelector(".cw-caption").textContent = model.get("caption");
    drawCurve(el.querySelector(".cw-curve"), curve);
    el.querySelector(".cw-legend").hidden = Object.keys(flows).length === 0;
    if (root && Object.keys(flows).length) styleEdges(root.querySelector("#canvas"), flows);
  }

  async function draw() {
    const ticket = ++drawing;
    const graph = model.get("graph");
    if (!graph || (graph.dot === undefined && graph.svg === undefined)) {
      main.querySelector(".cw-waiting").hidden = false;
      showTraining();
      return;
    }
    let viz = null;
    try {
      if (graph.svg === undefined || Object.values(graph.details || {}).some(d => d.svg === undefined)) viz = await graphviz(model);
    } catch (error) {
      problem.hidden = false;
      problem.textContent = "chainrule's widget cannot lay the graph out here: " + error.message;
      return;
    }
    if (ticket !== drawing) return;  // a newer graph came meanwhile
    const kept = player && player.view ? player.view() : null;
    data = withPictures(viz, graph);
    main.querySelector(".cw-waiting").hidden = true;
    const holder = main.querySelector(".cw-player");
    holder.innerHTML = model.get("player_markup");
    root = holder.firstElementChild;
    root.querySelector("h1").textContent = data.live ? "training: one sample's graph" : "Backpropagation through " + data.root_name;
    player = mountPlayer(root, data);
    if (data.live) root.querySelector("#line").textContent = "while training: each edge as wide as the gradient it " +
      "carries back, blue positive, red negative; the player of this sample's backward pass comes at the end";
    if (kept && !kept.fit && player.setView) player.setView(kept);
    if (!data.live && model.get("step")) player.show(model.get("step"));
    watchSteps();
    showSelection();
    showTraining();
    // a collapsed network's box opened (or the network again): its picture's edges by their gradients too
    new MutationObserver(showTraining).observe(root.querySelector("#canvas"), {childList: true});
  }

  function watchSteps() {  // the player's step, whichever way it moved (buttons, keys, slider), to Python
    const counter = root.querySelector("#counter"), slider = root.querySelector("#slider");
    new MutationObserver(() => {
      const k = Number(slider.value);
      if (!data.live && !Object.keys(data.details).length && k !== model.get("step")) {
        model.set("step", k);
        model.save_changes();
      }
    }).observe(counter, {childList: true, characterData: true, subtree: true});
  }

  // a click on a value's box (not a drag) selects it
  main.addEventListener("pointerdown", e => { down = [e.clientX, e.clientY]; });
  main.addEventListener("click", e => {
    if (!data || !down || Math.hypot(e.clientX - down[0], e.clientY - down[1]) > 4) return;
    const g = e.target.closest && e.target.closest("g.node");
    if (!g) return;
    const k = data.nodes.findIndex(n => g.id === n.id || g.id.startsWith(n.id + "-row-"));
    if (k < 0) return;
    model.set("selected", data.nodes[k].name === model.get("selected") ? "" : data.nodes[k].name);
    model.save_changes();
  });

  const height = () => { main.style.height = model.get("height") + "px"; side.style.maxHeight = model.get("height") + "px"; };
  model.on("change:graph", draw);
  model.on("change:step", () => { if (player && data && !data.live) player.show(model.get("step")); });
  model.on("change:selected", showSelection);
  model.on("change:curve", showTraining);
  model.on("change:caption", showTraining);
  model.on("change:height", () => { height(); player && player.fit(); });
  height();
  draw();
}

export default {render};
