"""The HTML player in a real headless Chromium: load it, press next, watch a grad arrive."""

import html
import json
import os
from pathlib import Path

import pytest

from autograd import Value
from autograd.show.html_player import player_data, write_player

from .conftest import require_program
from .examples import classic_neuron, recurrence


def test_player_data_has_one_record_per_op_and_leaves_grads_alone():
    require_program("dot", "apt-get install graphviz")
    o = classic_neuron()[0]
    o.backward()
    before = [n.grad for n in o.parents[0].parents]
    data = player_data(o)
    assert len(data["steps"]) == 5  # tanh, two +, two *
    assert data["steps"][0]["text"] == "do/dn += do/do · ∂o/∂n = 1.0 · 0.5 = 0.5"
    assert data["steps"][-1]["grads"] == [[0, "-1.5"], [1, "1.0"]]  # x1, w1
    assert [n.grad for n in o.parents[0].parents] == before


def test_player_is_one_self_contained_file(tmp_path):
    require_program("dot", "apt-get install graphviz")
    page = write_player(classic_neuron()[0], tmp_path / "steps.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and "\\u003csvg" in page  # the picture, in the page's data
    assert "http://" not in page.replace("http://www.w3.org", "")  # nothing fetched from a network
    assert "<script src" not in page and "<link" not in page


ASSETS = Path(__file__).parent.parent / "autograd" / "show" / "assets"


def test_the_front_end_is_files_and_the_ids_are_spelled_once_in_python(tmp_path):
    """No HTML, CSS or JavaScript in the Python of show/; the script reads the SVG's ids from the page's data."""
    from autograd.show import assets
    from autograd.show.drawing import PAGE_IDS

    for module in ("html_player.py", "worksheet.py"):
        source = (ASSETS.parent / module).read_text()
        assert "<!DOCTYPE" not in source and "<style" not in source and "function (" not in source, module
    script = assets.read("player.js")
    for spelled in ('"edge-', '"op-', "-row-", '"grad ', '"value-'):
        assert spelled not in script, spelled
    assert "{{" not in assets.read("worksheet.css") and "{{" not in assets.read("player.css")
    require_program("dot", "apt-get install graphviz")
    data = player_data(classic_neuron()[0])
    assert data["ids"] == PAGE_IDS and f'id="{PAGE_IDS["edge"].format(parent=8, node=9)}"' in html.unescape(data["svg"])
    sheet = tmp_path / "sheet"
    from autograd.show.worksheet import write_worksheet

    page = write_worksheet(1, 0, sheet)[0].read_text()
    assert "section { break-inside: avoid;" in page and "{{" not in page and "{ {" not in page


def test_every_javascript_file_passes_node_check():
    require_program("node", "apt-get install nodejs")
    import subprocess

    done = subprocess.run(["sh", str(ASSETS.parent.parent.parent / "tools" / "check-js")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "checked with node --check" in done.stdout and not done.stdout.startswith("check-js: 0 ")


def test_a_built_wheel_ships_the_front_end_and_its_player_works_installed(tmp_path):
    """pip wheel the project (a copy of it), install the wheel (not editable) and write a player from there."""
    import shutil
    import subprocess
    import sys
    import zipfile

    require_program("dot", "apt-get install graphviz")
    project = ASSETS.parent.parent.parent
    source = tmp_path / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "vendor")
    source.mkdir()
    for part in ("pyproject.toml", "README.md"):
        shutil.copy(project / part, source / part)
    for package in ("autograd", "nn"):
        shutil.copytree(project / package, source / package, ignore=ignore)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist"), str(source)],
                   check=True, capture_output=True)
    (wheel,) = (tmp_path / "dist").glob("chainrule-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for asset in ("player.html", "player-markup.html", "player.css", "player.js", "worksheet.html", "worksheet.css"):
        assert f"autograd/show/assets/{asset}" in names, asset
    subprocess.run([*pip, "install", "--no-deps", "--target", str(tmp_path / "site"), str(wheel)],
                   check=True, capture_output=True)
    script = ("import autograd, sys; from autograd import Value, write_player\n"
              "x = Value(2.0, 'x'); y = (x * 3).tanh(); y.label = 'y'\n"
              "page = write_player(y, sys.argv[1]).read_text()\n"
              "print(autograd.__file__, 'mountPlayer(' in page, 'dy/dx' in page)")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "p.html")], cwd=tmp_path, text=True,
                          capture_output=True, env={**os.environ, "PYTHONPATH": str(tmp_path / "site")})
    assert done.returncode == 0, done.stderr
    where, mounted, stepped = done.stdout.split()
    assert where.startswith(str(tmp_path / "site")) and mounted == stepped == "True"


