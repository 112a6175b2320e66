"""autograd.widget: traits, bounds, update, the state the page receives, fit's throttled redraws,
the fallback where no widget runs, and the real front end in JupyterLab in headless Chromium."""

import functools
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from autograd import Value, explain
from autograd.engine.formatting import format_number
from nn import MLP, data, fit, live

from .conftest import require_program
from .examples import classic_neuron
from .test_live import EpochsTake, FakeClock

if os.environ.get("CI") == "true":
    import anywidget  # noqa: F401  (CI installs the notebooks extra: missing is a failure there)
    import traitlets
else:
    pytest.importorskip("anywidget")
    traitlets = pytest.importorskip("traitlets")

from autograd.show import widget_state
from autograd.show.widget_model import Widget
from autograd.show.widget_state import chain_rule_sums, graph_state, live_state, step_count


@pytest.fixture(autouse=True)
def pictures_laid_out_in_the_page(monkeypatch):
    """The state the page receives with the graph as DOT, as where Graphviz for the page is installed
    (``make vendor``, as CI does); without it and with ``dot`` the kernel sends SVG instead."""
    monkeypatch.setattr(widget_state, "page_layout", lambda: "page")


def product():
    x = Value(2.0, "x"); w = Value(-3.0, "w")
    y = x * w; y.label = "y"
    return y, x, w


def test_traits_follow_the_graph_and_refuse_steps_outside_it():
    root = classic_neuron()[0]
    w = Widget(root)
    assert w.steps == len(list(root.backward_steps())) == step_count(root)
    assert w.step == 0 and w.selected == ""
    for k in (0, w.steps, 1):
        w.step = k
        assert w.step == k
    for bad in (-1, w.steps + 1):
        with pytest.raises(traitlets.TraitError, match=f"step must be from 0 to {w.steps}"):
            w.step = bad
    assert w.step == 1
    with pytest.raises(traitlets.TraitError, match="a whole number"):
        w.step = True  # not a step number, though traitlets' Int would take it as 1
    assert w.step == 1
    with pytest.raises(traitlets.TraitError, match="steps is how many steps"):
        w.steps = 99


def test_selected_is_a_node_name_or_nothing():
    y, x, w = product()
    view = Widget(y)
    view.selected = "w"
    assert view.selected == "w"
    with pytest.raises(traitlets.TraitError, match="got 'v' .names: x, w, y"):
        view.selected = "v"
    view.selected = ""


def test_update_shows_the_new_graph_and_keeps_step_and_selection_where_they_still_exist():
    y, x, w = product()
    view = Widget(y)
    view.step, view.selected = 1, "x"
    bigger = (x * w).tanh() + x
    bigger.label = "z"
    view.update(bigger)
    assert (view.steps, view.step, view.selected) == (3, 1, "x")
    assert view.graph["root_name"] == "z"
    view.update(Value(5.0, "q") * 2)  # no x there, one step
    assert (view.steps, view.step, view.selected) == (1, 1, "")


def test_the_page_receives_nodes_steps_dot_and_each_nodes_whole_chain_rule_sum():
    x = Value(3.0, "x")
    y = x * x + 2 * x
    y.label = "y"
    state = graph_state(y)
    assert [n["name"] for n in state["nodes"]] == ["x", "x*x", "2*x", "y"]
    assert [n["final"] for n in state["nodes"]] == ["8.0", "1.0", "1.0", "1.0"]
    assert state["count"] == len(state["steps"]) == 3
    assert state["dot"].startswith("digraph") and 'id="value-0"' in state["dot"] and "svg" not in state
    assert state["steps"][0]["grads"] == [[1, "1.0"], [2, "1.0"]]
    # x's gradient: three edges (2*x once, x*x twice), then the sum; each line as explain writes it
    sum_x = state["sums"][state["index"]["x"]]
    assert sum_x[-1] == "dy/dx = 2.0 + 3.0 + 3.0 = 8.0"
    assert all(line in str(explain(y)) for line in sum_x[:-1])
    assert state["sums"][state["index"]["2*x"]] == [line.strip() for line in str(explain(y)).splitlines()
                                                     if line.strip().startswith("dy/d(2*x) +=")]
    assert state["index"]["y"] not in state["sums"]  # the output's gradient is 1 by definition
    assert y.grad == 0.0 and x.grad == 0.0  # the state came from a pass of its own


