"""The promise, checkable: a seeded hypothesis search over the command line (issue 25, "the CLI").

Expressions built from the parser's own pieces and from hostile ones, values, options and output
paths: whatever comes in, ``chainrule`` exits 0 or 2, says at most one line on stderr (besides the
"wrote PATH" lines of a success), never prints a traceback and never runs past a few seconds. The
search runs the CLI in-process through ``main()`` with captured streams (fast); a handful of cases
also run as real subprocesses.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograd.cli import main
from autograd.teach.expr import FUNCTIONS

# A hang guard, not a timing: a run takes well under a second here, but on a loaded 2-core machine
# one that draws pictures took 5.7 s; a hang, the bug this catches, never ends.
SECONDS = 30.0
ROOT = Path(__file__).resolve().parents[1]

NAMES = ["x", "w", "b", "y", "ｘ", "θ", "exp", "f", "__import__", "_", "x1"]
NUMBERS = ["2", "-3", "0", "0.5", "1e308", "1e309", "1e-320", "10**400", "1" + "0" * 400, "nan", "inf", "2x", "0x10",
           "1_000", "1j", "True"]
HOSTILE = ["__import__('os')", "x.__class__", "(lambda: 1)()", "f'{x}'", "[x for x in y]", "x if y else w", "x^2",
           "x < y", "'a'", "...", "x[0]", "*x", "(" * 60 + "x" + ")" * 60, "exp(x=1)", "leaky_relu(x, y)",
           "x\n+1", "\x1b[2J", "x" * 1200, "x; import os", "#", "", " ", "clamp(x, 3, 1)", "x % 0", "x / 0",
           "log(0*x)", "x ** -1 * 0", "sqrt(-x*x - 1)", "asin(x + 5)", "maximum(x)", "minimum(x, w, b)"]


@st.composite
def expressions(draw: st.DrawFn) -> str:
    """An expression from the grammar the CLI accepts, now and then with a hostile piece spliced in."""
    def term(depth: int) -> str:
        kind = draw(st.integers(0, 5 if depth < 3 else 1))
        if kind == 0:
            return draw(st.sampled_from(NAMES))
        if kind == 1:
            return draw(st.sampled_from(NUMBERS))
        if kind in (2, 3):
            op = draw(st.sampled_from(["+", "-", "*", "/", "**", "%"]))
            return f"{term(depth + 1)} {op} {term(depth + 1)}"
        if kind == 4:
            function = draw(st.sampled_from(FUNCTIONS))
            arguments = draw(st.integers(1, 3))
            return f"{function}({', '.join(term(depth + 1) for _ in range(arguments))})"
        return f"-({term(depth + 1)})"

    text = term(0)
    if draw(st.integers(0, 4)) == 0:
        text = draw(st.sampled_from(HOSTILE))
    return text


values = st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from([*NUMBERS, "abc", "", "=", "1,5"])),
                  max_size=4).map(lambda pairs: [f"{name}={number}" for name, number in pairs])


def run(argv: list[str], stdin: str = "") -> tuple[int, str, str, float]:
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            contextlib.ExitStack() as stack:
        old_stdin = sys.stdin
        sys.stdin = io.StringIO(stdin)
        stack.callback(setattr, sys, "stdin", old_stdin)
        status = main(argv)
    return status, out.getvalue(), err.getvalue(), time.perf_counter() - started


def check(argv: list[str], status: int, err: str, seconds: float) -> None:
    lines = [line for line in err.splitlines() if not line.startswith("wrote ")]
    assert status in (0, 2), (argv, status, err)
    assert "Traceback" not in err, (argv, err)
    assert len(lines) <= 1 and (status == 0) == (lines == []), (argv, status, err)
    assert seconds < SECONDS, (argv, seconds)


COUNT = {"explain": 0, "quiz": 0, "options": 0, "subprocess": 0}


@settings(max_examples=400, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(expression=expressions(), pairs=values, command=st.sampled_from(["explain", "quiz"]))
def test_any_expression_and_values(expression, pairs, command):
    answers = "1\nabc\n\n2\nq\n" if command == "quiz" else ""
    argv = [command, "--", expression, *pairs] if command == "explain" else [command, expression, *pairs]
    status, _, err, seconds = run(argv, answers)
    COUNT[command] += 1
    check(argv, status, err, seconds)


def path_names(tmp: Path) -> st.SearchStrategy[str]:
    (tmp / "folder.svg").mkdir(exist_ok=True)
    (tmp / "file").write_text("")
    link = tmp / "to-folder.html"
    if not link.is_symlink():
        link.symlink_to(tmp)
    return st.sampled_from([str(tmp / "a.svg"), str(tmp / "a.html"), str(tmp / "a.png"), str(tmp / "folder.svg"),
                            str(tmp / "file" / "a.svg"), str(link), str(tmp / ".svg"), str(tmp / "a b é.svg"),
                            str(tmp / ("n" * 240 + ".svg")), str(tmp / "missing" / "deep" / "a.html"), "", "a.txt",
                            str(tmp / "a.SVG"), str(tmp)])


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli-search")


@settings(max_examples=60, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_any_options_and_output_paths(data, folder):
    picture = data.draw(st.sampled_from(["--svg", "--png", "--html", None]))
    options = data.draw(st.lists(st.sampled_from(["--json", "--tree", "--code", "--step", "--style=latex",
                                                  "--style=markdown", "--style=nope", "--digits=0", "--digits=17",
                                                  "--digits=x", "--unknown"]), max_size=3, unique=True))
    argv = ["explain", "tanh(x*w + b)", "x=2", "w=-3", "b=6.88", *options]
    if picture:
        argv += [picture, data.draw(path_names(folder))]
    status, _, err, seconds = run(argv)
    COUNT["options"] += 1
    check(argv, status, err, seconds)


@settings(max_examples=20, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(argv=st.sampled_from([["ops"], ["worksheet", "--out", ""], ["worksheet", "--count", "0", "--out", "w"],
                             ["export", "x*w", "x=1:2", "w=3:4", "--format", "gift", "--out", "q.zip"],
                             ["export", "x*w", "x=2:1", "--format", "gift", "--out", "q.txt"], ["nope"], ["explain"],
                             ["quiz"], ["web"], ["explain", "x", "x=1", "--svg"]]))
def test_the_other_commands(argv):
    status, _, err, seconds = run(argv)
    check(argv, status, err, seconds)


@pytest.mark.parametrize("argv, status", [
    (["explain", "x.__class__", "x=1"], 2), (["explain", "1e309*x", "x=1"], 2), (["ops"], 0),
    (["explain", "tanh(x*w + b)", "x=2", "w=-3", "b=6.88", "--tree", "--code"], 0), (["quiz", "x*y", "x=1"], 2),
])
def test_real_subprocesses(argv, status):
    done = subprocess.run([sys.executable, "-m", "autograd.cli", *argv], capture_output=True, text=True, input="",
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    COUNT["subprocess"] += 1
    assert done.returncode == status and "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == (status == 2)


def test_report_how_many_cases_the_search_tried():
    print(f"CLI search: {COUNT}")
