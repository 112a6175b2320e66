"""The promise, checkable: a learner's label is data in every renderer (issue 25, "labels").

A hypothesis strategy of hostile labels (markup, ``<!--``, quotes, braces, backslashes, control
characters, NFKC look-alikes, builtin names and keywords, very long ones) goes through DOT, SVG,
LaTeX, MathML, ``explain``, ``text_graph``, the generated Python (run and compared with the graph)
and the player's HTML text. The player in Chromium is tested in test_player.py.
"""

from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograd import Value, compile, draw, explain, text_graph, write_player
from autograd.teach.trace import step_mathml

from .conftest import require_program

PIECES = ["<script>", "</script>", "<!--", "-->", "]]>", "<![CDATA[", "&amp;", "&", '"', "'", "{", "}", "\\", "$",
          "%", "#", "_", "^", "~", "\n", "\r", "\t", "\x00", "\x1b[31m", "\x7f", "\u2028", "\u202e", "ℌ", "H", "ﬁ",
          "fi", "ｘ", "x", "x²", "max", "min", "abs", "float", "math", "lambda", "None", "d_x", "f", "é", "→", " "]

labels = st.one_of(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=5).map("".join),
    st.sampled_from(PIECES),
    st.just("w" * 5000),
    st.text(min_size=1, max_size=12).filter(lambda t: not any(0xD800 <= ord(c) <= 0xDFFF for c in t)),
)

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
TRIED = {"text, code, LaTeX, MathML": 0, "DOT, SVG, player HTML": 0}


def graph(a: str, b: str, c: str) -> tuple[Value, list[Value]]:
    x, w, k = Value(2.0, a), Value(-0.5, b), Value(1.5, c)
    y = (x * w + k).tanh() * x + abs(w)
    y.label = c + "out"
    y.backward()
    return y, [x, w, k]


@settings(max_examples=60, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(a=labels, b=labels, c=labels)
def test_hostile_labels_in_text_code_latex_and_mathml(a, b, c):
    root, inputs = graph(a, b, c)
    TRIED["text, code, LaTeX, MathML"] += 1
    text = str(explain(root))
    lines = text.splitlines()
    edges = sum(len(node.parents) for node in _nodes(root))
    assert sum(1 for line in lines if "+=" in line) == edges  # one line per edge, never split
    assert not CONTROL.search(text) and not CONTROL.search(text_graph(root))
    assert len(text_graph(root).splitlines()) >= len(_nodes(root)) - 1
    latex = str(explain(root, style="latex"))
    assert not CONTROL.search(latex)
    assert _balanced(latex), latex
    for step in root.backward_steps():
        ET.fromstring(f"<root>{step_mathml(step)}</root>")  # well-formed: every label escaped
    function = compile(root, inputs)  # runs the generated code once against the graph
    assert function(*(x.data for x in inputs))[0] == root.data


@settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(a=labels, b=labels, c=labels)
def test_hostile_labels_in_dot_svg_and_the_players_html(a, b, c, tmp_path_factory):
    dot = require_program("dot", "apt-get install graphviz")
    root, _ = graph(a, b, c)
    TRIED["DOT, SVG, player HTML"] += 1
    source = draw(root).source
    svg = subprocess.run([dot, "-Tsvg"], input=source.encode(), capture_output=True, timeout=60)
    assert svg.returncode == 0, svg.stderr[-300:]
    ET.fromstring(svg.stdout)  # well-formed XML: no label broke out of its string
    page = write_player(root, tmp_path_factory.mktemp("p") / "page.html").read_text(encoding="utf-8")
    scripts = _Scripts()
    scripts.feed(page)
    block = page.split('<script id="steps" type="application/json">')[1].split("</script>")[0]
    assert not set(block) & set("<>&\u2028\u2029")
    json.loads(block)
    assert scripts.count == page.count("</script>")  # no label opened or closed a script element


def test_report_how_many_graphs_the_label_search_drew():
    print(f"label search: {TRIED}")


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.count += tag == "script"


def _nodes(root: Value) -> list[Value]:
    from autograd import topological_order

    return topological_order(root)


def _balanced(latex: str) -> bool:
    depth = 0
    for match in re.finditer(r"\\[{}]|[{}]", latex):
        if match[0] in "{}":
            depth += 1 if match[0] == "{" else -1
            if depth < 0:
                return False
    return depth == 0
