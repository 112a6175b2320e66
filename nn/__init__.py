"""chainrule's neural-network layer, built only on autograd's public API.

>>> from nn import MLP
>>> model = MLP(2, [4, 1], seed=0)
>>> loss = (model([1.0, 2.0]) - 1.0) ** 2
>>> model.zero_grad(); loss.backward()
>>> any(p.grad != 0 for p in model.parameters())
True
"""

from . import data, diagnostics, losses, optim
from .layers import MLP, Layer, Neuron
from .module import Module, StateError
from .torch_bridge import from_torch, to_torch
from .training import History, accuracy, fit, layer_gradient_norms, predict

__all__ = ["MLP", "History", "Layer", "Module", "Neuron", "StateError", "accuracy", "data", "diagnostics", "fit",
           "from_torch", "layer_gradient_norms", "losses", "optim", "predict", "to_torch"]