def test_player_refuses_other_suffixes(tmp_path):
    with pytest.raises(ValueError, match="writes an .html file"):
        write_player(classic_neuron()[0], tmp_path / "steps.svg")


@pytest.fixture(scope="module")
def browser():
    chromium = require_program("chromium", "apt-get install chromium chromium-driver")
    driver_path = require_program("chromedriver", "apt-get install chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})  # the network log: what a page requested
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--window-size=1400,800"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    yield driver
    driver.quit()


def test_player_steps_in_chromium(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    page = write_player(classic_neuron()[0], tmp_path / "steps.html", ops="nodes")  # op circles, as micrograd draws
    browser.get(page.as_uri())
    counter = browser.find_element(By.ID, "counter")
    line = browser.find_element(By.ID, "line")
    assert counter.text == "step 0 / 5"

    def grad_of(node_id):
        return browser.execute_script(
            "return Array.from(document.getElementById(arguments[0]).querySelectorAll('text'))"
            ".map(t => t.textContent).find(t => t.startsWith('grad '));",
            node_id,
        )

    assert grad_of("value-8") == "grad ?"  # n: nothing has reached it yet
    browser.find_element(By.ID, "next").click()
    assert counter.text == "step 1 / 5"
    assert line.text == "do/dn += do/do · ∂o/∂n = 1.0 · 0.5 = 0.5"
    assert grad_of("value-8") == "grad 0.5"
    assert "current" in browser.find_element(By.ID, "value-9").get_attribute("class")
    assert "current" in browser.find_element(By.ID, "op-9").get_attribute("class")  # the tanh being undone

    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.END)
    assert counter.text == "step 5 / 5"
    assert grad_of("value-0") == "grad -1.5"  # x1
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_LEFT)
    assert counter.text == "step 4 / 5" and grad_of("value-0") == "grad ?"

    screenshots = Path(os.environ.get("CHAINRULE_SCREENSHOTS", tmp_path))
    screenshots.mkdir(parents=True, exist_ok=True)
    browser.find_element(By.ID, "prev").click()
    assert browser.save_screenshot(str(screenshots / "player.png"))


def test_player_works_with_an_infinite_gradient(browser, tmp_path):
    from selenium.webdriver.common.by import By

    x = Value(0.0, "x")
    y = x.sqrt()
    y.label = "y"
    page = write_player(y, tmp_path / "inf.html")
    browser.get(page.as_uri())
    browser.find_element(By.ID, "next").click()
    assert browser.find_element(By.ID, "counter").text == "step 1 / 1"
    assert "= inf" in browser.find_element(By.ID, "line").text


def _sized(browser, width, height):
    browser.set_window_size(width, height)
    inner = browser.execute_script("return [innerWidth, innerHeight]")
    browser.set_window_size(2 * width - inner[0], 2 * height - inner[1])


GEOMETRY = """
const graph = document.getElementById('graph').getBoundingClientRect();
const svg = document.querySelector('#canvas svg').getBoundingClientRect();
const valueText = Array.from(document.querySelectorAll('#canvas g.node text'))
    .filter(t => t.textContent.startsWith('data ')).map(t => t.getBoundingClientRect().height);
return {area: [graph.width, graph.height], graph: [svg.width, svg.height], text: Math.min(...valueText),
        transform: document.getElementById('canvas').style.transform};
"""


@pytest.mark.parametrize("width, height", [(1920, 1080), (1280, 720)])
def test_player_fills_the_window_with_text_a_class_can_read(browser, tmp_path, width, height):
    page = write_player(classic_neuron()[0], tmp_path / "steps.html")
    _sized(browser, width, height)
    browser.get(page.as_uri())
    shape = browser.execute_script(GEOMETRY)
    (area_w, area_h), (graph_w, graph_h) = shape["area"], shape["graph"]
    assert graph_w >= 0.95 * area_w or graph_h >= 0.95 * area_h, shape  # fitted: one side fills the window
    assert area_h >= 0.75 * height, shape  # the controls leave most of the window to the graph
    assert shape["text"] >= 18, shape  # ops inside their boxes: the neuron is 5 ranks, not 9
    screenshots = Path(os.environ.get("CHAINRULE_SCREENSHOTS", tmp_path))
    screenshots.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(screenshots / f"player-{width}x{height}.png"))


