"""gradcheck: passes correct gradients, catches wrong ones and says which input."""

import math

import pytest

from autograd import GradcheckError, Value, gradcheck
from autograd.engine import value as value_module


def test_report_lists_every_input_with_both_numbers():
    report = gradcheck(lambda x, y: x * y + y.exp(), [2.0, Value(0.5, "y")])
    assert report.ok
    assert [c.name for c in report.inputs] == ["x0", "y"]
    assert report.inputs[0].analytic == 0.5
    assert report.inputs[0].numeric == pytest.approx(0.5, rel=1e-8)
    assert report.inputs[1].analytic == pytest.approx(2.0 + math.exp(0.5), rel=1e-15)
    assert report.output == pytest.approx(1.0 + math.exp(0.5))
    assert "gradcheck ok" in str(report)


def test_a_wrong_derivative_is_caught_and_named(monkeypatch):
    def broken_sin(self):  # derivative off by a factor of 2
        return value_module._node(math.sin(self.data), "sin", self, 2 * math.cos(self.data))

    monkeypatch.setattr(Value, "sin", broken_sin)
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda a, b: a.sin() + b, [Value(0.3, "a"), 1.0])
    message = str(info.value)
    assert "MISMATCH d/da at 0.3" in message
    assert repr(2 * math.cos(0.3)) in message  # backward's number
    assert "relative error 0.5" in message
    assert info.value.report.inputs[1].ok  # b was fine and is reported as such


def test_report_without_raising_at_a_kink():
    # relu'(0) is 0 by convention, but central differences at 0 see the average slope 0.5
    report = gradcheck(lambda x: x.relu(), [0.0], raise_on_mismatch=False)
    assert not report.ok
    assert (report.inputs[0].analytic, report.inputs[0].numeric) == (0.0, 0.5)
    assert "MISMATCH" in str(report)


def test_functions_returning_plain_numbers_are_accepted():
    report = gradcheck(lambda x: 3.0, [1.0])
    assert report.ok and report.inputs[0].analytic == 0.0 and report.output == 3.0


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="at least one input"):
        gradcheck(lambda: 1.0, [])
    with pytest.raises(TypeError, match="needs a function"):
        gradcheck(3, [1.0])
    with pytest.raises(TypeError, match="gradcheck input needs a real number"):
        gradcheck(lambda x: x, ["1"])