def test_a_collapsed_widget_opens_boxes_and_keeps_their_pictures_as_dot():
    X, _ = data.make_moons(4, seed=0)
    loss = MLP(2, [3, 1], seed=0)(X[0])
    view = Widget(loss, collapse="neuron")
    details = view.graph["details"]
    assert len(details) == 4 and all(d["dot"].startswith("digraph") and "svg" not in d for d in details.values())
    assert view.steps == step_count(loss) and view.graph["steps"] == []


def test_live_state_draws_each_edge_by_the_gradient_it_carries_back():
    y, x, w = product()
    state = live_state(y)
    # the edge from x into x*w carries dy/dy * d(x*w)/dx = w = -3; the one from w carries x = 2
    assert state["flows"] == {"edge-0-op-2": -3.0, "edge-1-op-2": 2.0}
    assert state["steps"] == [] and state["nodes"] == [] and state["live"]
    assert "grad -3.0" in state["dot"] and x.grad == 0.0  # drawn with the pass's grads, then put back
    twice = Value(3.0, "t")
    square = twice * twice
    assert live_state(square)["flows"] == {"edge-0-op-1": 6.0}  # both edges of t*t, added up


def test_live_state_of_a_big_graph_is_collapsed_and_keyed_by_the_boxes_graphviz_titles():
    X, y = data.make_moons(4, seed=0)
    model = MLP(2, [4, 4, 1], seed=0)
    loss = (1 - model(X[0]) * (2 * y[0] - 1)).relu()
    state = live_state(loss)
    assert "collapse" not in state and "g-L1.n1#0" in state["dot"]
    between = {key for key in state["flows"] if "->" in key}
    drawn = {line.strip().split(" [")[0].replace('"', "") for line in state["dot"].splitlines() if "->" in line}
    assert {key.replace("->", " -> ") for key in between} & drawn  # the keys are edges dot draws
    # and every edge by its id, for the picture of a box opened in the player at the end
    assert set(state["flows"]) - between == {f"edge-{loss_edge}" for loss_edge in edge_ids(loss)}
    into_l2 = {k: v for k, v in state["flows"].items() if k.startswith("g-L1.n1#0->g-L2.")}
    assert len(into_l2) == 4 and any(v != 0 for v in state["flows"].values())


def edge_ids(root):
    """Each edge's SVG id without its prefix ('3-op-7'), as draw() names them."""
    from autograd import topological_order
    from autograd.engine.graph import edges

    forward = topological_order(root)[::-1]
    index = {node: k for k, node in enumerate(forward)}
    return {f"{index[parent]}-op-{index[node]}" for node in forward for parent in edges(node)[0]}


class Recorder:
    def __init__(self) -> None:
        self.shown: list[tuple] = []

    def show_training(self, root, curve, caption, final=False):
        self.shown.append((root, list(curve), caption, final))


