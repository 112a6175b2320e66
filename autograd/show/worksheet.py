"""Printable worksheets: N chain-rule exercises of graded difficulty, and their answer key.

``chainrule worksheet --count 6 --seed 1 --out sheet/`` writes ``sheet/worksheet.html`` (each
exercise's expression, its graph with the grads left blank, and a line to fill in for each
gradient) and ``sheet/answers.html`` (the same graphs with the grads, every chain-rule line
and the gradients). The same seed gives the same bytes. Print either from a browser.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass
from pathlib import Path

from ..engine.files import write_atomically
from ..engine.formatting import format_number
from ..engine.value import Value
from ..teach.expr import build
from ..teach.naming import formula, node_names
from ..teach.quiz import quiz
from ..teach.trace import explain
from . import assets
from .drawing import svg_text

# Graded: a sum, a product, a neuron, a shared subexpression, a loss. Each draws its numbers.
EXERCISES = (
    ("a sum", "a + b + c", ("a", "b", "c")),
    ("a product", "a * b + c", ("a", "b", "c")),
    ("a neuron", "tanh(x1*w1 + x2*w2 + b)", ("x1", "w1", "x2", "w2", "b")),
    ("a shared subexpression", "(x + y) * (x - y) + x", ("x", "y")),
    ("a loss", "(sigmoid(w*x + b) - t)**2", ("w", "x", "b", "t")),
)
# Names for the parts of an exercise too long to be named by their formula (else the graph says v8):
# the label and where the node is, as the parent indices from f down.
PARTS = {
    "a neuron": (("n", (0,)),),  # the pre-activation, as the README's neuron calls it
    "a shared subexpression": (("p", (0,)),),
    "a loss": (("s", (0, 0)),),
}


@dataclass(frozen=True)
class Exercise:
    level: str
    expression: str
    values: tuple[tuple[str, float], ...]


def exercises(count: int, seed: int) -> list[Exercise]:
    """``count`` exercises cycling through the levels, each with its own numbers from ``seed``.

    >>> [e.level for e in exercises(6, seed=1)][:3]
    ['a sum', 'a product', 'a neuron']
    """
    if not isinstance(count, int) or not 1 <= count <= 50:
        raise ValueError(f"count must be from 1 to 50, got {count!r}")
    rng = random.Random(seed)
    found = []
    for k in range(count):
        level, expression, names = EXERCISES[k % len(EXERCISES)]
        found.append(Exercise(level, expression, tuple((n, rng.choice(NUMBERS)) for n in names)))
    return found


NUMBERS = (-3.0, -2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0, 3.0)  # small numbers a learner can multiply


def _graph(exercise: Exercise) -> tuple[Value, list[str]]:
    """The exercise's graph after backward, its long parts labelled; and each part as ``n = x1*w1 + ...``."""
    out, _ = build(exercise.expression, [f"{name}={value}" for name, value in exercise.values])
    out.backward()
    parts = []
    for label, where in PARTS.get(exercise.level, ()):
        node = out
        for k in where:
            node = node.parents[k]
        parts.append(f"{label} = {formula(node, node_names(out))}")
        node.label = label
    return out, parts


def _mistakes_table(root: Value, names: list[str]) -> str:
    """Per question, the wrong answers each common mistake gives: a teacher reads a wrong answer off it."""
    test = quiz(root, hide=names)
    rows = []
    for name in names:
        wrong = "; ".join(f"{what}: {numbers}" for what, numbers in test.wrong_answers(name)) or "none of them differs"
        rows.append(f"<tr><td>df/d{html.escape(name)} = {html.escape(format_number(test.expected(name)))}</td>"
                    f"<td>{html.escape(wrong)}</td></tr>")
    return ('<table class="mistakes"><tr><th>right answer</th><th>wrong answers a common mistake gives</th></tr>'
            + "".join(rows) + "</table>")


def write_worksheet(count: int, seed: int, out: str | Path) -> tuple[Path, Path]:
    """Write ``worksheet.html`` and ``answers.html`` into the folder ``out``; return both paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    sheet, key = [], []
    for k, exercise in enumerate(exercises(count, seed), start=1):
        root, parts = _graph(exercise)
        given = ", ".join(f"{name} = {value:g}" for name, value in exercise.values)
        where = f" where {'; '.join(parts)};" if parts else ""
        head = (f'<section><h2>{k}. {html.escape(exercise.level)}</h2>'
                f'<p class="expr">f = {html.escape(exercise.expression)},{html.escape(where)} with {html.escape(given)}</p>')
        blanks = "".join(f"<li>df/d{html.escape(name)} = ____________</li>" for name, _ in exercise.values)
        sheet.append(f'{head}<div class="graph">{svg_text(root, edge_labels="rule", hide_grads=True)}</div>'
                     f'<p>Fill in every grad in the graph, then:</p><ul class="blanks">{blanks}</ul></section>')
        lines = html.escape(explain(root))  # forward values, every chain-rule line, the gradients
        key.append(f'{head}<div class="graph">{svg_text(root, edge_labels="rule")}</div><pre>{lines}</pre>'
                   f'{_mistakes_table(root, [name for name, _ in exercise.values])}</section>')
    title = f"Chain-rule worksheet ({count} exercises, seed {seed})"
    paths = (out / "worksheet.html", out / "answers.html")
    for path, name, body, who in ((paths[0], title, sheet, assets.read("worksheet-name.html")),
                                  (paths[1], f"Answers: {title}", key, "")):  # the key has no one's name to write
        page = assets.fill(assets.read("worksheet.html"), title=html.escape(name), style=assets.read("worksheet.css"),
                           name_line=who, body="\n".join(body))
        write_atomically(path, page.encode())
    return paths
