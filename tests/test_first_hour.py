"""What a learner meets in the first hour (issue 22 items 9 and 10): each message says what was
wrong and how to write it, and what the help and the cheat sheet say is true."""

import io
import math

import pytest

from autograd import Value
from autograd.cli import main
from autograd.engine.ops import BY_NAME, TABLE, cheat_sheet
from autograd.engine.value import example


def run_cli(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


# ---- Value ----

def test_clamp_with_lo_above_hi_is_an_error():
    with pytest.raises(ValueError, match="clamp needs lo <= hi, got lo=3.0 and hi=1.0"):
        Value(2).clamp(3, 1)
    assert Value(2).clamp(1, 1).data == 1.0 and Value(2).clamp(-1, 3).data == 2.0


def test_data_takes_only_a_real_number():
    v = Value(1.0)
    with pytest.raises(TypeError, match="Value.data needs a real number .* got str: 'a'"):
        v.data = "a"
    assert v.data == 1.0  # unchanged
    v.data = 3
    assert type(v.data) is float and v.data == 3.0
    (v * 2).backward()
    assert v.grad == 2.0


@pytest.mark.parametrize("call, fix", [
    (float, r"v\.item\(\)"), (int, r"int\(v\.item\(\)\)"), (round, r"round\(v\.item\(\), n\)"),
])
def test_int_and_round_refuse_as_float_does(call, fix):
    with pytest.raises(TypeError, match=rf"{call.__name__}\(\) of a Value would drop its gradient silently: .*{fix}"):
        call(Value(2.5))


def test_equality_is_identity_and_says_so():
    v = Value(0.0)
    assert not (v == 0) and v != 0 and v == v and v <= 0 and {v: 1}[v] == 1
    assert "Value(0) == 0" in Value.__eq__.__doc__ or "``Value(0) == 0``" in Value.__eq__.__doc__
    readme = (__import__("pathlib").Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert "Value(0) == 0" in readme


# ---- help(Value) and the cheat sheet ----

@pytest.mark.parametrize("op", [op for op in TABLE if op.symbol_kind != "nary"], ids=str)
def test_every_op_s_docstring_example_runs(op):
    from autograd import maximum, minimum

    doc = getattr(Value, op.method).__doc__
    shown = doc.split("for example ``")[1].split("``")[0]
    assert shown == example(op)
    result = eval(shown, {"Value": Value, "maximum": maximum, "minimum": minimum})  # our own docstring
    assert isinstance(result, Value) and result.op == op.name


def test_the_cheat_sheet_gives_true_domains_and_only_what_explain_accepts(capsys):
    sheet = cheat_sheet()
    rows = {line.split()[0]: line for line in sheet.splitlines()[1:] if line[:1].strip() and "In Python" not in line}
    assert "except pi/2 + k pi" in rows["tan"]
    assert "lo <= hi" in rows["clamp"]
    assert "sum" not in rows and "dot" not in rows
    for name in rows:
        op = BY_NAME[name]
        if op.symbol_kind == "call":  # every function the sheet lists, the CLI takes
            args = ", ".join(["x", "y"][:len(op.operands)] + ["0.5"] * len(op.params))
            assert main(["explain", f"{name}({args})", "x=0.25", "y=0.75"][: 3 + (len(op.operands) == 2)]) == 0, name
    capsys.readouterr()


# ---- the command line ----

@pytest.mark.parametrize("expression, says", [
    ("x^2", "'^' is not a power here: write x**2"),
    ("(x + 1)^(x*2)", "write (x + 1)**(x*2)"),
    ("2x", "write 2*x for 2x"),
    ("tanh(0.5x + 1)", "write 0.5*x for 0.5x"),
])
def test_paper_notation_gets_the_python_spelling(capsys, expression, says):
    status, out, err = run_cli(capsys, "explain", expression, "x=1")
    assert status == 2 and out == "" and says in err.splitlines()[0]


def test_a_bare_chainrule_prints_the_help(capsys):
    status, out, err = run_cli(capsys)
    assert status == 2 and len(err.splitlines()) == 1 and "give a command: explain, quiz" in err
    assert out.startswith("usage: chainrule") and "explain" in out and "worksheet" in out


def test_worksheet_without_out_shows_a_worksheet_example(capsys):
    status, out, err = run_cli(capsys, "worksheet", "--count", "3")
    assert status == 2 and len(err.splitlines()) == 1
    assert "--out" in err and "for example: chainrule worksheet" in err and "explain" not in err


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_step_in_a_terminal_keeps_the_header(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", Terminal("\n\n\n"))
    status, out, err = run_cli(capsys, "explain", "x*y + y", "x=2", "y=3", "--step")
    assert status == 0 and out.splitlines()[0] == "f = x*y + y" and "step 1/2:" in out


def test_without_dot_the_cli_suggests_what_it_can_do(capsys, monkeypatch, tmp_path):
    import autograd.show.drawing as drawing

    monkeypatch.setattr(drawing.shutil, "which", lambda name: None)
    status, out, err = run_cli(capsys, "explain", "x*2", "x=1", "--svg", str(tmp_path / "g.svg"))
    assert status != 0 and len(err.splitlines()) == 1
    assert "apt-get install graphviz" in err and "--tree" in err and ".dot" not in err
    with pytest.raises(RuntimeError, match=r"render to a \.dot file"):  # the library can write one
        drawing.render(Value(1.0) * 2, tmp_path / "g.png")
    assert math.isfinite(Value(1.0).data)