def test_fit_redraws_the_widget_four_times_a_second_and_once_at_the_end(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(live, "Throttle", functools.partial(live.Throttle, clock=clock))
    X, y = data.make_xor(20, seed=0)
    view = Recorder()
    history = fit(MLP(2, [4, 1], seed=0), X, y, epochs=40, progress=False, widget=view,
                  schedule=EpochsTake(clock, 0.05))
    # 40 epochs of 50 ms: redraws at most every 0.25 s over 2 s (8), plus the final one
    assert len(view.shown) == 9 and [final for *_, final in view.shown] == [False] * 8 + [True]
    root, curve, caption, _ = view.shown[-1]
    assert curve == history.loss and caption.startswith("epoch 40 of 40\nloss ")
    assert root.label == "loss" and "the graph: sample " in caption


def test_fit_in_the_real_widget_ends_on_the_player_of_one_sample():
    X, y = data.make_moons(20, noise=0.1, seed=1)
    view = Widget()
    history = fit(MLP(2, [4, 4, 1], seed=0), X, y, epochs=3, progress=False, widget=view)
    assert view.curve == history.loss and "epoch 3 of 3" in view.caption
    assert view.graph["details"] and view.graph["flows"]  # the player, collapsed, its edges by gradient
    assert view.steps == view.graph["count"] > 0


def test_fit_refuses_something_else_as_a_widget():
    X, y = data.make_xor(8, seed=0)
    with pytest.raises(TypeError, match="widget= takes a notebook widget made by autograd.widget"):
        fit(MLP(2, [2, 1], seed=0), X, y, epochs=1, progress=False, widget="yes")


def test_import_autograd_loads_no_widget_and_no_anywidget():
    code = ("import sys, autograd; autograd.Value(1.0).tanh().backward(); "
            "print(sorted(m for m in sys.modules if 'anywidget' in m or m.startswith('autograd.show')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})
    assert done.stdout.strip() == "[]", done.stderr


def test_the_page_gets_graphviz_once_on_asking(monkeypatch):
    from autograd.show import widget_state as module

    view = Widget(product()[0])
    sent = []
    monkeypatch.setattr(view, "send", sent.append)
    view._on_message(view, {"want": "viz"}, [])
    view._on_message(view, {"something": "else"}, [])
    assert len(sent) == 1
    if module.VIZ.is_file():
        assert sent[0]["problem"] is None and "Viz.js" in sent[0]["viz"][:200]
    monkeypatch.setattr(module, "VIZ", Path("/nonexistent/viz-global.js"))
    view._on_message(view, {"want": "viz"}, [])
    assert sent[1]["viz"] is None and "make vendor" in sent[1]["problem"]


def test_where_no_widget_runs_it_says_so_and_shows_the_static_picture(monkeypatch):
    y = product()[0]
    view = Widget(y)
    bundle, _ = view._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith("autograd.widget: a live view for a notebook") and "y = x * w" in bundle["text/plain"]
    assert "it cannot run here" in bundle["text/html"]
    if require_dot():
        assert "<svg" in bundle["text/html"]
    assert repr(view) == bundle["text/plain"]


def test_without_anywidget_widget_warns_and_returns_the_static_picture(monkeypatch):
    import autograd
    from autograd.show import widget as module

    monkeypatch.setitem(sys.modules, "anywidget", None)
    monkeypatch.delitem(sys.modules, "autograd.show.widget_model")
    with pytest.warns(RuntimeWarning, match=r"needs anywidget .*showing the static picture"):
        picture = autograd.widget(product()[0])
    assert type(picture).__name__ == "Digraph" and "data -6.0" in picture.source
    with pytest.warns(RuntimeWarning), pytest.raises(ValueError, match="pass the graph's root"):
        module.widget()


def require_dot() -> bool:
    import shutil

    return shutil.which("dot") is not None


def test_chain_rule_sums_add_up_to_each_gradient():
    root, *_ = classic_neuron()
    sums = chain_rule_sums(root)
    root.backward()
    from autograd import topological_order

    forward = topological_order(root)[::-1]
    assert set(sums) == set(range(len(forward) - 1))  # every node but the output
    for k, lines in sums.items():
        assert lines[-1].endswith(f"= {format_number(forward[k].grad, 4)}"), (k, lines)


# ---- the real front end: JupyterLab on 127.0.0.1, a notebook making a widget, headless Chromium ----

NOTEBOOK = """import autograd
from autograd import Value
x = Value(2.0, 'x'); w = Value(-3.0, 'w'); b = Value(6.8813735870195432, 'b')
y = (x * w + b).tanh(); y.label = 'y'
view = autograd.widget(y)
view"""


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 serving one notebook; yields (url, folder); stopped after."""
    if os.environ.get("CI") != "true":
        pytest.importorskip("jupyterlab")
    import nbformat

    folder = tmp_path_factory.mktemp("lab")
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(NOTEBOOK),
                      nbformat.v4.new_code_cell("print('kernel sees step', view.step, 'selected', view.selected)"),
                      nbformat.v4.new_code_cell("z = (x * w + b).sigmoid(); z.label = 'z'\nview.update(z)")]
    nbformat.write(notebook, folder / "widget.ipynb")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token = secrets.token_hex(16)
    settings = folder / ".settings"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
           "JUPYTER_CONFIG_DIR": str(settings / "config"), "JUPYTER_RUNTIME_DIR": str(settings / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(settings / "lab"), "JUPYTERLAB_WORKSPACES_DIR": str(settings / "workspaces")}
    log = open(folder / "lab.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}",
         "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=", "--ServerApp.disable_check_xsrf=False"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start: {(folder / 'lab.log').read_text()[-2000:]}")
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}/lab/tree/widget.ipynb?token={token}", folder
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.mark.browser
@pytest.mark.notebook
@pytest.mark.slow
def test_in_jupyterlab_next_sends_a_gradient_into_the_page_and_the_kernel_sees_it(jupyterlab):
    chromium = require_program("chromium", "apt-get install chromium chromium-driver")
    driver_path = require_program("chromedriver", "apt-get install chromium-driver")
    from selenium import webdriver
    from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    url, folder = jupyterlab
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--no-first-run", "--window-size=1400,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    shots = os.environ.get("CHAINRULE_SCREENSHOTS")
    try:
        driver.get(url)
        # the widget re-renders on each update: an element read a moment ago can be replaced before its text is
        wait = WebDriverWait(driver, 90, ignored_exceptions=(StaleElementReferenceException,))
        wait.until(lambda d: d.execute_script(
            "return !!(window.jupyterapp && document.querySelector('.jp-Notebook .jp-Cell'))"))
        run = "window.jupyterapp.commands.execute('notebook:run-cell-and-select-next')"
        idle = ("const panel = window.jupyterapp.shell.currentWidget; const kernel = panel && panel.sessionContext"
                " && panel.sessionContext.session && panel.sessionContext.session.kernel;"
                " return !!kernel && kernel.status === 'idle';")
        grads = "return Array.from(document.querySelectorAll('.chainrule-widget text.grad')).map(t => t.textContent)"

        def run_cell(index: int, done: Callable[[Any], bool]) -> None:
            """Run cell ``index`` until ``done``: a run sent while Lab settles can be dropped, and a cell that
            reads a trait can run before the page's last change reached the kernel; either way, run it again."""
            for attempt in range(3):
                wait.until(lambda d: d.execute_script(idle))
                driver.execute_script(f"window.jupyterapp.shell.currentWidget.content.activeCellIndex = {index};" + run)
                try:
                    WebDriverWait(driver, 30, ignored_exceptions=(StaleElementReferenceException,)).until(done)
                    return
                except TimeoutException:
                    if attempt == 2:
                        raise

        run_cell(0, lambda d: len(d.execute_script(grads)) == 6)  # laid out in the page by Graphviz-WASM
        assert driver.execute_script("return document.querySelector('.chainrule-widget .cw-problem').hidden")
        before = driver.execute_script(grads)
        assert sorted(before) == ["grad 1.0"] + ["grad ?"] * 5
        click = "document.querySelector(arguments[0]).click()"  # found and clicked at once: never a stale element
        driver.execute_script(click, ".chainrule-widget #next")
        # the step's chain rule sent dy/dy * dy/d(x*w + b) = 0.5 into the box of x*w + b
        wait.until(lambda d: "grad 0.5" in d.execute_script(grads))
        counter = "return document.querySelector('.chainrule-widget #counter').textContent"
        assert "step 1 / 3" in driver.execute_script(counter)
        # a click on x's box: its whole chain-rule sum (one edge here)
        driver.execute_script("""const g = document.querySelector('.chainrule-widget g#value-0');
            for (const type of ['pointerdown', 'click'])
              g.dispatchEvent(new (type === 'click' ? MouseEvent : PointerEvent)(type, {bubbles: true, clientX: 1, clientY: 1}));""")
        sum_text = "return document.querySelector('.chainrule-widget .cw-sum').textContent"
        wait.until(lambda d: "= -1.5" in d.execute_script(sum_text))
        if shots:
            driver.save_screenshot(str(Path(shots) / "widget-jupyterlab.png"))
        # the kernel has both traits from the page
        outputs = "return Array.from(document.querySelectorAll('.jp-OutputArea-output')).map(o => o.textContent).join('|')"
        run_cell(1, lambda d: "kernel sees step 1 selected x" in d.execute_script(outputs))
        # zoomed in, then a new graph from Python: the zoom, the step and the selection stay
        driver.execute_script(click, ".chainrule-widget #zoom-in")
        transform = "return document.querySelector('.chainrule-widget #canvas').style.transform"
        zoomed = driver.execute_script(transform)
        title = "return document.querySelector('.chainrule-widget h1').textContent"
        run_cell(2, lambda d: d.execute_script(title).strip().endswith("through z"))
        assert driver.execute_script(transform) == zoomed
        assert "step 1 / 3" in driver.execute_script(counter)
        assert "= -1.5" not in driver.execute_script(sum_text) and "dz/dx" in driver.execute_script(sum_text)
    except Exception:
        driver.save_screenshot(str(folder / "failed.png"))
        print("screenshot of the failure:", folder / "failed.png", driver.get_log("browser")[-5:])
        print("JupyterLab's log:", (folder / "lab.log").read_text()[-3000:])
        raise
    finally:
        driver.quit()


def test_the_front_end_is_the_players_own_script_and_files():
    from autograd.show import assets

    assert Widget._esm.startswith(assets.read("player.js")) and Widget._esm.rstrip().endswith("export default {render};")
    assert Widget._esm.count("function mountPlayer(") == 1  # reused, not copied
    view = Widget()
    for part in ("cw-main", "cw-side", "cw-sum", "cw-curve", "cw-legend"):
        assert f'class="{part}' in view.markup
    assert 'class="chainrule-player"' in view.player_markup and "{{" not in view.player_markup