def test_player_keyboard_math_and_zoom(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    page = write_player(classic_neuron()[0], tmp_path / "steps.html")
    browser.get(page.as_uri())
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.SPACE)
    assert browser.find_element(By.ID, "counter").text == "step 1 / 5"
    math = browser.find_element(By.ID, "math").get_attribute("innerHTML")
    assert "<mfrac>" in math and "<mi>n</mi>" in math and "<mn>0.5</mn>" in math
    assert browser.find_element(By.ID, "rule").text == "∂tanh(n)/∂n = 1 - tanh(n)^2"
    fitted = browser.execute_script(GEOMETRY)["graph"]
    body.send_keys("+")
    zoomed = browser.execute_script(GEOMETRY)["graph"]
    assert zoomed[0] > 1.2 * fitted[0] and not browser.find_element(By.ID, "fit").is_selected()
    body.send_keys("0")
    assert browser.execute_script(GEOMETRY)["graph"] == fitted and browser.find_element(By.ID, "fit").is_selected()


def test_a_hostile_label_runs_no_script_in_the_player(browser, tmp_path):
    from selenium.webdriver.common.by import By

    x = Value(2.0, '<img src=x onerror="window.pwned=1">')
    y = (x * 3).tanh()
    y.label = "</script><script>window.pwned=2</script>"
    page = write_player(y, tmp_path / "hostile.html")
    browser.get(page.as_uri())
    for _ in range(2):
        browser.find_element(By.ID, "next").click()
    assert browser.execute_script("return window.pwned === undefined")
    assert "&lt;img" in browser.find_element(By.ID, "math").get_attribute("innerHTML")


HTML_BREAKERS = ["<!--<script>", "</script><script>window.pwned=3</script>", "<![CDATA[", "a & b > c", "\u2028x\u2029"]


def test_no_label_can_break_the_page_data(tmp_path):
    """The page's JSON holds no < > & or line separator: no label ends its block or opens a comment there."""
    import json

    require_program("dot", "apt-get install graphviz")
    y = Value(1.0, HTML_BREAKERS[0])
    for label in HTML_BREAKERS[1:]:
        y = y * Value(2.0, label)
    page = write_player(y, tmp_path / "breakers.html").read_text()
    block = page.split('<script id="steps" type="application/json">')[1].split("</script>")[0]
    assert not set(block) & set("<>&\u2028\u2029")
    from autograd.teach.naming import shown_label  # a line separator is shown escaped, as in every text

    assert {node["name"] for node in json.loads(block)["nodes"]} >= {shown_label(label) for label in HTML_BREAKERS}


def test_a_comment_opening_label_leaves_the_player_stepping(browser, tmp_path):
    """Issue 25 item 4: ``<!--<script>`` in the JSON block once swallowed the player's script."""
    from selenium.webdriver.common.by import By

    from autograd import player

    x = Value(2.0, "<!--<script>")
    y = (x * Value(3.0, HTML_BREAKERS[1])).tanh()
    y.label = "a & b > c"
    # In a quiz the label comes last in the data, after the SVG (whose own comments would end the "<!--").
    for page in (write_player(y, tmp_path / "comment.html"), player(y, quiz=True).save(tmp_path / "quiz.html")):
        browser.get(page.as_uri())
        assert browser.execute_script("return document.scripts.length") == 3  # the data, the player, its mount
        assert browser.execute_script("return window.pwned === undefined")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#quiz .row")) == 3  # every gradient but the output's
    browser.get((tmp_path / "comment.html").as_uri())
    browser.find_element(By.ID, "next").click()
    browser.find_element(By.ID, "next").click()
    assert browser.find_element(By.ID, "counter").text == "step 2 / 2"
    assert browser.find_element(By.ID, "line").text.startswith("d(a & b > c)/d(<!--<script>)")


def test_player_shows_the_step_as_a_line_of_code(browser, tmp_path):
    from selenium.webdriver.common.by import By

    page = write_player(classic_neuron()[0], tmp_path / "steps.html")
    browser.get(page.as_uri())
    browser.find_element(By.ID, "next").click()
    assert browser.find_element(By.ID, "code").text == "d_n = d_o * (1.0 - o * o)"


