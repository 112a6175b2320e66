"""Issue 25's reproducers, one test each: model files, writes, messages, arguments (each failed before its fix)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from autograd import Value
from nn import MLP, StateError


def test_save_refuses_nan_parameters_and_keeps_the_old_file(tmp_path):
    model = MLP(2, [2, 1], seed=0)
    path = model.save(tmp_path / "m.json")
    good = path.read_bytes()
    model.parameters()[3].data = math.nan
    with pytest.raises(StateError, match=r"parameter 'layers\.0\.neurons\.1\.w\.0' must be a finite number, got nan"):
        model.save(path)
    assert path.read_bytes() == good
    MLP(2, [2, 1], seed=1).load(path)


def test_load_refuses_a_device_without_reading_it():
    with pytest.raises(StateError, match="/dev/zero is not a regular file"):
        MLP(2, [1]).load("/dev/zero")


def test_load_refuses_a_fifo_without_blocking(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    errors: list[BaseException] = []

    def load() -> None:
        try:
            MLP(2, [1]).load(fifo)
        except StateError as error:
            errors.append(error)

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    thread.join(5)
    if thread.is_alive():  # unblock the reader before failing
        with open(fifo, "wb"):
            pass
        pytest.fail("load blocked on a FIFO")
    assert "not a regular file" in str(errors[0])


def test_load_refuses_a_file_far_larger_than_the_model(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 300_000 + b"{}")
    with pytest.raises(StateError, match="larger than a model file of this model can be"):
        MLP(2, [1]).load(path)


def _document(model: MLP, **state_text: str) -> str:
    text = json.dumps({"format": "chainrule.module", "version": 1, "model": "x", "state": model.state_dict()})
    for name, number in state_text.items():
        text = text.replace(json.dumps(name) + ": " + repr(model.state_dict()[name]), json.dumps(name) + ": " + number)
    return text


@pytest.mark.parametrize("number", ["1" + "0" * 400, "1" + "0" * 5000, "1e400", "NaN", "-Infinity"])
def test_load_refuses_huge_numbers_clearly(tmp_path, number):
    model = MLP(2, [1], seed=0)
    before = model.state_dict()
    path = tmp_path / "m.json"
    path.write_text(_document(model, **{"layers.0.neurons.0.b": number}))
    with pytest.raises(StateError, match=r"parameter 'layers\.0\.neurons\.0\.b' must be a finite number"):
        model.load(path)
    assert model.state_dict() == before


def test_load_reads_a_utf8_bom_and_refuses_version_true(tmp_path):
    model = MLP(2, [1], seed=0)
    path = tmp_path / "m.json"
    path.write_bytes(b"\xef\xbb\xbf" + _document(model).encode())
    MLP(2, [1], seed=3).load(path)
    path.write_text(_document(model).replace('"version": 1', '"version": true'))
    with pytest.raises(StateError, match="format version True"):
        model.load(path)


def test_load_state_dict_takes_numpy_scalars_and_names_odd_keys():
    np = pytest.importorskip("numpy")
    model = MLP(1, [1], seed=0)
    model.load_state_dict({"layers.0.neurons.0.w.0": np.float64(1.5), "layers.0.neurons.0.b": np.int64(2)})
    assert model.state_dict() == {"layers.0.neurons.0.w.0": 1.5, "layers.0.neurons.0.b": 2.0}
    with pytest.raises(StateError, match=r"names are str .* got 1"):
        model.load_state_dict({1: 2})


# ---- 6: control characters in labels ----

def test_a_newline_or_escape_in_a_label_never_splits_a_line_or_reaches_the_terminal():
    from autograd import explain, text_graph

    x, w = Value(2.0, "x\n1"), Value(3.0, "\x1b[31mred")
    y = x * w
    y.label = "y"
    y.backward()
    text = str(explain(y)) + "\n" + text_graph(y)
    assert "\x1b" not in text
    assert "dy/d(x\\n1) += dy/dy · ∂y/∂(x\\n1) = 1.0 · 3.0 = 3.0" in text
    assert all(line.count("\\x1b[31mred") <= 2 for line in text.splitlines())


# ---- 14, 15 and issue 22 item 9: nn arguments ----

def _xor():
    from nn import data

    return data.make_xor(12, seed=0)


@pytest.mark.parametrize("call, error, message", [
    (lambda m, X, y: __import__("nn").fit(m, X, y, epochs=-1), ValueError, r"epochs must be an int >= 0, got -1"),
    (lambda m, X, y: __import__("nn").fit(m, X, y, l2=-5), ValueError, r"l2 must be a finite number >= 0, got -5"),
    (lambda m, X, y: __import__("nn").fit(m, X, y, l2=math.nan), ValueError, r"l2 must be a finite number >= 0, got nan"),
    (lambda m, X, y: __import__("nn").fit(m, X, y, batch_size=0), ValueError, r"batch_size .* must be an int >= 1, got 0"),
    (lambda m, X, y: __import__("nn").fit(m, X, y, loss="softmax_cross_entropy"), ValueError,
     r"'softmax_cross_entropy' needs one output per class \(2 or more\), but the model has 1 output"),
    (lambda m, X, y: __import__("nn").fit(MLP(2, [3], seed=0), X, y, loss="mse"), ValueError,
     r"loss 'mse' needs a model with one output, but it has 3"),
    (lambda m, X, y: MLP(2, [1])(3), TypeError, r"a layer of 2 inputs takes a list of 2 numbers or Values, got int: 3"),
    (lambda m, X, y: MLP(2, 3), TypeError, r"sizes is a list of layer widths, got the number 3: MLP\(2, \[3\]\)"),
    (lambda m, X, y: __import__("nn").optim.SGD(m, lr=0.1), TypeError, r"pass model\.parameters\(\), not the MLP itself"),
    (lambda m, X, y: __import__("nn").optim.Adam(m.parameters(), betas=(0.9,)), ValueError, r"betas must be a pair"),
    (lambda m, X, y: __import__("nn").accuracy(m, [], []), ValueError, r"accuracy needs at least one row"),
    (lambda m, X, y: __import__("nn").optim.StepLR(__import__("nn").optim.SGD(m.parameters()), step_size=0), ValueError,
     r"step_size must be an int >= 1, got 0"),
    (lambda m, X, y: __import__("nn").optim.StepLR(__import__("nn").optim.SGD(m.parameters()), 1, gamma=-1), ValueError,
     r"gamma must be a finite number >= 0, got -1"),
    (lambda m, X, y: __import__("nn").optim.LinearLR(__import__("nn").optim.SGD(m.parameters()), total_iters=0), ValueError,
     r"total_iters must be an int >= 1, got 0"),
])
def test_a_learners_mistake_in_nn_is_named(call, error, message):
    X, y = _xor()
    with pytest.raises(error, match=message):
        call(MLP(2, [4, 1], seed=0), X, y)


def test_fit_takes_numpy_arrays_and_the_readmes_loss_name():
    np = pytest.importorskip("numpy")
    from nn import fit

    X, y = _xor()
    history = fit(MLP(2, [4, 1], output_activation="sigmoid", seed=0), np.array(X), np.array(y),
                  loss="binary_cross_entropy", epochs=2, progress=False)
    assert len(history.loss) == 2 and all(math.isfinite(v) for v in history.loss)


def test_an_optimizers_state_with_a_nan_lr_is_refused_as_the_constructor_does():
    from nn import optim

    sgd = optim.SGD(MLP(2, [1], seed=0).parameters(), lr=0.1)
    state = sgd.state_dict()
    state["lr"] = math.nan
    with pytest.raises(ValueError, match="lr must be a finite number >= 0, got nan"):
        sgd.load_state_dict(state)
    assert sgd.lr == 0.1


# ---- 16: gradcheck's arguments ----

@pytest.mark.parametrize("eps", [0, math.nan, -1])
def test_gradcheck_refuses_a_step_that_is_no_step(eps):
    from autograd import gradcheck

    with pytest.raises(ValueError, match=f"eps must be a finite number > 0 and < 1, got {float(eps)}"):
        gradcheck(lambda x: x.log(), [1.0], eps=eps)


def test_gradcheck_shrinks_a_step_that_crosses_the_domain_and_takes_one_value():
    from autograd import gradcheck

    report = gradcheck(lambda x: x.log(), [1e-12])
    assert report.ok and report.inputs[0].analytic == 1e12
    assert gradcheck(lambda x: x * x, Value(3.0, "x")).inputs[0].name == "x"


# ---- 17, 18: engine arguments ----

@pytest.mark.parametrize("name", ["quiz", "explain", "draw", "text_graph"])
def test_a_number_where_a_graph_is_needed_says_a_value_is_needed(name):
    import autograd

    with pytest.raises(TypeError, match=r"root must be a Value \(the result of a computation"):
        getattr(autograd, name)(5)


def test_a_label_set_later_is_checked_as_the_constructor_does():
    v = Value(1.0)
    with pytest.raises(TypeError, match="label must be a str, got int"):
        v.label = 5
    assert v.label == ""


@pytest.mark.parametrize("digits", [0, 100, -5, "4", 2.0])
def test_digits_is_an_int_from_1_to_17_everywhere(digits):
    from autograd import explain

    y = Value(2.0, "x") * 3
    with pytest.raises((TypeError, ValueError), match="digits .* must be an int from 1 to 17"):
        explain(y, digits)


def test_a_huge_int_is_said_to_be_huge_not_shown_cut():
    with pytest.raises(ValueError, match="an int of 401 digits is too large for a float"):
        Value(10**400)


def test_a_custom_op_dividing_by_zero_names_the_op():
    from autograd import custom_op

    inverse = custom_op("inverse", lambda x: 1 / x, lambda x, out: -out * out)
    with pytest.raises(ZeroDivisionError, match=r"custom op 'inverse': its forward divides by zero at 0\.0"):
        inverse(Value(0.0))


def test_silent_no_ops_now_say_what_is_missing():
    from autograd import nudge, paths

    x = Value(3.0, "x")
    y = x * x
    with pytest.raises(ValueError, match=r"call root\.backward\(\) first"):
        nudge(y, x, 0.1)
    with pytest.raises(ValueError, match="leaf 'z' is not in the graph under the root"):
        paths(y, Value(1.0, "z"))
    with pytest.raises(ValueError, match="limit must be an int >= 1, got -1"):
        paths(y, x, limit=-1)
    with pytest.raises(ValueError, match="clamp lo must be a number, got nan"):
        Value(1.0).clamp(math.nan, 1)
    with pytest.raises(ValueError, match="leaky_relu slope must be a number, got nan"):
        Value(1.0).leaky_relu(math.nan)


# ---- 5: generated code's names ----

@pytest.mark.parametrize("labels", [("ℌ", "H"), ("ﬁ", "fi"), ("max", "float"), ("min", "abs"), ("x²", "a\0b"),
                                    ("math", "forward_backward")])
def test_generated_code_names_are_distinct_identifiers_that_shadow_nothing(labels):
    from autograd import compile

    a, b = Value(-2.0, labels[0]), Value(3.0, labels[1])
    y = (a + b) * a.relu() + abs(a) * b + a.clamp(-1, 1) + (a * b).tanh()
    function = compile(y, [a, b])  # checked against the graph inside
    y.backward()
    value, grads = function(-2.0, 3.0)
    assert value == y.data and grads == (a.grad, b.grad)


# ---- 8, 9, 10, 11, 12, 13: the CLI ----

def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    from autograd.cli import main

    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("argv, message", [
    (("1e309*x", "x=1"), "the number 1e309 is too large for a float"),
    (("x*y", "x=1e308", "y=10"), "'x\\*y' gives inf: the number overflows a float"),
    (("exp(x=1)", "x=1"), r"exp\(\) takes no keyword arguments"),
    (("exp",), r"exp is a function: call it on a value, like exp\(x\)"),
    (("leaky_relu(x, y)", "x=1", "y=2"), r"argument 2 is a parameter, a number written in the expression"),
    (("x", "x=1", "--json", "--style", "latex"), "--json prints JSON data; --style sets how text reads"),
    (("x*2", "x=1", "--svg", ".svg"), r"--svg writes a \.svg file; got '\.svg'"),
])
def test_the_cli_refuses_in_one_line_with_exit_2(capsys, argv, message):
    import re

    status, out, err = _cli(capsys, "explain", *argv)
    assert status == 2 and out == ""
    assert len(err.splitlines()) == 1 and re.search(message, err), err


def test_names_are_read_as_python_reads_them_on_both_sides(capsys):
    status, out, _ = _cli(capsys, "explain", "ｘ*2", "ｘ=1")
    assert status == 0 and "df/dx = 2.0" in out.replace("∂", "d")


def test_a_write_that_cannot_succeed_is_refused_before_any_output(capsys, tmp_path):
    (tmp_path / "d.html").mkdir()
    (tmp_path / "file").write_text("")
    for option, path, message in (("--html", tmp_path / "d.html", "is a folder"),
                                  ("--svg", tmp_path / "file" / "a.svg", "is a file, not a folder")):
        status, out, err = _cli(capsys, "explain", "x*2", "x=1", option, str(path))
        assert (status, out) == (2, "") and message in err and ".tmp" not in err and len(err.splitlines()) == 1


def test_a_long_name_the_os_accepts_is_written(capsys, tmp_path):
    path = tmp_path / ("a" * 240 + ".svg")
    pytest.importorskip("graphviz")
    from .conftest import require_program

    require_program("dot", "apt-get install graphviz")
    status, _, _ = _cli(capsys, "explain", "x*2", "x=1", "--svg", str(path))
    assert status == 0 and path.read_text().startswith("<?xml")


def test_a_symlink_is_written_through_and_a_link_to_a_non_file_refused(capsys, tmp_path):
    from autograd import write_atomically

    target = tmp_path / "target.txt"
    target.write_text("old")
    target.chmod(0o600)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_atomically(link, b"new")
    assert link.is_symlink() and target.read_text() == "new" and target.stat().st_mode & 0o777 == 0o600
    folder_link = tmp_path / "folder.html"
    folder_link.symlink_to(tmp_path)
    with pytest.raises(OSError, match="folder.html' is a folder"):
        write_atomically(folder_link, b"x")
    status, _, err = _cli(capsys, "explain", "x*2", "x=1", "--html", str(folder_link))
    assert status == 2 and "is a folder" in err


def test_worksheet_out_must_be_a_folder(capsys, tmp_path):
    (tmp_path / "file").write_text("")
    status, _, err = _cli(capsys, "worksheet", "--out", str(tmp_path / "file"))
    assert status == 2 and "is a file" in err and "Errno" not in err
    status, _, err = _cli(capsys, "worksheet", "--out", "")
    assert status == 2 and "--out needs a folder name" in err


def _run_cli(*argv: str, stdout: object) -> subprocess.CompletedProcess[str]:

    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, "-m", "autograd.cli", *argv], stdout=stdout, stderr=subprocess.PIPE,
                          text=True, env=env, timeout=60)


def test_ops_into_a_full_device_is_one_line_and_exit_2():
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "w") as full:
        done = _run_cli("ops", stdout=full)
    assert done.returncode == 2 and done.stderr == "chainrule: error: cannot write the output: No space left on device\n"


def test_ops_into_a_closed_pipe_ends_quietly():
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    reader = subprocess.Popen([sys.executable, "-m", "autograd.cli", "ops"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env)
    reader.stdout.close()  # like `| true`: nobody reads
    _, err = reader.communicate(timeout=60)
    assert reader.returncode == 0 and err == b""


# ---- 7: wrong answers accepted when the gradient overflowed ----

def test_an_infinite_gradient_is_never_matched_by_a_finite_answer():
    from autograd import quiz

    x, y, z = Value(1e308, "x"), Value(10.0, "y"), Value(1.0, "z")
    f = x * y * z
    f.label = "f"
    test = quiz(f)
    assert f.data == math.inf
    feedback = test.answer("z", 1e308)
    assert not feedback.correct and "overflowed" in str(feedback)
    assert test.answer("z", "inf").correct  # the true number, typed as such
    assert test.score == 1


def test_the_cli_quiz_refuses_an_expression_that_overflows(capsys):
    status, _, err = _cli(capsys, "quiz", "x*y*z", "x=1e308", "y=10", "z=1")
    assert status == 2 and "overflows a float" in err and len(err.splitlines()) == 1


def test_a_5000_character_label_draws_in_the_player_as_in_render(tmp_path):
    from autograd import write_player

    from .conftest import require_program

    require_program("dot", "apt-get install graphviz")
    x = Value(2.0, "w" * 5000)
    y = (x * 3).tanh()
    y.backward()
    page = write_player(y, tmp_path / "long.html").read_text(encoding="utf-8")
    assert "w" * 59 in page and "w" * 61 not in page  # the name is cut at 60 characters, with …


def test_no_graphviz_is_said_before_any_output_with_exit_2(capsys, monkeypatch):
    pytest.importorskip("graphviz")
    from autograd.show import drawing

    monkeypatch.setattr(drawing.shutil, "which", lambda name: None)
    status, out, err = _cli(capsys, "explain", "x*2", "x=1", "--svg", "graph.svg")
    assert (status, out) == (2, "") and "dot program is not installed" in err and len(err.splitlines()) == 1
