"""The promise, checkable: every public function and class of autograd and nn, given a bad argument,
raises a ValueError or TypeError (or the ZeroDivisionError that names the op) whose message names
that argument, never another exception, never a hang (issue 25, "the error types").

Each public callable is called with good arguments (found by parameter name below) and then, one
parameter at a time, with each of a fixed, seeded set of bad values. A bad value a function may
accept (0 where 0 is fine) can pass; what fails the test is any other exception type, a message
that does not name the argument, or a call that runs past a few seconds.
"""

from __future__ import annotations

import inspect
import math
import random
import signal
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import autograd
import nn
from autograd import Value, tensor
from nn import data, losses, optim

SECONDS = 30  # per call: anything longer is a hang (generous: the machine may be busy)
UNWALKED: set[str] = set()

BAD: list[tuple[str, Any]] = [
    ("None", None), ("a string", "a"), ("an empty string", ""), ("-1", -1), ("0", 0), ("a negative float", -2.5),
    ("nan", math.nan), ("inf", math.inf), ("-inf", -math.inf), ("a huge float", 1e308), ("True", True),
    ("an empty list", []), ("a list of three", [1.0, 2.0, 3.0]), ("a nested list", [[1.0], [2.0, 3.0]]),
    ("an object", object()), ("a dict", {"a": 1}), ("a Value", Value(0.5, "bad")),
]

# Callables the walk does not call, and why.
SKIPPED = {
    "label_locals": "reads its caller's frame: no argument to check",
    "no_grad": "a context manager without arguments",
    "detect_anomaly": "a context manager without arguments",
    "to_torch": "needs torch (parity extra); checked in test_torch_bridge",
    "from_torch": "needs torch (parity extra); checked in test_torch_bridge",
    "check_int": "the checker itself (its doctest shows the messages)",
    "check_real": "the checker itself (its doctest shows the messages)",
    "check_sequence": "the checker itself (its doctest shows the messages)",
    "Module": "abstract: forward() is the subclass's",
    "Schedule": "abstract: lr_at() is the subclass's",
    "Optimizer": "abstract: update() is the subclass's",
}

# Parameter names whose messages may say the thing's role instead of the parameter's name.
SAID_AS = {
    "data": ("Value", "Tensor"), "f": ("function",), "fn": ("op", "function"), "forward": ("forward",),
    "outputs": ("output",), "inputs": ("input",), "parameters": ("parameters", "Values"),
    "probabilities": ("probabilit",), "batch_logits": ("logits", "softmax"), "scores": ("hinge", "score"),
    "predictions": ("prediction",), "logits": ("logit",), "targets": ("target",), "labels": ("label",),
    "X": ("X", "row", "input"), "y": ("y", "label"), "x": ("x", "input"), "root": ("root", "Value"),
    "text": ("expression",), "path": ("path", "file", "write", "suffix"), "model": ("model",),
    "state": ("state",), "name": ("name",), "seed": ("seed",), "other": ("'", "operand"),
    "terms": ("'sum'",), "xs": ("'dot'",), "ys": ("'dot'",),  # an item of the op's one list: the op is named
}


def _graph() -> tuple[Value, Value, Value]:
    x, w = Value(2.0, "x"), Value(-3.0, "w")
    y = (x * w + 1.0).tanh()
    y.label = "y"
    y.backward()
    return y, x, w


