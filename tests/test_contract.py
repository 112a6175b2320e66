"""DESIGN.md's third-wave contract, one test per row, through the public names only.

Written as a user (or an outside checker) would write them from the tables, with the expected
values worked out by hand. Rows already checked exactly elsewhere are not repeated here:
`import autograd` loading no graphviz (tests/test_layers.py), the terminal quiz's tries and
`score: K of N` (tests/test_mistakes.py, tests/test_quiz.py), lab "recursive"/"overwrite" on
b = 2*a; d = b + 3*b (tests/test_lab.py), the player and the web page in Chromium without dot
and without network (tests/test_player.py, tests/test_web.py), mypy seeing every op (tests/test_types.py).
The tensor rows are the tensor engineer's. Start-up time is a speed claim: benchmarks/, not here.
"""

from __future__ import annotations

import io
import json
import math
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import pytest

import autograd
from autograd import Value, explain, quiz
from autograd.cli import main

from .conftest import require_module, require_program

ROOT = Path(__file__).resolve().parent.parent
MISTAKE_IDS = ["missed_path", "no_upstream", "no_local", "sign", "wrong_point"]


def cli(args: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`chainrule ARGS` as a learner runs it, answers piped in."""
    return subprocess.run([sys.executable, "-m", "autograd.cli", *args], input=stdin, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})


# ---- Layers, typing, start-up ------------------------------------------------------------------

DOCUMENT_NAMES = ("Value", "no_grad", "detect_anomaly", "explain", "draw", "render", "gradcheck", "grad",
                  "hessian", "jacobian", "jvp", "mode_costs", "custom_op", "quiz", "Quiz", "paths", "nudge",
                  "player", "write_player", "label_locals", "text_graph", "to_python", "compile", "widget",
                  "animate", "backward_steps", "topological_order")


def test_the_documents_names_import_from_autograd_and_text_alone_loads_no_picture_module() -> None:
    """Every name DESIGN.md writes as `from autograd import ...`; explaining and quizzing (the
    teach layer) with the engine still loads no graphviz and no show module: pictures load on use."""
    code = f"""
import sys
import autograd
from autograd import Value, explain, quiz, text_graph, to_python
x = Value(2.0, "x"); y = (x * 3).tanh(); y.label = "y"
explain(y); quiz(y).answer("x", 1.0); text_graph(y); to_python(y, [x]); autograd.lab.backward(y, "recursive")
before = sorted(m for m in sys.modules if m.split(".")[0] == "graphviz" or m.startswith("autograd.show"))
missing = [n for n in {DOCUMENT_NAMES!r} if getattr(autograd, n, None) is None]
print(before, missing, callable(autograd.widget) and callable(autograd.animate) and callable(autograd.draw))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[] [] True"


def test_the_wheel_ships_py_typed_the_front_end_and_graphviz_wasm_with_its_licence(tmp_path: Path) -> None:
    """typing: the wheel ships `py.typed`; in the browser: Graphviz compiled to WebAssembly is
    shipped in the wheel with its licence. Builds the real wheel (setuptools, as pip does) from a
    copy of the checkout with its vendored files (make vendor)."""
    import shutil

    viz = ROOT / "autograd" / "show" / "vendor" / "viz"
    if not (viz / "viz-global.js").is_file():
        message = "Graphviz-WASM is not vendored (make vendor)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}: make test fetches it")
        pytest.skip(message)
    source = tmp_path / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in ("autograd", "nn"):
        shutil.copytree(ROOT / package, source / package, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(tmp_path / "dist"), str(source)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("chainrule-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        licence = archive.read("autograd/show/vendor/viz/LICENSE.txt").decode()
    assert {"autograd/py.typed", "nn/py.typed", "autograd/show/vendor/viz/viz-global.js",
            "autograd/show/assets/player.js", "autograd/show/assets/player.css",
            "autograd/show/assets/player.html"} <= names
    assert "Licence: MIT" in licence and "@viz-js/viz" in licence, licence


# ---- In the browser, with nothing installed ---------------------------------------------------

def test_without_dot_player_is_the_page_write_player_writes_carrying_its_graph_and_its_layout(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In the browser: with no `dot` on PATH, `player(root)` and `write_player(root, path)` give
    one page that carries the graph (DOT) and the layout program inline and links to nothing
    (tests/test_player.py opens that page in Chromium and sees it request nothing)."""
    import re
    import shutil

    if not (ROOT / "autograd" / "show" / "vendor" / "viz" / "viz-global.js").is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("Graphviz-WASM is not vendored: make test fetches it")
        pytest.skip("Graphviz-WASM is not vendored (make vendor)")
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert shutil.which("dot") is None
    page = autograd.player(neuron()).page
    assert page == autograd.write_player(neuron(), tmp_path / "steps.html").read_text(encoding="utf-8")
    assert "digraph" in page and "Viz" in page
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=\"?(https?:)?//", page)
    assert "<script src" not in page


# ---- Notebooks, live ---------------------------------------------------------------------------

def neuron() -> Value:
    """o = tanh(x*w + b) at x=2, w=-3, b=6.88: 3 backward steps (o, the sum, x*w)."""
    x, w, b = Value(2.0, "x"), Value(-3.0, "w"), Value(6.88, "b")
    o = (x * w + b).tanh()
    o.label = "o"
    return o


def test_widget_is_an_anywidget_with_steps_and_a_checked_step() -> None:
    anywidget = require_module("anywidget", "pip install -e '.[notebooks]'")
    traitlets = require_module("traitlets", "pip install -e '.[notebooks]'")
    o = neuron()
    w = autograd.widget(o)
    assert isinstance(w, anywidget.AnyWidget)
    assert w.steps == len(list(neuron().backward_steps())) == 3  # o, x*w + b, x*w: the nodes with parents
    assert o.grad == 0.0  # showing a graph runs no backward on it
    for k in range(w.steps + 1):
        w.step = k
        assert w.step == k
    for bad in (-1, w.steps + 1):
        with pytest.raises(traitlets.TraitError):
            w.step = bad
    assert w.step == w.steps  # a refused step leaves the view where it was
    w.step = 1
    bigger = neuron() * 2  # a new graph: 4 steps, the old step 1 still exists
    w.update(bigger)
    assert w.steps == 4 and w.step == 1


def test_fit_redraws_the_widget_at_most_four_times_a_second_and_once_at_the_end(monkeypatch: pytest.MonkeyPatch) -> None:
    require_module("anywidget", "pip install -e '.[notebooks]'")
    from autograd.show import widget_state

    monkeypatch.setattr(widget_state, "page_layout", lambda: "page")  # DOT as the page gets it after make vendor
    from nn import MLP, data, fit

    w = autograd.widget()
    redraws: list[tuple[float, bool]] = []
    show = w.show_training

    def counted(root: Value, curve: list[float], caption: str = "", final: bool = False) -> None:
        redraws.append((time.monotonic(), final))
        show(root, curve, caption, final)

    w.show_training = counted  # type: ignore[method-assign]
    X, y = data.make_moons(24, noise=0.1, seed=0)
    start = time.monotonic()
    model = MLP(2, [4, 1], seed=0)
    history = fit(model, X, y, epochs=60, progress=False, widget=w)
    elapsed = time.monotonic() - start
    assert [final for _, final in redraws].count(True) == 1 and redraws[-1][1]
    during = [t for t, final in redraws if not final]
    assert 1 <= len(during) <= 4 * elapsed + 1, (len(during), elapsed)
    assert all(b - a >= 0.25 - 1e-3 for a, b in zip(during, during[1:]))  # never two within a quarter second
    assert w.curve == history.loss and len(w.curve) == 60  # the loss curve, one point an epoch
    assert w.steps > 0  # ends on the player of the sample it shows
    # that sample's graph (collapsed by neuron, each box's own picture inside) with the current data
    drawn = json.dumps(w.graph, ensure_ascii=False)
    for _, parameter in model.named_parameters():
        shown = f"<b>{parameter.label}</b></td><td>│</td><td>data {parameter.data:.4g}</td>"
        assert shown in drawn, parameter


# ---- Teaching that a careful teacher accepts ---------------------------------------------------

def times_three() -> tuple[Value, Value]:
    x = Value(2.0, "x")
    f = x * 3
    f.label = "f"
    return f, x


def test_notation_at_the_root_is_d_for_totals_and_partial_for_the_local() -> None:
    root_line = "df/dx += df/df · ∂f/∂x = 1.0 · 3.0 = 3.0"
    f, x = times_three()
    assert f"  {root_line}" in str(explain(f)).splitlines()
    assert str(next(f.backward_steps())).splitlines()[0] == root_line
    latex = str(explain(f, style="latex"))
    assert (r"\frac{\mathrm{d} f}{\mathrm{d} x} \mathrel{+}= \frac{\mathrm{d} f}{\mathrm{d} f} \cdot "
            r"\frac{\partial f}{\partial x}") in latex
    markdown = str(explain(f, style="markdown"))
    assert (r"1. $\frac{\mathrm{d} f}{\mathrm{d} x} \mathrel{+}= \frac{\mathrm{d} f}{\mathrm{d} f} \cdot "
            r"\frac{\partial f}{\partial x} = 1.0 \cdot 3.0 = 3.0$") in markdown
    assert json.dumps(root_line) in autograd.player(f).page  # the player's step, as its page's data carries it
    assert quiz(f).answer("x", 1.0).hint.startswith("df/dx = df/df · ∂f/∂x = 1.0 · 3.0 = ?")
    done = cli(["explain", "x*3", "x=2"])
    assert done.returncode == 0 and f"  {root_line}" in done.stdout.splitlines()
    assert "∂f/∂f" not in done.stdout and "df/d" in done.stdout


def tanh_with_a_shortcut() -> Value:
    """f = 2*tanh(n) + 5*n with n = 3*x at x = 0.5: two paths from x, and every mistake its own number.

    n = 1.5, t = tanh(1.5), 1 - t^2 = s; df/dn = 2*s + 5, df/dx = 3*(2*s + 5)."""
    x = Value(0.5, "x")
    n = x * 3
    n.label = "n"
    t = n.tanh()
    t.label = "t"
    f = t * 2 + n * 5
    f.label = "f"
    return f


def test_quiz_answers_are_diagnosed_by_the_first_mistake_they_match_in_the_documents_order() -> None:
    s = 1 - math.tanh(1.5) ** 2
    right = 3 * (2 * s + 5)
    by_hand = {
        "missed_path": [3 * s * 2, 3 * 5],        # the path through tanh alone, the shortcut alone
        "no_upstream": [3.0],                       # ∂n/∂x alone
        "no_local": [2 * s + 5],                    # df/dn alone
        "sign": [-right],
        "wrong_point": [3 * (2 * (1 - 1.5 ** 2) + 5)],  # 1 - n^2 with n the input 1.5, not tanh's output
    }
    numbers = [v for vs in by_hand.values() for v in vs]
    assert len({round(v, 6) for v in numbers} | {round(right, 6)}) == len(numbers) + 1  # all distinct
    test = quiz(tanh_with_a_shortcut())
    assert test.expected("x") == pytest.approx(right, rel=1e-12)
    right_feedback = test.answer("x", right)
    assert right_feedback.correct and right_feedback.mistake is None
    for mistake, values in by_hand.items():
        for value in values:
            feedback = test.answer("x", value)
            assert not feedback.correct and feedback.mistake == mistake, (mistake, value)
    assert test.answer("x", 100.0).mistake == "unknown"
    assert test.answer("x", 3.0 * (1 + 1e-4)).mistake == "no_upstream"  # within the quiz's 4 significant digits
    found = list(test.mistakes("x"))
    assert found == [m for m in MISTAKE_IDS if m in found] and set(by_hand) <= set(found)
    said = {m: str(test.answer("x", by_hand[m][0])) for m in by_hand}
    assert "path" in said["missed_path"] and "local derivative" in said["no_upstream"]
    assert "upstream" in said["no_local"] and "sign" in said["sign"] and "wrong point" in said["wrong_point"]
    assert len(set(said.values())) == 5  # a sentence for each mistake


def test_the_terminal_quiz_says_what_quiz_says() -> None:
    """The CLI quiz names each mistake in the sentence str(feedback) gives for the same graph."""
    x, w = Value(2.0, "x"), Value(-3.0, "w")
    f = x * w * 5
    f.label = "f"
    test = quiz(f)
    assert [q.name for q in test.questions] == ["x*w", "w", "x"]
    # df/d(x*w) = 5, df/dw = 10, df/dx = -15: answer x with the local alone (-3), then upstream alone (5), then right
    done = cli(["quiz", "x*w*5", "x=2", "w=-3"], "5\n10\n-3\n5\n-15\n")
    assert done.returncode == 0 and done.stderr == ""
    for wrong in (-3.0, 5.0):
        said = str(test.answer("x", wrong))
        sentence, numbers = said.split(". df/dx = ")  # the terminal gives the numbers at the second try
        assert f"df/dx = ? {wrong:g}\n  {sentence}." in done.stdout, said
        assert f"df/dx = {numbers}" in done.stdout
    assert done.stdout.splitlines()[-1] == "score: 2 of 3"


def test_lab_recursive_follows_the_order_of_parents() -> None:
    """d = 3*b + b (the parents the other way round from tests/test_lab.py): d sends 1 to 3*b and
    1 to b; 3*b sends 3 to b (now 4), which recurses and sends 2*4 = 8 to a; then d's second parent
    b, still holding 4, sends 8 to a again: a = 16, where the chain rule gives 8."""
    a = Value(1.0, "a")
    b = 2 * a
    three_b = 3 * b
    d = three_b + b
    assert d.parents == (three_b, b)
    grads = autograd.lab.backward(d, "recursive")
    assert grads == {d: 1.0, three_b: 1.0, b: 4.0, a: 16.0}
    assert all(v.grad == 0.0 for v in (a, b, three_b, d))
    overwrite = autograd.lab.backward(d, "overwrite")
    assert overwrite[d] == 1.0 and overwrite[three_b] == 1.0 and overwrite[b] in (1.0, 3.0)
    assert overwrite[a] == 2 * overwrite[b]
    d.backward()
    assert a.grad == 8.0


# ---- Classroom logistics -----------------------------------------------------------------------

RANGES = {"x": (1.0, 3.0), "w": (-3.0, -1.0), "b": (0.0, 1.0)}
EXPORT = ["export", "x*w + b", "x=1:3", "w=-3:-1", "b=0:1", "--students", "3", "--seed", "4"]


def stated_values(text: str) -> dict[str, float]:
    """The `name = value` of every input a question's text states."""
    import re

    found = {}
    for name in RANGES:
        match = re.search(rf"(?<![\w*]){name} \\?= (-?\d+(?:\.\d+)?)(?![\d*])", text)
        assert match, (name, text)
        found[name] = float(match.group(1))
    return found


def check_variant(values: dict[str, float]) -> None:
    for name, value in values.items():
        lo, hi = RANGES[name]
        assert lo <= value <= hi and round(value, 2) == value, (name, value)


def test_export_every_format_states_each_input_as_name_equals_value(tmp_path: Path) -> None:
    texts: dict[str, list[str]] = {}
    for fmt, suffix in (("moodle", "xml"), ("gift", "txt"), ("qti", "zip"), ("gradescope", "zip")):
        out = tmp_path / f"exercise.{suffix}"
        assert main([*EXPORT, "--format", fmt, "--out", str(out)]) == 0
        if fmt == "moodle":
            questions = ET.parse(out).getroot().findall("question[@type='numerical']")
            for q in questions:  # a numerical question with a tolerance, the chain rule as its feedback
                name = (q.findtext("name/text") or "").split(",")[0]  # "df/dx, variant 1"
                right = q.find("answer[@fraction='100']")
                assert right is not None and float(right.findtext("tolerance") or 0) > 0
                feedback = q.findtext("generalfeedback/text") or ""
                assert f"{name} = df/d" in feedback and "∂" in feedback, feedback
            texts[fmt] = [q.findtext("questiontext/text") or "" for q in questions]
        elif fmt == "gift":
            texts[fmt] = [line for line in out.read_text().splitlines() if line.startswith("::")]
        elif fmt == "qti":
            with zipfile.ZipFile(out) as archive:
                assert "imsmanifest.xml" in archive.namelist()
                items = [ET.fromstring(archive.read(n)) for n in archive.namelist()
                         if n.endswith(".xml") and n != "imsmanifest.xml"]
            texts[fmt] = [m.text or "" for tree in items for m in tree.iter() if m.tag.endswith("mattext")
                          and "What is" in (m.text or "")]
        else:
            with zipfile.ZipFile(out) as archive:
                names = archive.namelist()
                assert {"setup.sh", "run_autograder"} <= set(names)
                key = json.loads(archive.read("variants.json"))
            assert len(key["variants"]) == 3
            for variant in key["variants"]:
                check_variant(variant["values"])
    for fmt, questions in texts.items():
        assert len(questions) == 3 * 3, fmt  # 3 students, one question per input
        for text in questions:
            check_variant(stated_values(text))
        assert len({tuple(stated_values(t).values()) for t in questions}) == 3, fmt  # three variants
    # the same seed gives each format the same students' values
    assert {tuple(stated_values(t).values()) for t in texts["moodle"]} == \
           {tuple(stated_values(t).values()) for t in texts["gift"]} == \
           {tuple(stated_values(t).values()) for t in texts["qti"]}


def test_animate_frames_are_1920x1080_at_most_16_9_forward_first_then_one_per_step(tmp_path: Path) -> None:
    require_program("dot", "apt-get install graphviz")
    image = require_module("PIL.Image", "pip install pillow")
    o = neuron()
    steps = len(list(neuron().backward_steps()))
    path = autograd.animate(o, tmp_path / "backprop.gif")
    assert Path(path).read_bytes().startswith(b"GIF8")
    gif = image.open(path)
    width, height = gif.size
    assert width <= 1920 and height <= 1080 and width * 9 == height * 16
    assert gif.n_frames >= steps + 1  # the forward picture first, then one frame per step (and a last one)
    assert o.grad == 0.0
    frames: list[Any] = []
    for k in range(gif.n_frames):
        gif.seek(k)
        frames.append(gif.convert("RGB").tobytes())
    assert len(set(frames)) == len(frames)  # each step its own picture
    shots = os.environ.get("CHAINRULE_SCREENSHOTS")
    if shots:
        gif.seek(1)
        buffer = io.BytesIO()
        gif.convert("RGB").save(buffer, "PNG")
        Path(shots, "animate-step-1.png").write_bytes(buffer.getvalue())


def test_export_draws_every_value_inside_its_range_or_says_the_range_holds_none(tmp_path: Path,
                                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A range whose ends have more than 2 decimals: each value, rounded to 2 decimals, still lies
    in it (0.004:0.03 gives 0.01 to 0.03, never 0.0); one that holds no such number is refused
    (1.001:1.004 used to give x = 1.0)."""
    out = tmp_path / "narrow.txt"
    assert main(["export", "x*w", "x=0.004:0.03", "w=1:2", "--students", "20", "--seed", "3", "--format", "gift",
                 "--out", str(out)]) == 0
    stems = [line for line in out.read_text().splitlines() if line.startswith("::")]
    xs = {float(line.split("x \\= ")[1].split(",")[0]) for line in stems}
    assert xs and all(0.01 <= x <= 0.03 for x in xs), xs
    capsys.readouterr()
    assert main(["export", "x*w", "x=1.001:1.004", "w=1:2", "--format", "gift", "--out", str(tmp_path / "no.txt")]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "the range of x is empty" in err and "2 decimals" in err
    assert not (tmp_path / "no.txt").exists()
