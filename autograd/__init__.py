"""chainrule's engine: scalar reverse-mode automatic differentiation, built to be looked at.

>>> from autograd import Value
>>> x = Value(2.0, "x"); w = Value(-3.0, "w")
>>> y = x * w + x
>>> y.backward()
>>> x.grad, w.grad
(-2.0, 2.0)

The engine (``autograd.engine``) needs only the standard library and is imported here; the
teaching text (``autograd.teach``) and the pictures and pages (``autograd.show``, which need
Graphviz's Python package) load on first use of one of their names.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .engine import labels as parameter_labels
from .engine.arguments import check_int as check_int  # for nn's argument checks; not in __all__
from .engine.arguments import check_real as check_real
from .engine.arguments import check_sequence as check_sequence
from .engine.custom import check_op, custom_op
from .engine.files import write_atomically
from .engine.functional import grad, hessian, jacobian, jvp, mode_costs
from .engine.gradient_check import GradcheckError, GradcheckReport, gradcheck
from .engine.graph import depth, topological_order
from .engine.modes import AnomalyError, detect_anomaly, no_grad
from .engine.ops import activations
from .engine.steps import BackwardStep, backward_steps
from .engine.value import Value, maximum, minimum

sum = Value.sum  # like torch.sum; not in __all__, so `import *` keeps the builtin
dot = Value.dot

# Names from the layers above the engine, loaded when first asked for: name -> module.
_LAZY = {
    "compile": ".teach.codegen", "to_python": ".teach.codegen",
    "label_locals": ".teach.naming",
    "GraphPath": ".teach.paths", "TooManyPathsError": ".teach.paths", "nudge": ".teach.paths", "paths": ".teach.paths",
    "Quiz": ".teach.quiz", "quiz": ".teach.quiz",
    "explain": ".teach.trace",
    "text_graph": ".teach.tree",
    "animate": ".show.animate",
    "draw": ".show.drawing", "render": ".show.drawing",
    "player": ".show.html_player", "write_player": ".show.html_player",
    "widget": ".show.widget",
}
_RENAMED = {"Path": "GraphPath"}  # old names that keep working

if TYPE_CHECKING:
    from .show.animate import animate
    from .show.drawing import draw, render
    from .show.html_player import player, write_player
    from .show.widget import widget
    from .teach.codegen import compile as compile  # re-exported; stays out of __all__, like sum
    from .teach.codegen import to_python
    from .teach.naming import label_locals
    from .teach.paths import GraphPath, TooManyPathsError, nudge, paths
    from .teach.paths import GraphPath as Path
    from .teach.quiz import Quiz, quiz
    from .teach.trace import explain
    from .teach.tree import text_graph


def __getattr__(name: str) -> Any:
    """A name of the teaching or drawing layer, imported on first use (then cached here)."""
    if name == "lab":  # the lab of broken backward passes, a module: autograd.lab.backward(root, "recursive")
        return importlib.import_module(".lab", __name__)
    target = _RENAMED.get(name, name)
    module = _LAZY.get(target)
    if module is None:
        raise AttributeError(f"module 'autograd' has no attribute {name!r}")
    found = getattr(importlib.import_module(module, __name__), target)
    globals()[name] = found
    return found


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY, *_RENAMED})


__all__ = [
    "AnomalyError",
    "activations",
    "animate",
    "BackwardStep",
    "GradcheckError",
    "GradcheckReport",
    "GraphPath",
    "Path",
    "Quiz",
    "TooManyPathsError",
    "Value",
    "backward_steps",
    "check_op",
    "custom_op",
    "depth",
    "detect_anomaly",
    "dot",
    "draw",
    "explain",
    "grad",
    "gradcheck",
    "hessian",
    "jacobian",
    "jvp",
    "label_locals",
    "maximum",
    "minimum",
    "mode_costs",
    "no_grad",
    "parameter_labels",
    "nudge",
    "paths",
    "player",
    "quiz",
    "render",
    "text_graph",
    "to_python",
    "topological_order",
    "widget",
    "write_atomically",
    "write_player",
]
