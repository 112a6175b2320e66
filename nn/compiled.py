"""Training from generated code: a model's per-sample loss compiled once, then run as plain Python.

``autograd.compile`` writes the forward and backward pass of one sample's loss as a Python
function of the parameters and the inputs (branches such as relu's decided at run time).
A step calls it once per sample and averages the gradients: the same numbers as the
dynamic engine's step (the tests check 1e-12), at the speed of hand-written Python. The
function returns the model's output too, so accuracy needs no second forward pass.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial, reduce
from operator import add

from autograd import Value, compile, maximum

from . import losses
from .module import Module

# Losses whose batch value is the mean of per-sample values, and how a target enters the code.
PER_SAMPLE = {"mse": "input", "hinge": "label", "bce": "label", "binary_cross_entropy": "label", "bce_with_logits": "label",
              "softmax_cross_entropy": "label"}
MAX_LABELS = 16  # a function per distinct label for the classification losses


class CompiledLoss:
    """``loss(model(x), target)`` for one sample as generated code: ``value_and_grads(x, target)``.

    >>> from nn import MLP, losses
    >>> model = MLP(2, [4, 1], seed=0)
    >>> compiled = CompiledLoss(model, losses.hinge, "hinge", nin=2)
    >>> value, grads = compiled.value_and_grads([0.5, -1.0], 1)
    >>> len(grads) == len(model.parameters())
    True
    """

    def __init__(self, model: Module, loss_fn: Callable, loss_name: str, nin: int) -> None:
        if loss_name not in PER_SAMPLE:
            raise ValueError(f"compile=True works with the losses {', '.join(PER_SAMPLE)} (a mean of one term per "
                             f"sample); {loss_name!r} is not one of them: train it without compile")
        if loss_name == "softmax_cross_entropy":  # the same loss, its shift computed in the code
            loss_fn = partial(losses.shifted_softmax_cross_entropy, shift=lambda logits: reduce(maximum, logits))
        self.model, self.loss_fn, self.loss_name, self.nin = model, loss_fn, loss_name, nin
        self.parameters = model.parameters()
        self._functions: dict[float | None, Callable] = {}

    def _function(self, target: float) -> Callable:
        key = None if PER_SAMPLE[self.loss_name] == "input" else target
        function = self._functions.get(key)
        if function is None:
            if len(self._functions) >= MAX_LABELS:
                raise ValueError(f"more than {MAX_LABELS} different labels: compile=True is for classification "
                                 f"labels or mse targets")
            xs = [Value(0.0, f"x{k + 1}") for k in range(self.nin)]
            y: Value | float = Value(target, "target") if key is None else target
            output = self.model(xs)
            loss = self.loss_fn([output], [y])
            inputs = [*self.parameters, *xs, *([y] if isinstance(y, Value) else [])]
            function = compile(loss, inputs, "sample_loss", also=output if isinstance(output, list) else [output])
            self._functions[key] = function
        return function

    def value_and_grads(self, x: Sequence[float], target: float) -> tuple[float, tuple[float, ...]]:
        """One sample's loss and its gradient for each parameter (in ``model.parameters()`` order)."""
        return self._call([p.data for p in self.parameters], x, target)[:2]

    def _call(self, data: list[float], x: Sequence[float], target: float) -> tuple[float, tuple[float, ...], tuple]:
        extra = (target,) if PER_SAMPLE[self.loss_name] == "input" else ()
        value, grads, outputs = self._function(target)(*data, *x, *extra)
        return value, grads[: len(data)], outputs

    def batch(self, X: Sequence[Sequence[float]], targets: Sequence[float]) -> tuple[float, list[float]]:
        """The mean loss over a batch and the mean gradient for each parameter."""
        return self.run(X, targets)[:2]

    def run(self, X: Sequence[Sequence[float]], targets: Sequence[float]) -> tuple[float, list[float], list]:
        """``batch``, and the model's output for each sample (a float, or a list of floats for several outputs)."""
        data = [p.data for p in self.parameters]  # read once: the parameters do not move within a batch
        total, sums, outputs = 0.0, [0.0] * len(data), []
        for x, t in zip(X, targets):
            value, grads, output = self._call(data, x, t)
            total += value
            sums = list(map(add, sums, grads))
            outputs.append(output[0] if len(output) == 1 else list(output))
        n = len(X)
        return total / n, [g / n for g in sums], outputs