def test_player_quiz_checks_answers_in_the_page(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from autograd import player

    page = player(classic_neuron()[0], quiz=True).save(tmp_path / "quiz.html")
    _sized(browser, 1920, 1080)
    browser.get(page.as_uri())
    assert not browser.find_element(By.ID, "next").is_displayed()  # a quiz is answered, not stepped

    def box(name):
        return browser.find_element(By.CSS_SELECTOR, f'#quiz input[data-name="{name}"]')

    box("n").send_keys("0.5", Keys.ENTER)
    box("x1").send_keys("3", Keys.ENTER)
    rows = browser.find_elements(By.CSS_SELECTOR, "#quiz .row")
    right, wrong = rows[0], rows[-1]
    assert "right" in right.get_attribute("class") and "wrong" in wrong.get_attribute("class")
    assert wrong.find_element(By.CLASS_NAME, "hint").text.startswith("not quite: that is none of the usual slips")
    assert "do/dx1 = do/d(x1*w1) · ∂(x1*w1)/∂x1 = 0.5 · -3.0 = ?" in wrong.find_element(By.CLASS_NAME, "hint").text
    grads = browser.execute_script(
        "return ['value-8', 'value-0'].map(id => Array.from(document.getElementById(id).querySelectorAll('text'))"
        ".map(t => t.textContent).find(t => t.startsWith('grad ')));")
    assert grads == ["grad 0.5", "grad ?"]  # n filled in, x1 still hidden
    assert browser.find_element(By.CSS_SELECTOR, "#quiz .score").text.startswith("score: 1 of 9")
    screenshots = Path(os.environ.get("CHAINRULE_SCREENSHOTS", tmp_path))
    screenshots.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(screenshots / "player-quiz.png"))


def test_a_wrapped_player_fills_in_every_copy_of_a_node(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    h = recurrence(6)
    data = player_data(h, wrap=3)
    page = write_player(h, tmp_path / "wrapped.html", wrap=3)
    browser.get(page.as_uri())
    grads = """return Array.from(document.querySelectorAll('g.node')).filter(g => g.id.includes('-row-'))
        .map(g => [g.id.split('-row-')[0], Array.from(g.querySelectorAll('text')).map(t => t.textContent)
        .find(t => t.startsWith('grad ')), g.classList.contains('arrived')]);"""
    copies = browser.execute_script(grads)
    assert copies and all(grad == "grad ?" for _, grad, _ in copies)  # nothing has arrived yet
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.END)
    final = {node["id"]: node["final"] for node in data["nodes"]}
    assert [(node_id, grad, arrived) for node_id, grad, arrived in browser.execute_script(grads)] == [
        (node_id, "grad " + final[node_id], True) for node_id, _, _ in copies]


def one_point_network():
    """A 2-3-1 tanh network's squared error on one point: four neurons, each a box when collapsed."""
    import nn

    model = nn.MLP(2, [3, 1], activation="tanh", seed=7)
    loss = (model([0.5, -1.0]) - 1.0) ** 2
    loss.label = "loss"
    return loss, model


def test_collapsed_player_data_gives_each_box_its_picture_and_steps():
    require_program("dot", "apt-get install graphviz")
    loss, model = one_point_network()
    data = player_data(loss, collapse="neuron")
    assert data["steps"] == [] and sorted(data["details"]) == ["g-L1.n1#0", "g-L1.n2#1", "g-L1.n3#2", "g-L2.n1#3"]
    assert all(f'id="{key}"' in html.unescape(data["svg"]) for key in data["details"])  # each opens from a box
    names = [node["name"] for node in data["nodes"]]
    final = {node["name"]: node["final"] for node in data["nodes"]}
    hidden_layer = data["details"]["g-L1.n2#1"]
    assert [names[node] for node, _ in hidden_layer["start"]] == ["tanh(L1.n2)"]  # its output's grad is known
    assert [names[step["node"]] for step in hidden_layer["steps"]] == ["tanh(L1.n2)", "L1.n2"]
    sent = {names[node]: grad for step in hidden_layer["steps"] for node, grad in step["grads"]}
    assert {name: sent[name] for name in ("L1.n2.w1", "L1.n2.w2", "L1.n2.b")} == {
        name: final[name] for name in ("L1.n2.w1", "L1.n2.w2", "L1.n2.b")}
    assert 'id="value-' in html.unescape(hidden_layer["svg"]) and "L1.n2.w1" in hidden_layer["svg"]


