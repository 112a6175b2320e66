"""The chainrule command line: good input explained, hostile input refused in a line or three."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd.cli import main
from autograd.teach.expr import FUNCTIONS, MAX_LENGTH

from .conftest import require_program

# A warning would reach the user's terminal as a stray line: none may escape.
pytestmark = pytest.mark.filterwarnings("error")


def run_cli(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_explain_prints_forward_steps_and_gradients(capsys):
    status, out, err = run_cli(capsys, "explain", "tanh(x*w + b)", "x=2", "w=-3", "b=6.8813735870195432")
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "f = tanh(x*w + b)"
    assert "  x*w = -6.0" in lines and "  x*w + b = 0.8814" in lines and "  f = tanh(x*w + b) = 0.7071" in lines
    assert "  df/dw += df/d(x*w) · ∂(x*w)/∂w = 0.5 · 2.0 = 1.0" in lines
    assert lines[-3:] == ["  df/dx = -1.5", "  df/dw = 1.0", "  df/db = 0.5"]


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.startswith("chainrule ")


def test_json_gives_the_same_as_data(capsys):
    status, out, _ = run_cli(capsys, "explain", "x*x + sqrt(y)", "x=3", "y=4", "--json")
    data = json.loads(out)
    assert status == 0
    assert data["output"] == 11.0 and data["inputs"] == {"x": 3.0, "y": 4.0}
    assert data["gradients"] == {"x": 6.0, "y": 0.25}
    assert data["forward"][-1]["name"] == "f" and data["forward"][-1]["formula"] == "x*x + sqrt(y)"
    assert len(data["steps"]) == 3 and data["steps"][0]["edges"][0]["contribution"] == 1.0


def test_json_writes_non_finite_numbers_as_strings(capsys):
    status, out, _ = run_cli(capsys, "explain", "sqrt(x)", "x=0", "--json")
    assert status == 0 and json.loads(out)["gradients"] == {"x": "inf"}


def test_pictures_are_written(capsys, tmp_path):
    require_program("dot", "apt-get install graphviz")
    svg, png, html = tmp_path / "g.svg", tmp_path / "g.png", tmp_path / "s.html"
    status, _, err = run_cli(capsys, "explain", "x*y", "x=2", "y=3", "--svg", str(svg), "--png", str(png), "--html", str(html))
    assert status == 0
    assert svg.read_text().lstrip().startswith("<?xml") and png.read_bytes()[:4] == b"\x89PNG"
    assert "df/dx" in html.read_text()
    assert f"wrote {svg}" in err


def test_a_constant_expression_and_a_bare_input(capsys):
    assert run_cli(capsys, "explain", "2 * 3")[0] == 0
    status, out, _ = run_cli(capsys, "explain", "x", "x=5")
    assert status == 0 and out.splitlines()[-1] == "  df/dx = 1.0"


HOSTILE = [
    ("x.__class__", ["x=1"], "attribute access is not allowed"),
    ("x[0]", ["x=1"], "subscripts are not allowed"),
    ("(lambda: 1)()", [], "unknown function"),
    ("lambda: 1", [], "lambdas are not allowed"),
    ("[i for i in x]", ["x=1"], "comprehensions are not allowed"),
    ("'abc'", [], "strings are not allowed"),
    ("__import__('os').system('echo hi')", [], "unknown function"),
    ("open('/etc/passwd')", [], "unknown function 'open'"),
    ("y + 1", [], "no value for y"),
    ("foo(1)", [], "unknown function 'foo'"),
    ("exp(1, 2)", [], "takes exactly 1 argument, got 2"),
    ("x +", ["x=1"], "syntax error"),
    ("", [], "the expression is empty"),
    ("x", ["x"], "'x' is not NAME=VALUE"),
    ("x", ["x=abc"], "the value must be a number"),
    ("x", ["x=nan"], "must be finite"),
    ("x", ["x=inf"], "must be finite"),
    ("x", ["x=1", "x=2"], "given twice"),
    ("x", ["x=1", "y=2"], "y is not in the expression"),
    ("x", ["1x=1"], "is not NAME=VALUE"),
    ("exp(x)", ["exp=1", "x=1"], "reserved"),
    ("x" + "+x" * 600, ["x=1"], f"at most {MAX_LENGTH}"),
    ("(" * 100 + "x" + ")" * 100, ["x=1"], "nested more than"),
    ("9**9**9**9", [], "overflows a float"),
    ("2**10**10", [], "overflows a float"),
    ("9" * 400, [], "too large"),
    ("exp(1000)", [], "exp overflows"),
    ("log(x)", ["x=-1"], "log needs x > 0"),
    ("1/x", ["x=0"], "divides by zero"),
    ("(-8)**(1/3)", [], "negative base needs an integer exponent"),
    ("x if x else 2", ["x=1"], "conditional expressions are not allowed"),
    ("x @ x", ["x=1"], "operator"),
    ("True + x", ["x=1"], "bool constants are not allowed"),
    ("1j * x", ["x=1"], "complex constants are not allowed"),
    ("x; import os", ["x=1"], "syntax error"),
    ("f'{x}'", ["x=1"], "strings are not allowed"),
]


@pytest.mark.parametrize("expression, inputs, message", HOSTILE)
def test_hostile_input_exits_2_with_a_short_message(capsys, expression, inputs, message):
    status, out, err = run_cli(capsys, "explain", expression, *inputs)
    assert status == 2 and out == ""
    lines = err.splitlines()
    assert 1 <= len(lines) <= 3, err
    assert lines[0].startswith("chainrule: error: ") and message in lines[0], lines[0]
    assert "Traceback" not in err


@pytest.mark.parametrize("argv", [[], ["explain"], ["frobnicate"], ["explain", "x", "x=1", "--digits", "99"],
                                  ["explain", "-x", "x=1"], ["explain", "x", "x=1", "--nope"]])
def test_bad_command_lines_exit_2_in_one_line(capsys, argv):
    status, _, err = run_cli(capsys, *argv)
    assert status == 2 and len(err.splitlines()) == 1 and err.startswith("chainrule: error: ")


@given(st.text(max_size=200))
def test_any_text_is_explained_or_refused_never_crashes(text):
    check_never_crashes(["explain", text, "x=1.5", "y=-2"])


EXPRESSION_PIECES = st.sampled_from(
    ["x", "y", "1", "0", "-", "+", "*", "/", "**", "(", ")", " ", ".", "[", "]", "2.5", "1e308",
     ",", "=", "'", "lambda", ":", "for", "in", "__class__", *FUNCTIONS, *[f"{f}(" for f in FUNCTIONS]]
)


@given(st.lists(EXPRESSION_PIECES, max_size=40).map("".join))
def test_expression_like_text_is_explained_or_refused_never_crashes(text):
    check_never_crashes(["explain", text, "x=1.5", "y=-2"])


def check_never_crashes(argv):
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(argv)
    assert status in (0, 2), err.getvalue()
    assert len(err.getvalue().splitlines()) <= 3 and "Traceback" not in err.getvalue()


def test_console_script_and_module_run_and_never_hang():
    console_script = str(Path(sys.executable).with_name("chainrule"))  # installed beside this python
    for command in ([console_script], [sys.executable, "-m", "autograd"]):
        done = subprocess.run([*command, "explain", "x**2", "x=3"], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and "df/dx = 6.0" in done.stdout
    worst = subprocess.run([sys.executable, "-m", "autograd", "explain", "9**9**9**9**9**9"], capture_output=True, text=True, timeout=60)
    assert worst.returncode == 2 and worst.stderr.count("\n") <= 3


def test_step_mode_pauses_between_steps_in_a_terminal():
    import os
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # the child runs the command with a terminal as stdin
        os.execv(sys.executable, [sys.executable, "-m", "autograd", "explain", "x*y + y", "x=2", "y=3", "--step"])
    output = b""

    def read_until(marker):
        nonlocal output
        while marker not in output:
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            output += chunk

    read_until(b"step 1/2")
    assert b"step 2/2" not in output  # paused after the first step
    os.write(fd, b"\n")
    read_until(b"gradients")
    try:
        read_until(b"df/dy = 3.0")
    except OSError:
        pass
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert b"df/dx = 3.0" in output and b"df/dy = 3.0" in output
