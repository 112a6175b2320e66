"""Types that editors see: the typed op methods match the op table, a learner's code using every op
type-checks, a misspelt op does not, and the packages say they are typed (py.typed)."""

import importlib.util
import os
import textwrap
from importlib import resources
from pathlib import Path

import pytest

from autograd.engine.ops import TABLE

ROOT = Path(__file__).resolve().parent.parent


def _tool():
    spec = importlib.util.spec_from_file_location("op_types", ROOT / "tools" / "op_types.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_typed_op_methods_are_the_tables():
    """Fails when an op is added, renamed or given a parameter without running tools/op_types.py."""
    tool = _tool()
    source = tool.TARGET.read_text(encoding="utf-8")
    assert tool.replaced(source) == source, "run python tools/op_types.py"
    assert tool.main(["--check"]) == 0
    # every table op with a method appears, with its parameters
    block = tool.block()
    for op in TABLE:
        if op.forward:
            assert f"def {op.method}(self" in block
            for name, _ in op.params:
                assert f"{name}: float | None = None" in block


def test_the_check_fails_on_a_stale_block(capsys):
    tool = _tool()
    source = tool.TARGET.read_text(encoding="utf-8")
    stale = source.replace("        def tanh(self) -> Value: ...\n", "")
    assert stale != source and tool.replaced(stale) == source
    assert tool.replaced(stale.replace("def cosh(self)", "def cosh(self, x: float)")) == source


def test_the_packages_say_they_are_typed():
    assert resources.files("autograd").joinpath("py.typed").is_file()
    assert resources.files("nn").joinpath("py.typed").is_file()


# A learner's file using every op of the table. Every unary op's method appears here, so an op
# added to the table must be added here too (the test below checks that).
USES_EVERY_OP = """
from typing_extensions import assert_type

from autograd import Value, maximum, minimum
from autograd.engine.ops import BY_NAME, Op

x = Value(0.5, "x")
y = Value(2.0, "y")
assert_type(x.op, Op)
assert_type(BY_NAME["tanh"], Op)
assert_type(x * 2, Value)
assert_type(2 * x, Value)
assert_type(x + y, Value)
assert_type(1 + x, Value)
assert_type(x - 1.5, Value)
assert_type(2 - x, Value)
assert_type(x / y, Value)
assert_type(3 / x, Value)
assert_type(x ** y, Value)
assert_type(x ** 2, Value)
assert_type(2 ** x, Value)
assert_type(x % y, Value)
assert_type(7 % y, Value)
assert_type(-x, Value)
assert_type(abs(x), Value)
assert_type(maximum(x, y), Value)
assert_type(minimum(x, 1.0), Value)
assert_type(x.exp(), Value)
assert_type(x.log(), Value)
assert_type(x.log2(), Value)
assert_type(x.log10(), Value)
assert_type(x.log1p(), Value)
assert_type(x.expm1(), Value)
assert_type(x.sqrt(), Value)
assert_type(x.tanh(), Value)
assert_type(x.sigmoid(), Value)
assert_type(x.relu(), Value)
assert_type(x.leaky_relu(), Value)
assert_type(x.leaky_relu(0.2), Value)
assert_type(x.softplus(), Value)
assert_type(x.clamp(0, 1), Value)
assert_type(x.clamp(lo=-1.0), Value)
assert_type(x.sin(), Value)
assert_type(x.cos(), Value)
assert_type(x.tan(), Value)
assert_type(x.asin(), Value)
assert_type(x.acos(), Value)
assert_type(x.atan(), Value)
assert_type(x.sinh(), Value)
assert_type(x.cosh(), Value)
assert_type(Value.sum([x, y, 3]), Value)
assert_type(Value.dot([x, y], [1.0, 2.0]), Value)
loss = ((x * y + 1).tanh() - 0.5) ** 2
loss.backward()
assert_type(x.grad, float)
assert_type(loss.item(), float)
"""


def test_the_learners_file_uses_every_op():
    methods = {op.method for op in TABLE if op.forward and len(op.operands) == 1 and not op.method.startswith("_")}
    assert {m for m in methods if f".{m}(" not in USES_EVERY_OP} == set()


def _mypy(tmp_path: Path, source: str) -> tuple[str, int]:
    try:
        from mypy import api
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("mypy is not installed: CI installs the lint extra")
        pytest.skip("mypy is not installed (pip install -e '.[lint]')")
    user = tmp_path / "learner.py"
    user.write_text(textwrap.dedent(source), encoding="utf-8")
    # the packages come from this checkout; mypy's cache is shared by the two tests
    cache = ROOT / ".mypy_cache"
    out, err, status = api.run([str(user), "--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(cache),
                                "--no-error-summary", "--hide-error-context"])
    return out + err, status


@pytest.mark.slow
def test_mypy_sees_every_op_on_value(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    out, status = _mypy(tmp_path, USES_EVERY_OP)
    assert status == 0, out


@pytest.mark.slow
def test_mypy_rejects_a_misspelt_op(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    out, status = _mypy(tmp_path, """
        from autograd import Value

        x = Value(0.5)
        y = x.tanhh()
        z = x.clamp("0", 1)
    """)
    assert status == 1
    assert '"Value" has no attribute "tanhh"' in out
    assert 'Argument 1 to "clamp" of "Value" has incompatible type "str"' in out
