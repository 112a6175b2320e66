"""Neuron, Layer and MLP: a neuron's weighted sum is one n-ary node, so graphs stay small.

Parameters carry short labels from their place, counted from 1, so that pictures and
explanations name them: ``L1.n3.w2`` is layer 1, neuron 3, weight 2 and ``L1.n3.b`` its
bias (``named_parameters()`` calls the same one ``layers.0.neurons.2.w.1``, counted from 0
as PyTorch does). A neuron's weighted sum is then named ``L1.n3`` in pictures.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from autograd import Value, activations, check_int, parameter_labels

from .module import Module

Input = Sequence["Value | float"]

# The op table's activations (tanh, sigmoid, relu, leaky_relu, softplus), or none.
ACTIVATIONS: dict[str | None, Callable[[Value], Value] | None] = {
    None: None,
    "linear": None,
    **{op.name: getattr(Value, op.method) for op in activations()},
}


def _activation(name: str | None, what: str = "activation") -> Callable[[Value], Value] | None:
    if not (name is None or isinstance(name, str)) or name not in ACTIVATIONS:
        raise (ValueError if isinstance(name, str) else TypeError)(
            f"unknown {what} {name!r:.40}; choose one of {', '.join(map(repr, ACTIVATIONS))}")
    return ACTIVATIONS[name]


def _rng(seed: int | random.Random | None) -> random.Random:
    return seed if isinstance(seed, random.Random) else random.Random(seed)


def _checked(x: Input, nin: int) -> Input:
    if isinstance(x, (str, bytes)) or not hasattr(x, "__len__") or not hasattr(x, "__getitem__"):
        raise TypeError(f"a layer of {nin} inputs takes a list of {nin} numbers or Values, "
                        f"got {type(x).__name__}: {x!r:.40}" + (f" (write [{x!r}])" if nin == 1 else ""))
    if len(x) != nin:
        raise ValueError(f"this layer takes {nin} inputs, got {len(x)}")
    return x


class Neuron(Module):
    """activation(w . x + b), with w drawn uniformly from [-1, 1] and b = 0 (micrograd's start).

    >>> n = Neuron(2, activation="tanh", seed=1)
    >>> out = n([1.0, 2.0]); out.op
    'tanh'
    """

    def __init__(self, nin: int, activation: str | None = "relu", seed: int | random.Random | None = None) -> None:
        check_int(nin, "nin (a neuron's number of inputs)", 1)
        rng = _rng(seed)
        self.w = [Value(rng.uniform(-1.0, 1.0)) for _ in range(nin)]
        self.b = Value(0.0)
        self.activation = activation
        self._act = _activation(activation)
        self.label_parameters("")

    def label_parameters(self, owner: str) -> None:
        """Label the weights ``{owner}.w1, .w2, ...`` and the bias ``{owner}.b`` (autograd.parameter_labels).

        >>> n = Neuron(2, seed=0); n.label_parameters("L1.n3"); [p.label for p in n.parameters()]
        ['L1.n3.w1', 'L1.n3.w2', 'L1.n3.b']
        """
        for k, w in enumerate(self.w, start=1):
            w.label = parameter_labels.weight(owner, k)
        self.b.label = parameter_labels.bias(owner)

    def forward(self, x: Input) -> Value:
        total = Value.dot(self.w, _checked(x, len(self.w)), start=self.b)
        return self._act(total) if self._act else total

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, activation={self.activation!r})"


class Layer(Module):
    """``nout`` neurons over the same inputs; always returns a list of Values."""

    def __init__(self, nin: int, nout: int, activation: str | None = "relu",
                 seed: int | random.Random | None = None) -> None:
        check_int(nout, "nout (a layer's number of neurons)", 1)
        rng = _rng(seed)
        self.neurons = [Neuron(nin, activation, rng) for _ in range(nout)]
        self._act = _activation(activation)
        self.label_parameters("")

    def label_parameters(self, owner: str) -> None:
        """Label neuron j's parameters ``{owner}.n{j}.w1, ...`` (from 1)."""
        for j, neuron in enumerate(self.neurons, start=1):
            neuron.label_parameters(parameter_labels.neuron(owner, j))

    def forward(self, x: Input) -> list[Value]:
        neurons = self.neurons
        # One dot node per neuron, with the inputs read once for the whole layer.
        sums = Value.dots([n.w for n in neurons], _checked(x, len(neurons[0].w)), [n.b for n in neurons])
        return list(map(self._act, sums)) if self._act else sums

    def __repr__(self) -> str:
        return f"Layer({len(self.neurons[0].w)}, {len(self.neurons)}, activation={self.neurons[0].activation!r})"


class MLP(Module):
    """A multilayer perceptron: ``MLP(2, [16, 16, 1])`` has 337 parameters.

    Hidden layers use ``activation``; the last layer ``output_activation`` (None: linear).
    A final layer of width 1 returns one Value, otherwise a list.

    >>> model = MLP(2, [16, 16, 1], seed=0)
    >>> len(model.parameters())
    337
    >>> model([0.5, -1.0]).op
    'dot'
    """

    def __init__(self, nin: int, sizes: Sequence[int], activation: str | None = "relu",
                 output_activation: str | None = None, seed: int | random.Random | None = None) -> None:
        check_int(nin, "nin (the number of inputs)", 1)
        if isinstance(sizes, (int, float)):
            raise TypeError(f"sizes is a list of layer widths, got the number {sizes!r}: "
                            f"MLP({nin}, [{sizes!r}]) is one layer of {sizes!r}, e.g. MLP(2, [16, 16, 1])")
        if not isinstance(sizes, Sequence) or isinstance(sizes, str):
            raise TypeError(f"sizes is a list of layer widths like [16, 16, 1], got {type(sizes).__name__}")
        if not sizes:
            raise ValueError("sizes: an MLP needs at least one layer size, e.g. MLP(2, [16, 16, 1])")
        for k, size in enumerate(sizes):
            check_int(size, f"sizes[{k}] (a layer's width)", 1)
        _activation(activation)
        _activation(output_activation, "output_activation")
        rng = _rng(seed)
        widths = [nin, *sizes]
        self.layers = [
            Layer(widths[i], widths[i + 1], activation if i < len(sizes) - 1 else output_activation, rng)
            for i in range(len(sizes))
        ]
        for i, layer in enumerate(self.layers, start=1):
            layer.label_parameters(parameter_labels.layer(i))
        self.nin, self.sizes = nin, list(sizes)
        self.activation, self.output_activation = activation, output_activation

    def forward(self, x: Input) -> Value | list[Value]:
        out = x
        for layer in self.layers:
            out = layer(out)
        assert isinstance(out, list)  # a layer returns a list
        return out[0] if len(out) == 1 else out

    def __repr__(self) -> str:
        return (f"MLP({self.nin}, {self.sizes}, activation={self.activation!r}, "
                f"output_activation={self.output_activation!r}): {len(self.parameters())} parameters")
