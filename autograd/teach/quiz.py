"""A quiz on any graph: the gradients are hidden, the learner works them out, each answer is judged.

Questions come in backward order (the order ``backward()`` finishes them), but any one can
be answered at any time: each is judged against the true gradient on its own. A wrong
answer gets a hint with the chain rule for that node and the numbers to multiply (the rule
behind each local derivative comes from the op table), and names the first question it
depends on that the learner got wrong. It is also diagnosed: the first of the common mistakes
(``MISTAKES``: a path left out, the local derivative alone, the upstream gradient alone, the
sign, a rule taken at the wrong point) whose number, computed on the recorded graph, it
matches, said in a sentence with what to do. ``ask`` runs the quiz in a terminal.
"""

from __future__ import annotations

import itertools
import math
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, overload

from ..engine.formatting import format_number
from ..engine.graph import edges, scratch_grads
from ..engine.value import Value, as_float, edge_rule, operands
from .naming import PLAIN, node_names
from .paths import TooManyPathsError, paths

if TYPE_CHECKING:
    from .tensors import TensorQuiz

# An answer right to 4 significant digits is right: relative 5e-4, or tiny absolute near 0.
REL_TOL = 5e-4
ABS_TOL = 1e-9


@dataclass(frozen=True)
class Question:
    """One hidden gradient: d root / d ``name``."""

    name: str
    prompt: str  # "do/dn = ?"


# The common mistakes, in the order an answer is diagnosed (the first whose number it matches wins).
MISTAKES = ("missed_path", "no_upstream", "no_local", "sign", "wrong_point")
# Each mistake in a few words, for an answer key: what a learner who makes it writes down.
MISTAKE_NAMES = {
    "missed_path": "a path left out",
    "no_upstream": "the local derivative alone",
    "no_local": "the upstream gradient alone",
    "sign": "the wrong sign",
    "wrong_point": "a rule at the wrong point",
}
MAX_SUBSET_PATHS = 12  # up to this many paths every proper subset is summed; beyond, one path or one use alone, or all but it


@dataclass(frozen=True)
class Feedback:
    """How an answer fared: ``correct``; for a wrong one the ``mistake`` it matches (an id of
    ``MISTAKES``, or "unknown"), ``explanation`` (that mistake in a sentence and what to do) and a
    ``hint`` with the numbers to multiply."""

    name: str
    correct: bool
    hint: str = ""
    mistake: str | None = None
    explanation: str = ""

    def __str__(self) -> str:
        return "right" if self.correct else f"not quite: {self.explanation} {self.hint}"