def test_collapsed_player_refuses_a_quiz_and_too_many_boxes():
    require_program("dot", "apt-get install graphviz")
    from autograd import player

    loss, _ = one_point_network()
    with pytest.raises(ValueError, match="cannot collapse them"):
        player(loss, quiz=True, collapse="neuron")
    import autograd.show.html_player as html_player

    limit, html_player.MAX_BOXES = html_player.MAX_BOXES, 3
    try:
        with pytest.raises(ValueError, match="4 boxes to open, more than the player holds .3.: pass sample=k"):
            player_data(loss, collapse="neuron")
    finally:
        html_player.MAX_BOXES = limit


def test_collapsed_player_opens_a_box_on_click_and_from_the_keyboard(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    loss, _ = one_point_network()
    data = player_data(loss, collapse="neuron")
    page = write_player(loss, tmp_path / "network.html", collapse="neuron")
    _sized(browser, 1920, 1080)
    browser.get(page.as_uri())
    openable = lambda: [g.get_attribute("id") for g in browser.find_elements(By.CSS_SELECTOR, "g.node.openable")]
    assert sorted(openable()) == sorted(data["details"])
    assert not browser.find_element(By.ID, "next").is_displayed() and not browser.find_element(By.ID, "back").is_displayed()

    browser.find_element(By.ID, "g-L1.n2#1").click()
    assert browser.find_element(By.ID, "counter").text == "step 0 / 2"
    assert browser.find_element(By.ID, "line").text.startswith("inside L1.n2")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.END)
    final = {node["name"]: node["final"] for node in data["nodes"]}
    grads = browser.execute_script(
        "return Object.fromEntries(Array.from(document.querySelectorAll('#canvas g.node')).map(g => {"
        "const texts = Array.from(g.querySelectorAll('text')).map(t => t.textContent);"
        "return [texts[texts.findIndex(t => t.startsWith('data ')) - 2] || texts[0], texts.find(t => t.startsWith('grad '))]; }));")
    for name in ("L1.n2.w1", "L1.n2.w2", "L1.n2.b"):
        assert grads[name] == "grad " + final[name], (name, grads)

    body.send_keys(Keys.ESCAPE)
    assert sorted(openable()) == sorted(data["details"]) and not browser.find_element(By.ID, "back").is_displayed()
    box = browser.find_element(By.ID, "g-L2.n1#3")
    browser.execute_script("arguments[0].focus()", box)  # where Tab would land
    box.send_keys(Keys.ENTER)
    assert browser.find_element(By.ID, "line").text.startswith("inside L2.n1")
    screenshots = Path(os.environ.get("CHAINRULE_SCREENSHOTS", tmp_path))
    screenshots.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(screenshots / "player-collapsed.png"))


def test_a_hostile_label_runs_no_script_inside_an_opened_box(browser, tmp_path):
    import nn

    model = nn.MLP(2, [2, 1], activation="tanh", seed=1)
    inputs = [Value(0.5, '<img src=x onerror="window.pwned=1">'), Value(-1.0, "</script><b>x2</b>")]
    loss = (model(inputs) - 1.0) ** 2
    page = write_player(loss, tmp_path / "hostile-network.html", collapse="neuron")
    browser.get(page.as_uri())
    browser.find_element("id", "g-L1.n1#0").click()
    texts = browser.execute_script("return Array.from(document.querySelectorAll('#canvas text')).map(t => t.textContent)")
    assert '<img src=x onerror="window.pwned=1">' in texts and "</script><b>x2</b>" in texts  # shown as text
    assert browser.execute_script("return window.pwned === undefined && !document.querySelector('#canvas img, #canvas b')")


def _without_dot(monkeypatch, tmp_path):
    """PATH without Graphviz's dot (the browser and its driver already run)."""
    import shutil

    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert shutil.which("dot") is None


def _vendored_viz():
    from autograd.show.html_player import _viz_script

    if not _viz_script():
        message = "Graphviz-WASM is not vendored (make vendor)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}: make test fetches it")
        pytest.skip(message)


