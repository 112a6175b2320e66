/*
 * chainrule's engine in a Web Worker, so that no expression can freeze the page.
 *
 * Loads Graphviz compiled to WebAssembly and Pyodide from this site's vendor/ folder, unpacks
 * chainrule's own sources (chainrule.zip) and the graphviz Python package into Pyodide's file
 * system, then answers each message {id, expression, values} (values: {name: text}, or a list of
 * "NAME=VALUE" texts as the command line takes them) with {id, json, view}:
 *   json  the text that `chainrule explain EXPR NAME=VALUE... --json` prints (autograd.cli.explain_json)
 *   view  what the page shows (autograd.show.web.page_view), the graph laid out here as SVG; null on an error
 * Before that it posts {loaded: true}, or {failed: "<why>"} when something did not load.
 */
// A module worker (Pyodide's loader is a module); viz-global.js sets self.Viz when imported.

const SOURCES = "/home/pyodide/chainrule";

async function bytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error("could not load " + url + " (HTTP " + response.status + ")");
  return response.arrayBuffer();
}

const phases = {};  // seconds since the worker started, per loading phase (sent with {loaded})
const reached = (name, value) => { phases[name] = +(performance.now() / 1000).toFixed(3); return value; };

async function start() {
  const [{loadPyodide}, viz, sources, graphviz] = await Promise.all([
    import("./vendor/pyodide/pyodide.mjs").then(module => reached("pyodide.mjs", module)),
    import("./vendor/viz/viz-global.js").then(() => self.Viz.instance()).then(viz => reached("graphviz", viz)),
    bytes("chainrule.zip"), bytes("vendor/graphviz-py/graphviz-0.21-py3-none-any.whl")]);
  const pyodide = reached("python", await loadPyodide({indexURL: new URL("vendor/pyodide/", self.location).href}));
  pyodide.unpackArchive(sources, "zip", {extractDir: SOURCES});
  pyodide.unpackArchive(graphviz, "wheel");
  pyodide.pyimport("sys").path.insert(0, SOURCES);
  const engine = {pyodide, viz, cli: pyodide.pyimport("autograd.cli"), web: pyodide.pyimport("autograd.show.web")};
  reached("chainrule", null);
  return engine;
}

const engine = start();
engine.then(() => postMessage({loaded: true, phases}),
            error => postMessage({failed: String(error && error.message || error).split("\n")[0]}));

function svgOf(viz, dot) {  // Graphviz's SVG without the XML prolog, to go inside the page
  const svg = viz.renderString(dot, {format: "svg", engine: "dot"});
  return svg.slice(svg.indexOf("<svg"));
}

function lastLine(text) {
  const lines = String(text).trim().split("\n");
  return lines[lines.length - 1];
}

self.onmessage = async ({data: {id, expression, values}}) => {
  const {pyodide, viz, cli, web} = await engine;
  const pairs = pyodide.toPy(Array.isArray(values) ? values : Object.entries(values).map(([name, value]) => name + "=" + value));
  try {
    const json = cli.explain_json(expression, pairs);
    let view = null;
    if (!("error" in JSON.parse(json))) {
      view = JSON.parse(web.page_view(expression, pairs));
      if (!view.player.svg && view.player.dot) view.player.svg = svgOf(viz, view.player.dot);
    }
    postMessage({id, json, view});
  } catch (error) {  // a bug, not bad input: bad input is explain_json's {"error": ...}
    postMessage({id, json: JSON.stringify({error: "chainrule failed: " + lastLine(error.message)}), view: null});
  } finally {
    pairs.destroy();
  }
};
