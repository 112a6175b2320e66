"""chainrule's engine: scalar reverse-mode automatic differentiation, built to be looked at.

>>> from autograd import Value
>>> x = Value(2.0, "x"); w = Value(-3.0, "w")
>>> y = x * w + x
>>> y.backward()
>>> x.grad, w.grad
(-2.0, 2.0)
"""

from .engine.custom import check_op, custom_op
from .engine.functional import grad, hessian, jacobian, jvp, mode_costs
from .engine.gradient_check import GradcheckError, GradcheckReport, gradcheck
from .engine.graph import depth, topological_order
from .engine.modes import AnomalyError, detect_anomaly, no_grad
from .engine.steps import BackwardStep, backward_steps
from .engine.value import Value, maximum, minimum
from .show.drawing import draw, render
from .show.html_player import player, write_player
from .teach.codegen import compile, to_python  # noqa: A004 - like sum: not in __all__
from .teach.naming import label_locals
from .teach.paths import Path, TooManyPathsError, nudge, paths
from .teach.quiz import Quiz, quiz
from .teach.trace import explain
from .teach.tree import text_graph

sum = Value.sum  # noqa: A001 - like torch.sum; not in __all__, so `import *` keeps the builtin
dot = Value.dot

__all__ = [
    "AnomalyError",
    "BackwardStep",
    "GradcheckError",
    "GradcheckReport",
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
    "nudge",
    "paths",
    "player",
    "quiz",
    "render",
    "text_graph",
    "to_python",
    "topological_order",
    "write_player",
]