def good_arguments(tmp: Path) -> dict[str, Callable[[], Any]]:
    """A good value for each parameter name the public API uses (made fresh for each call)."""
    X, labels = data.make_xor(8, seed=0)
    return {
        "root": lambda: _graph()[0], "output": lambda: _graph()[0], "outputs": lambda: _graph()[0],
        "leaf": None,  # filled from the same graph as root below
        "inputs": None, "data": lambda: 1.5, "label": lambda: "x", "a": lambda: Value(1.0), "b": lambda: Value(2.0),
        "f": lambda: (lambda *xs: xs[0] * xs[-1]), "fn": lambda: Value.tanh, "h": lambda: 0.01, "path": lambda: tmp / "out.svg",
        "model": lambda: nn.MLP(2, [3, 1], seed=0), "X": lambda: X, "y": lambda: labels, "nin": lambda: 2,
        "nout": lambda: 2, "sizes": lambda: [3, 1], "parameters": lambda: [Value(1.0), Value(2.0)],
        "optimizer": lambda: optim.SGD([Value(1.0)], lr=0.1), "step_size": lambda: 2, "t_max": lambda: 10,
        "predictions": lambda: [Value(0.5)], "probabilities": lambda: [Value(0.5)], "logits": lambda: [Value(0.5)],
        "scores": lambda: [Value(0.5)], "targets": lambda: [1], "labels": lambda: [1],
        "batch_logits": lambda: [[Value(0.5), Value(-0.5)]], "shift": lambda: (lambda zs: 0.0),
        "name": lambda: "cube", "forward": lambda: (lambda x: x ** 3), "derivative": lambda: (lambda x, out: 3 * x * x),
        "tangents": lambda: [1.0, 0.0], "batch_size": lambda: 2, "n": lambda: 10, "before": lambda: {"a": 1.0},
        "after": lambda: {"a": 2.0}, "state": lambda: {}, "x": lambda: Value(1.0), "other": lambda: Value(1.0),
        "xs": lambda: [Value(1.0), Value(2.0)], "ys": lambda: [3.0, Value(4.0)], "terms": lambda: [Value(1.0), 2.0],
    }


# Good arguments that depend on the callable (a file's suffix says what it holds).
GOOD_FOR: dict[str, dict[str, Callable[[Path], Any]]] = {
    "animate": {"path": lambda tmp: tmp / "out.gif", "width": lambda tmp: 640},
    "write_player": {"path": lambda tmp: tmp / "out.html"},
    "fit": {"progress": lambda tmp: False, "epochs": lambda tmp: 2},
    "write_atomically": {"data": lambda tmp: b"bytes"},
    "autograd.tensor.Tensor": {"data": lambda tmp: [[1.0, 2.0], [3.0, 4.0]]},
    "autograd.tensor.mse": {"pred": lambda tmp: tensor.Tensor([0.5, 0.25]), "y": lambda tmp: [1.0, 0.0]},
    "autograd.tensor.bce": {"p": lambda tmp: tensor.Tensor([0.5, 0.25]), "y": lambda tmp: [1.0, 0.0]},
    "autograd.tensor.softmax_cross_entropy": {"logits": lambda tmp: tensor.Tensor([[1.0, 2.0]]),
                                              "targets": lambda tmp: [1]},
}


def public_callables() -> Iterator[tuple[str, Callable[..., Any]]]:
    """Every public function and class of autograd and nn (and nn's modules), by a readable name."""
    seen: set[int] = set()
    spaces = [("autograd", autograd, autograd.__all__), ("nn", nn, nn.__all__),
              ("nn.optim", optim, [n for n in vars(optim) if not n.startswith("_")]),
              ("nn.losses", losses, [n for n in vars(losses) if not n.startswith("_")]),
              ("nn.data", data, [n for n in vars(data) if not n.startswith("_")]),
              ("autograd.tensor", tensor, tensor.__all__)]
    probe = Value(0.5, "v")
    for name in dir(Value):  # the methods of a Value: x.clamp(lo, hi), x.leaky_relu(slope), x.backward(grad)...
        if not name.startswith("_") and callable(getattr(probe, name)) and name not in SKIPPED:
            yield f"Value.{name}", getattr(Value(0.5, "v"), name)
    for where, module, names in spaces:
        for name in names:
            thing = getattr(module, name)
            if not callable(thing) or id(thing) in seen or name in SKIPPED or isinstance(thing, type(math)):
                continue
            if getattr(thing, "__module__", "").split(".")[0] not in ("autograd", "nn"):
                continue  # typing helpers and the like
            if inspect.isclass(thing) and issubclass(thing, BaseException):
                continue
            seen.add(id(thing))
            yield f"{where}.{name}", thing


def _timeout(*_: object) -> None:
    raise TimeoutError("the call ran past the walk's limit")