@dataclass
class Quiz:
    """The questions of one graph and the learner's answers so far (``score`` counts the right ones)."""

    root_name: str
    questions: list[Question]
    _truth: dict[str, float] = field(repr=False)
    _terms: dict[str, list[tuple[str, float, str, float]]] = field(repr=False)  # child, upstream, rule, local
    _hide_local: bool = field(repr=False, default=False)
    _results: dict[str, bool] = field(default_factory=dict, repr=False)
    _root: Value | None = field(repr=False, default=None)
    _nodes: dict[str, Value] = field(default_factory=dict, repr=False)
    _names: dict[Value, str] = field(default_factory=dict, repr=False)
    _wrong_point_rules: dict[str, list[tuple[float, str, Value, int]]] = field(default_factory=dict, repr=False)
    _mistakes: dict[str, dict[str, list[float]]] = field(default_factory=dict, repr=False)

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
        correct = close(number, self._truth[name])
        self._results[name] = correct
        if correct:
            return Feedback(name, correct)
        mistake = self.diagnose(name, number)
        explanation = self.explanation(name, mistake, number)
        if not math.isfinite(self._truth[name]):  # no finite number is right: say why
            explanation = (f"this gradient is {self._truth[name]}: the number overflowed a float (past about "
                           "1.8e308), so no finite answer is right.")
        return Feedback(name, correct, self.hint(name), mistake, explanation)

    def diagnose(self, name: str, value: float) -> str | None:
        """The id of the first mistake in ``MISTAKES`` whose number ``value`` matches, "unknown" if none
        does, None for a right answer.

        >>> x = Value(3.0, "x"); y = x * x + 2 * x; y.label = "y"
        >>> q = quiz(y)
        >>> q.diagnose("x", 8.0), q.diagnose("x", 5.0), q.diagnose("x", -8.0), q.diagnose("x", 7.0)
        (None, 'missed_path', 'sign', 'unknown')
        """
        if close(value, self._truth[name]):
            return None
        for mistake, numbers in self.mistakes(name).items():
            if any(close(value, number) for number in numbers):
                return mistake
        return "unknown"

    def mistakes(self, name: str) -> dict[str, list[float]]:
        """What each common mistake gives for the question ``name``: {id: [numbers]}, in the order of
        ``MISTAKES``, only numbers that differ from the right answer (a mistake that gives none is left out).

        Computed on the recorded graph: ``missed_path`` sums non-empty proper subsets of ``paths()``,
        ``no_upstream`` adds the local derivatives alone, ``no_local`` the upstream gradients alone,
        ``sign`` is minus the answer, ``wrong_point`` evaluates the op table's rule at the op's
        output where it needs its input, or the other way round.

        >>> x = Value(0.5, "n"); o = x.tanh(); y = o * 2; y.label = "y"
        >>> {k: [round(v, 4) for v in vs] for k, vs in quiz(y).mistakes("n").items()}
        {'no_upstream': [0.7864], 'no_local': [2.0], 'sign': [-1.5729], 'wrong_point': [1.5, 1.6271]}
        """
        if name not in self._mistakes:
            self._mistakes[name] = self._compute_mistakes(name)
        return self._mistakes[name]

    def mistake_records(self, name: str) -> list[dict]:
        """The diagnosis as data, for a page that judges answers itself: one record per mistake that gives
        a number (a rule at the wrong point, one per rule), in the order of ``MISTAKES``, each with its
        ``id``, its ``values`` and its ``text``, the sentence ``str(feedback)`` would say; last, the
        ``unknown`` record (no values). A page takes the first record one of whose values is close.

        >>> x = Value(3.0, "x"); y = x * x + 2 * x; y.label = "y"
        >>> [(r["id"], r["values"]) for r in quiz(y).mistake_records("x")]
        [('missed_path', [3.0, 2.0, 6.0, 5.0]), ('no_local', [3.0]), ('sign', [-8.0]), ('unknown', [])]
        """
        records = []
        for mistake, numbers in self.mistakes(name).items():
            if mistake == "wrong_point":
                records += [{"id": mistake, "values": [number], "text": self.explanation(name, mistake, number)}
                            for number in numbers]
            else:
                records.append({"id": mistake, "values": numbers, "text": self.explanation(name, mistake)})
        return [*records, {"id": "unknown", "values": [], "text": self.explanation(name, "unknown")}]

    def wrong_answers(self, name: str, digits: int = 4) -> list[tuple[str, str]]:
        """For an answer key: (the mistake in a few words, the wrong answers it gives) for each mistake
        that gives one, in the order of ``MISTAKES``; numbers as ``explain`` writes them.

        >>> x = Value(3.0, "x"); y = x * x + 2 * x; y.label = "y"
        >>> quiz(y).wrong_answers("x")
        [('a path left out', '2.0, 3.0, 5.0, 6.0'), ('the upstream gradient alone', '3.0'), ('the wrong sign', '-8.0')]
        """
        rows = []
        for mistake, numbers in self.mistakes(name).items():
            shown = sorted(set(format_number(n, digits) for n in numbers), key=float)
            rows.append((MISTAKE_NAMES[mistake], ", ".join(shown[:8]) + (", ..." if len(shown) > 8 else "")))
        return rows

    def _compute_mistakes(self, name: str) -> dict[str, list[float]]:
        truth, terms = self._truth[name], self._terms[name]
        found: dict[str, list[float]] = {
            "missed_path": self._missed_paths(name),
            "no_upstream": [sum(local for _, _, _, local in terms)],
            "no_local": [sum(upstream for _, upstream, _, _ in terms)],
            "sign": [-truth],
            "wrong_point": self._wrong_points(name),
        }
        kept: dict[str, list[float]] = {}
        for mistake in MISTAKES:
            numbers = {f"{n:.12g}": n for n in found[mistake] if math.isfinite(n) and not close(n, truth)}
            if numbers:
                kept[mistake] = list(numbers.values())
        return kept

    def _missed_paths(self, name: str) -> list[float]:
        """The sums over non-empty proper subsets of the paths from the node to the root."""
        if self._root is None:
            return []
        try:
            routes = paths(self._root, self._nodes[name])
        except TooManyPathsError:
            return []
        products = [path.product for path in routes]
        if len(products) < 2:
            return []
        if len(products) > MAX_SUBSET_PATHS:  # too many subsets: one path, one use of the node, or all but one
            total = sum(products)
            uses: dict[tuple[int, int], float] = {}  # the paths through each edge out of the node
            for route in routes:
                first = (id(route.nodes[1]), route.edges[0] if route.edges else 0)
                uses[first] = uses.get(first, 0.0) + route.product
            parts = [*products, *(uses.values() if len(uses) > 1 else ())]
            return [*parts, *(total - p for p in parts)]
        return [sum(chosen) for size in range(1, len(products))
                for chosen in itertools.combinations(products, size)]

    def _wrong_points(self, name: str) -> list[float]:
        """The answer when one rule on the way to the root is taken at the wrong point (see ``wrong_point``):
        each path's product with that node's local derivative swapped, summed, for each such node."""
        found = self._wrong_point_rules.setdefault(name, [])
        if self._root is None or found:
            return [number for number, *_ in found]
        try:
            routes = paths(self._root, self._nodes[name])
        except TooManyPathsError:
            return []
        on_the_way = list(dict.fromkeys(node for route in routes for node in route.nodes[1:]))
        for node in on_the_way:
            for variant in (0, 1):
                other = _local_at_other_point(node, variant)
                if other is None or close(other, edges(node)[1][0]):
                    continue
                total = sum(math.prod(other if route.nodes[k + 1] is node else local
                                      for k, local in enumerate(route.local_grads)) for route in routes)
                found.append((total, edge_rule(node, 0, self._names), node, variant))
        return [number for number, *_ in found]

    def explanation(self, name: str, mistake: str | None, value: float | None = None) -> str:
        """The mistake ``mistake`` made on the question ``name``, in a sentence, and what to do.

        >>> x = Value(3.0, "x"); y = x * x + 2 * x; y.label = "y"
        >>> print(quiz(y).explanation("x", "missed_path"))
        that is the sum over only some of the 3 paths from x to y: dy/dx adds up every path, so add the ones left out.
        """
        root, d, partial = self.root_name, PLAIN.derivative, PLAIN.partial
        terms = self._terms[name]
        children = [child for child, _, _, _ in terms]  # one term per edge: x*x counts twice
        upstream = " + ".join(d(root, child) for child in children) or d(root, root)
        local = " + ".join(partial(child, name) for child in children)
        if mistake is None:
            return "right."
        if mistake == "missed_path":
            count = len(paths(self._root, self._nodes[name], limit=10**9)) if self._root is not None else 0
            return (f"that is the sum over only some of the {count} paths from {name} to {root}: "
                    f"{d(root, name)} adds up every path, so add the ones left out.")
        if mistake == "no_upstream":
            return (f"that is the local derivative {local} alone: multiply it by the gradient that reached it "
                    f"from above, {upstream}.")
        if mistake == "no_local":
            return (f"that is the upstream gradient {upstream} alone: multiply it by the local derivative "
                    f"{local}.")
        if mistake == "sign":
            return "that has the wrong sign: check each minus sign along the way (a subtraction, a negative factor)."
        if mistake == "wrong_point":
            self._wrong_points(name)
            found = self._wrong_point_rules.get(name, [])
            matched = [entry for entry in found if value is not None and close(value, entry[0])] or found[:1]
            if not matched:
                return "that takes a rule at the wrong point, the op's output where it needs its input or the other way round."
            _, rule, node, variant = matched[0]
            given, needed = ("input", "output") if variant == 0 else ("output", "input")
            point = (f"{self._names[node.parents[0]]} = {format_number(node.parents[0].data)}, "
                     f"{self._names[node]} = {format_number(node.data)}")
            return (f"that takes the rule {rule} at the wrong point, the op's {given} where it needs its {needed} "
                    f"({point}).")
        return ("that is none of the usual slips (a missed path, a missing factor, a sign, a rule at the wrong "
                "point): work it out from the numbers.")

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


