"""The notebook widget: the player's front end live in a notebook, driven from Python.

``widget(root)`` is an ``anywidget.AnyWidget`` (the ``notebooks`` extra) that runs in
JupyterLab, Notebook 7, VS Code, Colab and marimo. Its front end is the player's own
(``assets/player.js``, mounted by ``assets/widget.mjs``), with the graph laid out in the page
by Graphviz compiled to WebAssembly (``make vendor``), so no ``dot`` is needed. Python and
the page share the traits ``steps``, ``step`` and ``selected`` (a node's name); ``update(root)``
shows another graph and keeps the view. ``nn.fit(..., widget=w)`` shows one sample's graph
while a network trains: its edges as wide as the gradient they carry back, coloured by its
sign, beside the loss curve. What the page receives is built in ``widget_state``; the class is
``widget_model.Widget``, imported only here, on call, so that this module needs no anywidget.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..engine.value import Value
    from .widget_model import Widget


def widget(root: Value | None = None, digits: int = 4, **draw_options: Any) -> Widget | Any:
    """A live widget of the backward pass under ``root`` for a notebook (``anywidget``).

    Step with its buttons, the arrow keys or ``w.step = k``; click a node (or set
    ``w.selected = name``) to see its whole chain-rule sum, every edge into its gradient;
    zoom with + and -, drag to pan; ``collapse="neuron"`` (and ``draw``'s other options) as
    in the player. ``w.update(new_root)`` shows another graph, keeping zoom, pan and the
    selection where the names match. ``nn.fit(..., widget=w)`` trains in it. ``root`` may be
    left out for a widget that ``fit`` fills.

    Without anywidget installed this warns and returns the static picture (``draw``); shown
    where no widget can run (a terminal, a front end without a widget manager), the widget says so and
    shows the static picture.

    >>> from autograd import Value
    >>> x = Value(2.0, "x"); y = (x * 3).tanh(); y.label = "y"
    >>> w = widget(y)
    >>> w.steps, w.step, w.selected
    (2, 0, '')
    >>> w.step = 2; w.selected = "x"
    >>> len(w.graph["sums"][w.graph["index"]["x"]])   # x's whole chain-rule sum: one edge
    1
    """
    try:
        from .widget_model import Widget
    except ImportError as missing:
        warnings.warn(f"autograd.widget needs anywidget ({missing}): pip install 'chainrule[notebooks]'; "
                      "showing the static picture instead", RuntimeWarning, stacklevel=2)
        from .drawing import draw

        if root is None:
            raise ValueError("without anywidget there is no live widget to fill later: pass the graph's root") from None
        return draw(root, digits=digits, **draw_options)
    return Widget(root, digits=digits, **draw_options)