def _call(function: Callable[..., Any], kwargs: dict[str, Any]) -> BaseException | None:
    signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(SECONDS)
    try:
        with warnings.catch_warnings():  # a bad argument may well warn (a diverging fit): the outcome is judged
            warnings.simplefilter("ignore")
            result = function(**kwargs)
        if inspect.isgenerator(result):
            for _ in result:
                pass
        return None
    except BaseException as error:  # judged by the caller
        return error
    finally:
        signal.alarm(0)


def _walk_cases(tmp: Path) -> Iterator[tuple[str, Callable[..., Any], dict[str, Any], str, str]]:
    good = good_arguments(tmp)
    for label, thing in public_callables():
        try:
            signature = inspect.signature(thing)
        except (TypeError, ValueError):
            continue
        parameters = [p for p in signature.parameters.values()
                      if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name != "self"]
        base: dict[str, Any] = {}
        graph = _graph()
        overrides = GOOD_FOR.get(label, GOOD_FOR.get(label.rpartition(".")[2], {}))
        for p in parameters:
            if p.name in ("root", "output", "outputs"):
                base[p.name] = graph[0]
            elif p.name == "leaf":
                base[p.name] = graph[1]
            elif p.name == "inputs":
                base[p.name] = [graph[1], graph[2]]
            elif p.name in overrides:
                base[p.name] = overrides[p.name](tmp)
            elif p.default is p.empty:
                if good.get(p.name) is None:
                    UNWALKED.add(f"{label}({p.name})")
                    break  # a required parameter the walk cannot fill: not walked (listed in the report)
                base[p.name] = good[p.name]()
        else:
            for p in parameters:
                for what, bad in BAD:
                    yield label, thing, {**base, p.name: bad}, p.name, what


def _judge(label: str, error: BaseException | None, parameter: str, what: str) -> str | None:
    """None when the outcome keeps the promise, else what went wrong."""
    if error is None:
        return None
    if isinstance(error, ZeroDivisionError):
        return None if "'" in str(error) or "divides" in str(error) else f"{label}({parameter}={what}): bare {error!r}"
    if isinstance(error, (autograd.GradcheckError, KeyboardInterrupt)):
        return None  # gradcheck's verdict, not an error of the call
    if not isinstance(error, (ValueError, TypeError)) or isinstance(error, TimeoutError):
        return f"{label}({parameter}={what}): {type(error).__name__}: {error}"
    message = str(error)
    names = (parameter, *SAID_AS.get(parameter, ()))
    if not any(name in message for name in names):
        return f"{label}({parameter}={what}): {type(error).__name__} without the argument's name: {message[:160]}"
    return None


def test_every_public_callable_refuses_bad_arguments_by_name(tmp_path, record_property):
    random.seed(0)
    problems, tried, callables = [], 0, set()
    for label, thing, kwargs, parameter, what in _walk_cases(tmp_path):
        callables.add(label)
        tried += 1
        problem = _judge(label, _call(thing, kwargs), parameter, what)
        if problem:
            problems.append(problem)
    record_property("cases", tried)
    print(f"argument walk: {tried} calls over {len(callables)} callables; not walked: {sorted(UNWALKED)}")
    assert tried > 1000 and len(callables) > 40
    shown = {problem.split("(")[0] + "(" + problem.split("(")[1].split("=")[0]: problem for problem in problems}
    assert problems == [], f"{len(problems)} of {tried} calls broke the promise, e.g.:\n" + "\n".join(shown.values())


def test_the_projects_own_errors_are_value_or_type_errors():
    """What a learner catches: each error class the project defines is a ValueError or TypeError; a
    gradcheck mismatch is a verdict (an AssertionError, as in a test), and the CLI's UsageError never
    leaves main()."""
    import ast

    root = Path(__file__).resolve().parents[1]
    found = {}
    for path in [*root.joinpath("autograd").rglob("*.py"), *root.joinpath("nn").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.name.endswith("Error"):
                module = ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
                found[node.name] = getattr(__import__(module, fromlist=[node.name]), node.name)
    verdicts = {"GradcheckError", "UsageError"}
    assert len(found) >= 10
    assert [name for name, cls in found.items()
            if name not in verdicts and not issubclass(cls, (ValueError, TypeError))] == []