@overload
def quiz(root: Value, seed: int | None = None, hide: int | float | list[str] | None = None,
         hide_local: bool = False, view: Literal["scalar"] = "scalar") -> Quiz: ...
@overload
def quiz(root: Value, seed: int | None = None, hide: int | float | list[str] | None = None,
         hide_local: bool = False, *, view: Literal["tensor"]) -> TensorQuiz: ...
def quiz(root: Value, seed: int | None = None, hide: int | float | list[str] | None = None,
         hide_local: bool = False, view: str = "scalar") -> Quiz | TensorQuiz:
    """Hide the gradients of the graph under ``root``: a ``Quiz`` with one question per hidden gradient.

    ``hide`` picks which: None for every node but the output; a list of names; a number of
    nodes, or a fraction of them, drawn with ``seed`` (the same seed, the same questions).
    With ``hide_local=True`` hints give each local derivative's rule, not its number: the
    learner has to know the rule.

    >>> x = Value(2.0, "x"); w = Value(-3.0, "w"); y = (x * w).tanh(); y.label = "y"
    >>> q = quiz(y)
    >>> [question.prompt for question in q.questions]
    ['dy/d(x*w) = ?', 'dy/dw = ?', 'dy/dx = ?']
    >>> feedback = q.answer("x", -3.0)
    >>> feedback.mistake
    'no_upstream'
    >>> print(feedback)
    not quite: that is the local derivative ∂(x*w)/∂x alone: multiply it by the gradient that reached it from above, dy/d(x*w). dy/dx = dy/d(x*w) · ∂(x*w)/∂x = 2.458e-05 · -3.0 = ?   (the rule: ∂(x * w)/∂x = w)

    ``view="tensor"`` quizzes a loss made with ``autograd.tensor`` one tensor at a time: a
    ``TensorQuiz`` (``autograd.teach.tensors``), answered with a matrix or one element at a time.
    """
    if view != "scalar":
        if view != "tensor":
            raise ValueError(f"quiz view must be 'scalar' (a question per node) or 'tensor' (one per tensor), got {view!r}")
        from .tensors import tensor_quiz

        return tensor_quiz(root, quiz, seed)
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
    test = Quiz(names[root], questions, {q.name: truth[q.name] for q in questions}, terms, hide_local, _root=root,
                _nodes={names[node]: node for node in order if names[node] in chosen}, _names=names)
    return test