def test_without_dot_the_page_lays_its_graph_out_with_graphviz_wasm(browser, tmp_path, monkeypatch):
    """Issue 23 item 1: no dot on PATH: every node drawn in the page, the steps work, nothing fetched."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    _vendored_viz()
    o = classic_neuron()[0]
    _without_dot(monkeypatch, tmp_path)
    data = player_data(o)
    assert "svg" not in data and data["dot"].startswith("digraph")
    page = write_player(o, tmp_path / "wasm.html")
    text = page.read_text()
    assert "<script src" not in text and "http://" not in text.replace("http://www.w3.org", "")
    browser.get_log("performance")  # forget what earlier pages asked for
    browser.get(page.as_uri())
    counter = browser.find_element(By.ID, "counter")
    WebDriverWait(browser, 20).until(lambda _: counter.text == "step 0 / 5")
    drawn = browser.execute_script("return Array.from(document.querySelectorAll('#canvas g.node')).map(g => g.id)")
    assert sorted(drawn) == sorted(node["id"] for node in data["nodes"])  # every node, once
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.END)
    assert counter.text == "step 5 / 5"
    x1 = browser.execute_script("return Array.from(document.getElementById('value-0').querySelectorAll('text'))"
                                ".map(t => t.textContent).find(t => t.startsWith('grad '))")
    assert x1 == "grad -1.5"
    requested = [json.loads(entry["message"])["message"]["params"]["request"]["url"]
                 for entry in browser.get_log("performance")
                 if json.loads(entry["message"])["message"]["method"] == "Network.requestWillBeSent"]
    assert requested and all(url == page.as_uri() or url.startswith("data:") for url in requested), requested
    screenshots = Path(os.environ.get("CHAINRULE_SCREENSHOTS", tmp_path))
    screenshots.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(screenshots / "player-wasm.png"))


def test_without_dot_or_graphviz_wasm_the_player_says_how_to_get_either(tmp_path, monkeypatch):
    import autograd.show.html_player as html_player

    _without_dot(monkeypatch, tmp_path)
    monkeypatch.setattr(html_player, "VIZ", "vendor/viz/absent.js")
    with pytest.raises(RuntimeError, match="apt-get install graphviz.*make vendor"):
        write_player(classic_neuron()[0], tmp_path / "none.html")
    assert not (tmp_path / "none.html").exists()


def test_a_huge_graph_is_refused_before_any_work_with_collapse_and_sample_suggested(tmp_path, monkeypatch):
    import autograd.show.html_player as html_player
    from autograd.show.drawing import GraphTooLargeError

    def no_work(*args, **kwargs):
        raise AssertionError("the player named the nodes of a graph it then refused")

    monkeypatch.setattr(html_player, "node_names", no_work)

    x = Value(0.5, "x")
    y = x
    for _ in range(2000):
        y = y * 0.999 + x
    with pytest.raises(GraphTooLargeError, match=r"4001 value nodes.*collapse=\"neuron\".*sample=k") as refused:
        write_player(y, tmp_path / "huge.html")
    assert "max_nodes" not in str(refused.value) and not (tmp_path / "huge.html").exists()


LINES = """
const lines = el => { const range = document.createRange(); range.selectNodeContents(el);
  return new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top))).size; };
const box = id => document.getElementById(id).getBoundingClientRect();
const apart = (a, b) => a.right <= b.left + 1 || b.right <= a.left + 1 || a.bottom <= b.top + 1 || b.bottom <= a.top + 1;
const step = document.querySelector('.step');
return {rule: [lines(document.getElementById('rule')), document.getElementById('rule').textContent.split('\\n').length],
        code: [lines(document.getElementById('code')), document.getElementById('code').textContent.split('\\n').length],
        apart: [apart(box('math'), box('rule')), apart(box('math'), box('code')), apart(box('rule'), box('code'))],
        cut: step.scrollWidth - step.clientWidth};
