"""The backward pass as an animated GIF, for slides that cannot run the HTML player.

``animate(root, "backprop.gif")`` draws the forward picture first, then one frame per backward
step: the same drawing as ``draw(root, highlight=step, edge_labels="rule")``, fitted into a
16:9 frame, with the step's chain-rule lines in large text underneath. Pillow builds the GIF
(``pip install pillow``; the ``demos`` extra has it); Graphviz's ``dot`` draws the frames.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..engine.arguments import check_int, check_real
from ..engine.files import write_atomically, write_target
from ..engine.graph import scratch_grads
from ..engine.steps import backward_steps
from ..engine.value import Value
from ..teach.naming import node_names
from .drawing import draw, run_dot

MAX_WIDTH = 1920  # 1920x1080 at most: a projector's full HD
MIN_WIDTH = 640
TEXT_PX = 40  # the chain-rule lines at 1920 wide; smaller frames scale it down, long lines shrink it
MIN_TEXT_PX = 22
MAX_LINES = 5  # a step with more edges shows the first ones and says how many more
MARGIN = 0.03  # of the width
LINE_SPACING = 1.35  # of the text's size
DPI = 96
FONT_FILES = ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
              "/Library/Fonts/Arial Unicode.ttf", "C:/Windows/Fonts/arial.ttf")


def animate(root: Value, path: str | os.PathLike, seconds_per_step: float = 2.5, width: int = MAX_WIDTH,
            digits: int = 4) -> Path:
    """Write the backward pass under ``root`` to the animated GIF ``path``; return the path.

    Frame 1 is the forward picture (values, the grads still blank); then one frame per step
    of ``root.backward_steps()``, its node and edges highlighted and its rule in large text;
    the last frame shows every gradient. Frames are ``width`` x ``width * 9 / 16`` pixels
    (a multiple of 16, at most 1920x1080), each shown ``seconds_per_step`` seconds (the first and last longer).
    The grads of the graph are left as they were.

    >>> import tempfile, os, shutil
    >>> x = Value(2.0, "x"); y = (x * 3).tanh(); y.label = "y"
    >>> if shutil.which("dot"):
    ...     gif = animate(y, os.path.join(tempfile.mkdtemp(), "y.gif"), width=640)
    """
    write_target(path)  # a str or path, not a folder or a link to a device: refused before any drawing
    check_int(digits, "digits (significant digits shown)", 1, 17)
    path = Path(path)
    if path.suffix.lower() != ".gif":
        raise ValueError(f"animate writes a .gif file; got {path.name!r} (name it like backprop.gif)")
    if not isinstance(root, Value):
        raise TypeError(f"animate needs the Value at the top of a graph, got {type(root).__name__}")
    seconds = check_real(seconds_per_step, "seconds_per_step", 0.2, 60)
    if isinstance(width, bool) or not isinstance(width, int) or not MIN_WIDTH <= width <= MAX_WIDTH or width % 16:
        raise ValueError(f"width is the frame's width in pixels, a multiple of 16 (so that the frame is exactly "
                         f"16:9) from {MIN_WIDTH} to {MAX_WIDTH}, like 1280 or 1920; got {width!r}")
    pillow = _pillow()
    size = (width, width * 9 // 16)
    names = node_names(root)
    frames = []

    def frame(caption: list[str], **options: object) -> None:
        text = _Caption(pillow, caption, size)
        frames.append(text.under(_picture(pillow, root, names, digits, text.room, options), size))

    with scratch_grads(root):
        root.grad = 1.0  # the seed backward starts from, shown on the forward picture; backward_steps adds its own
        frame([f"forward: {names[root]} = {root.data:.{digits}g}",
               f"then backward, one node at a time, from d{names[root]}/d{names[root]} = 1"], hide_grads=True)
        root.grad = 0.0
        for step in backward_steps(root, digits=digits, names=names):
            frame([f"step {step.index} of {step.total}: at {step.node_name}", *step.lines()], highlight=step)
        frame([f"done: every gradient of {names[root]}", "the chain rule, applied once at every node, "
               "in reverse topological order"])
    step_ms = round(seconds * 1000)
    durations = [max(step_ms, 3000)] + [step_ms] * (len(frames) - 2) + [max(2 * step_ms, 4000)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0,
                   optimize=False, disposal=1)
    write_atomically(path, buffer.getvalue())
    return path


def _pillow() -> tuple[Any, Any, Any]:
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError:
        raise RuntimeError("animate needs Pillow to write a GIF: pip install pillow "
                           "(or pip install 'chainrule[demos]')") from None
    return Image, ImageFont, ImageDraw


def _font(font_module: Any, px: int) -> Any:
    for name in FONT_FILES:
        try:
            return font_module.truetype(name, px)
        except OSError:
            continue
    return font_module.load_default(size=px)


class _Caption:
    """A frame's text band: its lines in the largest font that fits the width, and the room left above."""

    def __init__(self, pillow: tuple[Any, Any, Any], caption: Sequence[str], size: tuple[int, int]) -> None:
        image, font_module, draw_module = pillow
        width, height = size
        self.margin = round(MARGIN * width)
        self.lines = list(caption[:MAX_LINES])
        if len(caption) > MAX_LINES:
            self.lines.append(f"... and {len(caption) - MAX_LINES} more")
        self.px = max(MIN_TEXT_PX, round(TEXT_PX * width / MAX_WIDTH))
        self.font = _font(font_module, self.px)
        pen = draw_module.Draw(image.new("RGB", (1, 1)))
        while self.px > MIN_TEXT_PX and max(pen.textlength(t, font=self.font) for t in self.lines) > width - 2 * self.margin:
            self.px -= 2
            self.font = _font(font_module, self.px)
        self.band = round(len(self.lines) * self.px * LINE_SPACING + self.margin)
        self.room = (width - 2 * self.margin, height - self.band - 2 * self.margin)
        self.pillow = pillow

    def under(self, picture: Any, size: tuple[int, int]) -> Any:
        """The frame: ``picture`` centred in the room above, this text underneath, in GIF colours."""
        image, _, draw_module = self.pillow
        width, height = size
        canvas = image.new("RGB", size, "white")
        scale = min(1.0, self.room[0] / picture.width, self.room[1] / picture.height)  # dot's fit is close, not exact
        if scale < 1.0:
            picture = picture.resize((max(1, round(picture.width * scale)), max(1, round(picture.height * scale))),
                                     image.Resampling.LANCZOS)
        canvas.paste(picture, ((width - picture.width) // 2, self.margin + (self.room[1] - picture.height) // 2))
        pen = draw_module.Draw(canvas)
        top = height - self.band
        pen.line((self.margin, top, width - self.margin, top), fill="#ced4da", width=2)
        for k, line in enumerate(self.lines):
            pen.text((self.margin, top + self.margin // 2 + round(k * self.px * LINE_SPACING)), line, font=self.font,
                     fill="#1864ab" if k == 0 else "#212529")
        return canvas.convert("P", palette=image.Palette.ADAPTIVE, colors=255)


def _picture(pillow: tuple[Any, Any, Any], root: Value, names: dict[Value, str], digits: int,
             room: tuple[int, int], options: dict[str, Any]) -> Any:
    """The drawing, laid out by dot to fill ``room`` (pixels at 96 dpi), as an RGB image."""
    image = pillow[0]
    inches = f"{room[0] / DPI:.2f},{room[1] / DPI:.2f}!"
    source = draw(root, digits, edge_labels="rule", names=names, size=inches, dpi=DPI, ops="inline", **options).source
    return image.open(io.BytesIO(run_dot(source, "png"))).convert("RGB")