TRIES = 3  # tries a question gets in the terminal: the mistake, then the numbers, then the answer


def ask(test: Quiz, read: Callable[[], str], write: Callable[[str], object], echo: bool = False) -> tuple[int, int]:
    r"""The quiz in a terminal: ask each question, read one answer a line with ``read`` (``""`` at the end
    of input), judge it, and after a wrong one a growing hint: the mistake, then the numbers, then the
    answer, ``TRIES`` tries in all. A line that is not a number is asked again and not counted; ``q``
    or the end of input stops. ``echo`` writes each answer after its prompt (input from a pipe, which
    a terminal does not show). Returns (questions right at the first try, questions asked).

    >>> x = Value(3.0, "x"); y = x * x + 2 * x; y.label = "y"
    >>> answers = iter(["-8", "7", "abc", "5"])
    >>> ask(quiz(y, hide=["x"]), lambda: next(answers, "") + "\n", lambda text: print(text, end=""), echo=True)
    dy/dx = ? -8
      not quite: that has the wrong sign: check each minus sign along the way (a subtraction, a negative factor). (try 2 of 3)
    dy/dx = ? 7
      not quite: that is none of the usual slips (a missed path, a missing factor, a sign, a rule at the wrong point): work it out from the numbers.
      the numbers: dy/dx = dy/d(2*x) · ∂(2*x)/∂x + dy/d(x*x) · ∂(x*x)/∂x + dy/d(x*x) · ∂(x*x)/∂x = 1.0 · 2.0 + 1.0 · 3.0 + 1.0 · 3.0 = ?   (the rule: ∂(2 * x)/∂x = 2; ∂(x * x)/∂x = x; ∂(x * x)/∂x = x) (try 3 of 3)
    dy/dx = ? abc
      an answer is a number, like 0.5 or -1.5e-3; got 'abc' (not counted; q stops)
    dy/dx = ? 5
      not quite: that is the sum over only some of the 3 paths from x to y: dy/dx adds up every path, so add the ones left out.
      the answer: dy/dx = 8.0
    (0, 1)
    """
    first_try, asked = 0, 0
    for question in test.questions:
        tries = 0
        while tries < TRIES:
            write(f"{question.prompt} ")
            line = read()
            write(line.rstrip("\r\n") + "\n" if echo or not line else "")
            if not line or line.strip().lower() in ("q", "quit"):
                return first_try, asked
            if not line.strip():
                write("  type a number, like 0.5 or -1.5e-3 (q stops)\n")
                continue
            try:
                feedback = test.answer(question.name, line)
            except ValueError as error:
                write(f"  {error} (not counted; q stops)\n")
                continue
            tries += 1
            asked += tries == 1
            if feedback.correct:
                first_try += tries == 1
                write("  right\n")
                break
            text = f"  not quite: {feedback.explanation}"
            if tries == 2:
                text += f"\n  the numbers: {feedback.hint}"
            if tries < TRIES:
                write(f"{text} (try {tries + 1} of {TRIES})\n")
            else:
                write(f"{text}\n  the answer: {question.prompt.removesuffix(' = ?')} = {format_number(test.expected(question.name))}\n")
    return first_try, asked


