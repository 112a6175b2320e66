"""The widget class behind ``autograd.widget``: an ``anywidget.AnyWidget`` (imported only here)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import anywidget
import traitlets

from . import assets
from .widget_state import fallback_bundle, graph_state, live_options, live_state, viz_source

if TYPE_CHECKING:
    from ..engine.value import Value


class Widget(anywidget.AnyWidget):
    """The backprop player live in a notebook (see ``autograd.widget``).

    Traits shared with the page: ``steps`` (how many steps ``backward_steps()`` yields; it
    follows the graph), ``step`` (the step shown, 0 to ``steps``), ``selected`` (a node's name,
    or "" for none), ``graph`` (what the page draws), ``curve`` (the loss by epoch while
    training) and ``caption``. A collapsed picture steps inside the box it opens: ``step``
    then stays 0.
    """

    _esm = assets.read("player.js") + "\n" + assets.read("widget.mjs")
    _css = assets.read("player.css") + "\n" + assets.read("widget.css")

    graph = traitlets.Dict().tag(sync=True)
    steps = traitlets.Int(0).tag(sync=True)
    step = traitlets.Int(0).tag(sync=True)
    selected = traitlets.Unicode("").tag(sync=True)
    curve = traitlets.List(traitlets.Float()).tag(sync=True)
    caption = traitlets.Unicode("").tag(sync=True)
    height = traitlets.Int(560).tag(sync=True)
    markup = traitlets.Unicode(assets.read("widget.html")).tag(sync=True)
    player_markup = traitlets.Unicode(assets.fill(assets.read("player-markup.html"), title="")).tag(sync=True)

    def __init__(self, root: Value | None = None, digits: int = 4, **draw_options: Any) -> None:
        super().__init__()
        self.digits, self.draw_options = digits, draw_options
        self.root: Value | None = None
        self.on_msg(self._on_message)
        if root is not None:
            self.update(root)

    @traitlets.validate("steps")
    def _valid_steps(self, proposal: Any) -> int:
        count = self.graph.get("count", 0)
        if proposal["value"] != count:
            raise traitlets.TraitError(f"steps is how many steps the graph's backward pass has ({count}); "
                                       "it changes with update(root), not by itself")
        return proposal["value"]

    @traitlets.validate("step")
    def _valid_step(self, proposal: Any) -> int:
        step = proposal["value"]
        if isinstance(step, bool):  # traitlets' Int takes True as 1; the project's own int checks refuse it
            raise traitlets.TraitError(f"step must be a whole number from 0 to {self.steps}, got {step!r}")
        if not 0 <= step <= self.steps:
            raise traitlets.TraitError(f"step must be from 0 to {self.steps} (the backward pass has {self.steps} "
                                       f"steps), got {step}")
        return step

    @traitlets.validate("selected")
    def _valid_selected(self, proposal: Any) -> str:
        name = proposal["value"]
        if name and name not in self.graph.get("index", {}):
            known = ", ".join(list(self.graph.get("index", {}))[:8]) or "none yet"
            raise traitlets.TraitError(f"selected must be a node's name as explain() gives it, or '' for none; "
                                       f"got {name!r} (names: {known})")
        return name

    def update(self, root: Value, **draw_options: Any) -> None:
        """Show the graph under ``root`` (with these draw options, else the widget's own),
        keeping zoom and pan, the selection if a node of that name is there, and the step if it
        still exists.

        >>> from autograd import Value
        >>> x = Value(2.0, "x"); w = Widget(x * 3); w.step = 1; w.selected = "x"
        >>> w.update((x * 3).tanh()); w.steps, w.step, w.selected
        (2, 1, 'x')
        """
        self.draw_options = draw_options or self.draw_options
        state = graph_state(root, self.digits, **self.draw_options)
        self._show(root, state)

    def show_training(self, root: Value, curve: list[float], caption: str = "", final: bool = False) -> None:
        """One redraw while training (``nn.fit(..., widget=w)``): ``root`` is one sample's loss,
        drawn with its current data and grads and each edge by the gradient it carries back;
        ``curve`` the loss by epoch. ``final=True`` ends it with the player on that sample, to
        step through, the edges still drawn by their gradients."""
        state = live_state(root, self.digits, **self.draw_options)
        if final:
            flows = state["flows"]
            state = graph_state(root, self.digits, **live_options(root, self.draw_options))
            state["flows"] = flows
        with self.hold_sync():
            self.curve = list(curve)
            self.caption = caption
            self._show(root, state)

    def _show(self, root: Value, state: dict) -> None:
        self.root = root
        with self.hold_sync():
            step = min(self.step, state["count"])
            self.step = 0  # valid under any count
            self.graph = state
            self.steps = state["count"]
            self.step = step
            if self.selected not in state["index"]:
                self.selected = ""

    def _on_message(self, _: Any, content: Any, buffers: Any) -> None:
        """The page asks once for Graphviz (WebAssembly, about 1.3 MB) to lay the graph out."""
        if isinstance(content, dict) and content.get("want") == "viz":
            source, problem = viz_source()
            self.send({"viz": source, "problem": problem})

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """The widget's view, and for a host that renders HTML but no widgets the static picture
        with a sentence saying so; the plain text says so too."""
        bundle = super()._repr_mimebundle_(**kwargs)
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        fallback = fallback_bundle(self.root, self.digits, self.draw_options)
        return {**fallback, **(data or {}), "text/plain": fallback["text/plain"]}, metadata

    def __repr__(self) -> str:
        return fallback_bundle(self.root, self.digits, self.draw_options)["text/plain"]
