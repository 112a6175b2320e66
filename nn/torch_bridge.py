"""From chainrule to PyTorch and back: an MLP as a float64 ``torch.nn.Sequential`` with the same weights.

For learners who outgrow a scalar engine: the same network, trained either way, gives the
same losses (tests check it to 1e-12). PyTorch is imported only when these are called.
"""

from __future__ import annotations

from typing import Any

from .layers import MLP

# activation name -> how to build it in torch, and how to recognise it coming back
_TO_TORCH = {
    "relu": lambda nn: nn.ReLU(),
    "tanh": lambda nn: nn.Tanh(),
    "sigmoid": lambda nn: nn.Sigmoid(),
    "leaky_relu": lambda nn: nn.LeakyReLU(0.01),
    "softplus": lambda nn: nn.Softplus(),  # PyTorch returns x itself above 20; chainrule stays exact
}
_FROM_TORCH = {"ReLU": "relu", "Tanh": "tanh", "Sigmoid": "sigmoid", "LeakyReLU": "leaky_relu", "Softplus": "softplus"}


def _torch() -> Any:
    try:
        import torch
    except ImportError:
        raise ImportError("to_torch and from_torch need PyTorch: pip install torch==2.13.0 "
                          "(pinned: an unpinned torch pulls a multi-GB CUDA build)") from None
    return torch


def to_torch(model: MLP) -> Any:
    """The MLP as ``torch.nn.Sequential`` of float64 ``Linear`` layers and activations, same weights.

    >>> import pytest; torch = pytest.importorskip("torch")
    >>> model = MLP(2, [3, 1], seed=0)
    >>> net = to_torch(model)
    >>> [type(m).__name__ for m in net]
    ['Linear', 'ReLU', 'Linear']
    >>> abs(net(torch.tensor([0.5, -1.0], dtype=torch.float64)).item() - model([0.5, -1.0]).data) < 1e-12
    True
    """
    if not isinstance(model, MLP):
        raise TypeError(f"to_torch takes an nn.MLP, got {type(model).__name__}")
    torch = _torch()
    modules = []
    for layer in model.layers:
        neurons = layer.neurons
        linear = torch.nn.Linear(len(neurons[0].w), len(neurons), dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor([[w.data for w in n.w] for n in neurons], dtype=torch.float64))
            linear.bias.copy_(torch.tensor([n.b.data for n in neurons], dtype=torch.float64))
        modules.append(linear)
        if neurons[0].activation not in (None, "linear"):
            modules.append(_TO_TORCH[neurons[0].activation](torch.nn))
    return torch.nn.Sequential(*modules)


def from_torch(module: Any) -> MLP:
    """A ``torch.nn.Sequential`` of ``Linear`` layers, each followed by at most one activation, as an MLP.

    Hidden layers must share one activation (MLP's ``activation``); the last may have its own.

    >>> import pytest; torch = pytest.importorskip("torch")
    >>> back = from_torch(to_torch(MLP(2, [3, 1], activation="tanh", seed=0)))
    >>> back.sizes, back.activation
    ([3, 1], 'tanh')
    """
    torch = _torch()
    if not isinstance(module, torch.nn.Sequential):
        raise TypeError(f"from_torch takes a torch.nn.Sequential of Linear layers and activations, got {type(module).__name__}")
    layers: list[list] = []  # [linear, activation name or None]
    for k, part in enumerate(module):
        kind = type(part).__name__
        if isinstance(part, torch.nn.Linear):
            if part.bias is None:
                raise ValueError(f"layer {k} (Linear) has no bias; chainrule's neurons all have one")
            layers.append([part, None])
        elif kind in _FROM_TORCH and layers and layers[-1][1] is None:
            if kind == "LeakyReLU" and part.negative_slope != 0.01:
                raise ValueError(f"layer {k}: LeakyReLU with slope {part.negative_slope}; MLP's leaky_relu uses 0.01")
            layers[-1][1] = _FROM_TORCH[kind]
        else:
            raise ValueError(f"layer {k} ({kind}) is not one chainrule's MLP has: it takes Linear layers, each "
                             f"followed by at most one of {', '.join(_FROM_TORCH)}")
    if not layers:
        raise ValueError("the Sequential has no Linear layer")
    hidden = {activation for _, activation in layers[:-1]}
    if len(hidden) > 1:
        raise ValueError(f"the hidden layers use different activations ({', '.join(map(str, hidden))}); "
                         "an MLP has one activation for its hidden layers")
    sizes = [linear.out_features for linear, _ in layers]
    model = MLP(layers[0][0].in_features, sizes, activation=hidden.pop() if hidden else "relu",
                output_activation=layers[-1][1])
    for (linear, _), layer in zip(layers, model.layers):
        weight, bias = linear.weight.detach().double().tolist(), linear.bias.detach().double().tolist()
        for neuron, row, b in zip(layer.neurons, weight, bias):
            for w, value in zip(neuron.w, row):
                w.data = value
            neuron.b.data = b
    return model