"""


@pytest.mark.parametrize("width, height, at", [(1920, 1080, 12), (1280, 720, 30)])
def test_the_header_never_overprints_on_an_mlp(browser, tmp_path, width, height, at):
    """Issue 22 item 3: math, rule and code each keep their width (one line per rule and per line of code),
    never overlap and are never cut at the right edge: what does not fit beside goes below."""
    import nn

    model = nn.MLP(2, [4, 4, 1], seed=1)
    points = [[0.5, -1.0], [1.0, 0.2], [-0.3, 0.8], [0.1, 0.1]]
    loss = nn.losses.mse([model(x) for x in points], [1.0, 0.0, 1.0, 0.0])
    loss.label = "loss"
    page = write_player(loss, tmp_path / "mlp.html")
    _sized(browser, width, height)
    browser.get(page.as_uri())
    browser.execute_script("const s = document.getElementById('slider'); s.value = arguments[0];"
                           "s.dispatchEvent(new Event('input'));", at)
    shown = browser.execute_script(LINES)
    assert shown["rule"][0] == shown["rule"][1] and shown["code"][0] == shown["code"][1], shown
    assert all(shown["apart"]) and shown["cut"] <= 0, shown
    screenshots = Path(os.environ.get("CHAINRULE_SCREENSHOTS", tmp_path))
    screenshots.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(screenshots / f"player-mlp-{width}x{height}-step{at}.png"))


def test_a_neuron_with_many_inputs_lists_its_rules_in_order_and_every_row(browser, tmp_path):
    """Issue 22 item 4: rules in the edges' order (w2 before w10, as the math), every row reachable."""
    import re

    from selenium.webdriver.common.by import By

    import nn

    model = nn.MLP(12, [1], activation="tanh", seed=3)
    loss = (model([0.1 * k for k in range(12)]) - 1.0) ** 2
    loss.label = "loss"
    data = player_data(loss, collapse="neuron")
    (key,) = data["details"]
    dot = max(data["details"][key]["steps"], key=lambda step: len(step["grads"]))
    weights = [int(m) for rule in dot["rules"] for m in re.findall(r"/∂L1\.n1\.w(\d+) ", rule)]
    assert weights == list(range(1, 13))
    page = write_player(loss, tmp_path / "neuron.html", collapse="neuron")
    _sized(browser, 1280, 720)
    browser.get(page.as_uri())
    browser.execute_script("document.getElementById(arguments[0]).dispatchEvent(new MouseEvent('click', {bubbles: true}))",
                           key)
    browser.find_element(By.TAG_NAME, "body").send_keys("\ue010")  # End: the neuron's dot, 25 edges
    rows = browser.execute_script("""
        const step = document.querySelector('.step'); step.scrollTop = step.scrollHeight;
        const area = step.getBoundingClientRect(), maths = document.querySelectorAll('#math math');
        const last = maths[maths.length - 1].getBoundingClientRect();
        return [maths.length, last.top >= area.top && last.bottom <= area.bottom + 1];""")
    assert rows == [len(dot["grads"]), True]


def test_two_players_mount_in_one_page_each_in_its_own_root(browser, tmp_path):
    """player.js is mountPlayer(root, data), as a web page or a widget mounts it: two on one page step apart."""
    from autograd.show import assets

    require_program("dot", "apt-get install graphviz")
    neuron, square = player_data(classic_neuron()[0]), player_data(Value(3.0, "x") ** 2)
    markup = assets.fill(assets.read("player-markup.html"), title="a player")
    page = tmp_path / "two.html"
    page.write_text(
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><style>{assets.read('player.css')}"
        " .frame { height: 45vh; border: 1px solid; }</style></head><body>"
        f"<div class='frame' id='one'>{markup}</div><div class='frame' id='two'>{markup}</div>"
        f"<script>{assets.read('player.js')}</script><script>"
        f"const one = mountPlayer(document.querySelector('#one .chainrule-player'), {assets.script_json(neuron)});"
        f"const two = mountPlayer(document.querySelector('#two .chainrule-player'), {assets.script_json(square)});"
        "</script></body></html>")
    browser.get(page.as_uri())
    counters = "return ['one', 'two'].map(f => document.querySelector('#' + f + ' #counter').textContent)"
    assert browser.execute_script(counters) == ["step 0 / 5", "step 0 / 1"]
    browser.execute_script("document.querySelector('#two #next').click()")
    assert browser.execute_script(counters) == ["step 0 / 5", "step 1 / 1"]
    browser.execute_script("one.show(5)")
    assert browser.execute_script(counters) == ["step 5 / 5", "step 1 / 1"]
    grads = browser.execute_script(
        "return ['one', 'two'].map(f => Array.from(document.querySelectorAll('#' + f + ' g.node text'))"
        ".map(t => t.textContent).filter(t => t.startsWith('grad ')))")
    assert "grad -1.5" in grads[0] and grads[1] == ["grad 6.0", "grad 1.0"]