def close(a: float, b: float) -> bool:
    """Equal to 4 significant digits (relative ``REL_TOL`` of ``b``, or ``ABS_TOL`` near 0): the quiz's tolerance.

    An infinite or NaN right answer is matched by nothing finite (inf only by inf, NaN by nothing).

    >>> close(1.0004, 1.0), close(1.001, 1.0), close(1e308, float("inf"))
    (True, False, False)
    """
    if not math.isfinite(b):
        return a == b
    return abs(a - b) <= max(REL_TOL * abs(b), ABS_TOL)


OUTPUT_FORM = re.compile(r"\bout\b")


def _local_at_other_point(node: Value, variant: int) -> float | None:
    """The local derivative of a one-operand table op taken at the wrong point: ``variant`` 0, a rule
    written on the output (``1 - out^2`` for tanh) evaluated on the input; 1, the rule on the input
    evaluated on the output (``exp(out)`` for exp). None where the op has no such form or the point is
    outside its domain."""
    op = node.op
    if not op.derivatives or op.symbol_kind != "call" or len(op.operands) != 1:  # a table op's text only
        return None
    args, params = operands(node)
    x, out = args[0].data if isinstance(args[0], Value) else float(args[0]), node.data
    derivative = op.float_derivatives[0]
    try:
        if variant == 0:
            if not OUTPUT_FORM.search(op.derivatives[0]) or re.search(r"\bx\b", op.derivatives[0]):
                return None
            return float(derivative(x, *params, x))
        return float(derivative(out, *params, op.float_function(out, *params)))
    except (ValueError, ZeroDivisionError, OverflowError):
        return None


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
