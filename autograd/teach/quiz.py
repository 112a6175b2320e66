"""A quiz on any graph: the gradients are hidden, the learner works them out, each answer is judged.

Questions come in backward order (the order ``backward()`` finishes them), but any one can
be answered at any time: each is judged against the true gradient on its own. A wrong
answer gets a hint with the chain rule for that node and the numbers to multiply (the rule
behind each local derivative comes from the op table), and names the first question it
depends on that the learner got wrong.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ..engine.formatting import format_number
from ..engine.graph import edges, scratch_grads
from ..engine.value import Value, as_float, edge_rule
from .naming import PLAIN, node_names

# An answer right to 4 significant digits is right: relative 5e-4, or tiny absolute near 0.
REL_TOL = 5e-4
ABS_TOL = 1e-9


@dataclass(frozen=True)
class Question:
    """One hidden gradient: d root / d ``name``."""

    name: str
    prompt: str  # "do/dn = ?"


@dataclass(frozen=True)
class Feedback:
    """How an answer fared: ``correct``, and for a wrong one a ``hint`` with the numbers to multiply."""

    name: str
    correct: bool
    hint: str = ""

    def __str__(self) -> str:
        return "right" if self.correct else f"not quite. {self.hint}"


@dataclass
class Quiz:
    """The questions of one graph and the learner's answers so far (``score`` counts the right ones)."""

    root_name: str
    questions: list[Question]
    _truth: dict[str, float] = field(repr=False)
    _terms: dict[str, list[tuple[str, float, str, float]]] = field(repr=False)  # child, upstream, rule, local
    _hide_local: bool = field(repr=False, default=False)
    _results: dict[str, bool] = field(default_factory=dict, repr=False)

    @property
    def score(self) -> int:
        """How many questions the latest answers got right."""
        return sum(self._results.values())

    def answer(self, name: str, value: float | str) -> Feedback:
        """Judge an answer for the question called ``name`` (any question, in any order).

        >>> x = Value(2.0, "x"); y = x * 3; y.label = "y"
        >>> q = quiz(y)
        >>> q.answer("x", 3).correct, q.score
        (True, 1)
        """
        if name not in self._truth:
            raise ValueError(f"no question is called {name!r}; the questions are {', '.join(self._truth)}")
        number = _parse(value)
        correct = abs(number - self._truth[name]) <= max(REL_TOL * abs(self._truth[name]), ABS_TOL)
        self._results[name] = correct
        return Feedback(name, correct, "" if correct else self.hint(name))

    def expected(self, name: str) -> float:
        """The true gradient for the question ``name`` (the answer key)."""
        return self._truth[name]

    def upstream_of(self, name: str) -> list[str]:
        """The questions whose answers this one builds on: the nodes that use ``name``."""
        return [child for child, _, _, _ in self._terms[name] if child in self._truth]

    def hint(self, name: str) -> str:
        """The chain rule at ``name``: each path out of it, its upstream gradient and local derivative.

        The upstream numbers are the true ones, so a learner can finish this step even after
        a wrong one; the first wrong upstream answer is named too.
        """
        root, d, partial, times = self.root_name, PLAIN.derivative, PLAIN.partial, PLAIN.times()
        terms = self._terms[name]
        symbolic = " + ".join(f"{d(root, child)} {times} {partial(child, name)}" for child, _, _, _ in terms)
        numbers = " + ".join(
            f"{format_number(upstream)} {times} ({rule})" if self._hide_local
            else f"{format_number(upstream)} {times} {format_number(local)}"
            for _, upstream, rule, local in terms)
        text = f"{d(root, name)} = {symbolic} = {numbers} = ?"
        if not self._hide_local:
            text += f"   (the rule: {'; '.join(rule for _, _, rule, _ in terms)})"
        wrong = [child for child, _, _, _ in terms if self._results.get(child) is False]
        if wrong:
            text += f"; first fix {d(root, wrong[0])}: that answer was not right"
        return text


def quiz(root: Value, seed: int | None = None, hide: int | float | list[str] | None = None,
         hide_local: bool = False) -> Quiz:
    """Hide the gradients of the graph under ``root``: a ``Quiz`` with one question per hidden gradient.

    ``hide`` picks which: None for every node but the output; a list of names; a number of
    nodes, or a fraction of them, drawn with ``seed`` (the same seed, the same questions).
    With ``hide_local=True`` hints give each local derivative's rule, not its number: the
    learner has to know the rule.

    >>> x = Value(2.0, "x"); w = Value(-3.0, "w"); y = (x * w).tanh(); y.label = "y"
    >>> q = quiz(y)
    >>> [question.prompt for question in q.questions]
    ['dy/d(x*w) = ?', 'dy/dw = ?', 'dy/dx = ?']
    >>> print(q.answer("x", 1.0))
    not quite. dy/dx = dy/d(x*w) · ∂(x*w)/∂x = 2.458e-05 · -3.0 = ?   (the rule: ∂(x * w)/∂x = w)
    """
    names = node_names(root)
    with scratch_grads(root) as order:
        root.backward()
        truth = {names[node]: node.grad for node in order if node is not root}
    terms: dict[str, list[tuple[str, float, str, float]]] = {name: [] for name in truth}
    for node in order:
        upstream = 1.0 if node is root else truth[names[node]]
        for k, (parent, local) in enumerate(zip(*edges(node))):
            if parent is not root:
                terms[names[parent]].append((names[node], upstream, edge_rule(node, k, names), local))
    chosen = _chosen(list(truth), hide, seed)
    questions = [Question(name, f"{PLAIN.derivative(names[root], name)} = ?") for name in truth if name in chosen]
    return Quiz(names[root], questions, {q.name: truth[q.name] for q in questions}, terms, hide_local)


def _chosen(names: list[str], hide: int | float | list[str] | None, seed: int | None) -> set[str]:
    if hide is None:
        return set(names)
    if isinstance(hide, (list, tuple, set)):
        unknown = [n for n in hide if n not in names]
        if unknown:
            raise ValueError(f"hide names {', '.join(map(repr, unknown))}, not in the graph; its nodes are {', '.join(names)}")
        return set(hide)
    count = round(hide * len(names)) if isinstance(hide, float) and 0 < hide <= 1 else hide
    if not isinstance(count, int) or not 1 <= count <= len(names):
        raise ValueError(f"hide is a list of names, a count from 1 to {len(names)} or a fraction in (0, 1]; got {hide!r}")
    return set(random.Random(seed).sample(names, count))


def _parse(value: float | str) -> float:
    if isinstance(value, str):
        value = value.strip()
        try:
            return float(value)
        except ValueError:
            raise ValueError(f"an answer is a number, like 0.5 or -1.5e-3; got {value!r}") from None
    return as_float(value, "an answer")
