"""Tensors as scalars: the matrix formulas a course writes next, built from the scalar graph.

``from autograd.tensor import Tensor, bce, mse, softmax_cross_entropy, rules``

A ``Tensor`` is a 1-D or 2-D grid of ordinary ``Value``s (``autograd.engine.tensor``); ``rules``
(``autograd.teach.tensors``) writes each tensor's gradient in matrix form, ``dL/dW = Xᵀ · dL/dZ``,
and evaluates it: it equals the ``.grad`` the scalar engine found, element by element.

>>> X = Tensor([[1.0, 2.0], [3.0, 4.0]], "X"); W = Tensor([[0.5], [-1.0]], "W")
>>> L = mse(X @ W, [[0.0], [1.0]])
>>> L.backward()
>>> [(r.rule, r.value) for r in rules(L) if r.tensor.label == "W"]
[('dL/dW = Xᵀ · dL/d(X @ W)', [[-12.0], [-17.0]])]
>>> W.grad
[[-12.0], [-17.0]]
"""

from __future__ import annotations

from typing import Any

from .engine import tensor as _engine
from .engine.tensor import bce, mse, softmax_cross_entropy
from .teach.tensors import TensorRule, rules

__all__ = ["Tensor", "TensorRule", "bce", "mse", "rules", "softmax_cross_entropy"]


class Tensor(_engine.Tensor):
    """A 1-D or 2-D tensor of Values (see ``autograd.engine.tensor.Tensor``), with numpy's bridge.

    >>> Tensor([[1.0, 2.0]], "W").values[0][1]
    Value(data=2.0, grad=0.0, label='W[1,2]')
    """

    __slots__ = ()

    def numpy(self) -> Any:
        """The data as a float64 numpy array (numpy must be installed: it is an extra, never required).

        >>> Tensor([1.0, 2.0]).numpy().tolist()
        [1.0, 2.0]
        """
        try:
            import numpy
        except ImportError:
            raise ImportError("Tensor.numpy() needs numpy, which is not installed: pip install numpy") from None
        return numpy.array(self.data, dtype=numpy.float64)
