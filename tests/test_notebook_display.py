"""What a notebook shows: a Value as its graph, a step as math and a picture, explain as Markdown, the player inline."""

import html
import xml.etree.ElementTree as ET

from autograd import Value, explain, player

from .conftest import require_program
from .examples import classic_neuron

HOSTILE = '<img src=x onerror="alert(1)">'


def test_a_value_shows_its_graph_as_svg():
    require_program("dot", "apt-get install graphviz")
    o = classic_neuron()[0]
    o.backward()
    root = ET.fromstring(o._repr_svg_())
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "grad -1.5" in texts and "∂o/∂n = 1 - tanh(n)^2 = 0.5" in texts


def test_a_big_graph_falls_back_to_text():
    y = Value(1.0)
    for _ in range(300):
        y = y * 1.0
    assert y._repr_svg_() is None  # Jupyter then shows repr(y)


def test_a_step_shows_its_rule_as_math_and_its_picture():
    require_program("dot", "apt-get install graphviz")
    step = next(classic_neuron()[0].backward_steps())
    assert step._repr_markdown_() == (r"$$\frac{\mathrm{d} o}{\mathrm{d} n} \mathrel{+}= \frac{\mathrm{d} o}{\mathrm{d} o} "
                                      r"\cdot \frac{\partial o}{\partial n} = 1.0 \cdot 0.5 = 0.5$$")
    ET.fromstring(step._repr_svg_())


def test_explain_is_a_str_that_shows_as_markdown():
    text = explain(classic_neuron()[0])
    assert isinstance(text, str) and text.startswith("notation: ") and "\nforward\n" in text
    markdown = text._repr_markdown_()
    assert markdown.startswith("*Notation*:") and "\n**Forward**\n" in markdown and r"$\frac{\mathrm{d} o}{\mathrm{d} b} = 0.5$" in markdown


def test_hostile_labels_are_escaped_in_every_rich_output():
    require_program("dot", "apt-get install graphviz")
    x = Value(2.0, HOSTILE)
    y = (x * 3).tanh()
    y.label = "</script><b>"
    markdown = explain(y)._repr_markdown_() + next(y.backward_steps())._repr_markdown_()
    assert "<" not in markdown and ">" not in markdown.replace("->", "")
    svg = y._repr_svg_()
    ET.fromstring(svg)
    assert HOSTILE not in svg and "<b>" not in svg
    frame = player(y)._repr_html_()
    assert frame.startswith('<iframe srcdoc="') and 'sandbox="allow-scripts"' in frame
    inner = html.unescape(frame[len('<iframe srcdoc="'):frame.index('" sandbox=')])
    assert inner == player(y).page and HOSTILE not in inner.split("<script id=\"steps\"")[0]


def test_a_step_shows_picture_and_math_together_as_html():
    require_program("dot", "apt-get install graphviz")
    x = Value(2.0, HOSTILE)
    y = x * 3
    shown = next(y.backward_steps())._repr_html_()
    assert "<svg" in shown and "<mfrac>" in shown and HOSTILE not in shown
