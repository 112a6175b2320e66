"""Gradescope's grader for an exercise that ``chainrule export --format gradescope`` made.

A student hands in ``answers.json``: ``{"variant": 3, "answers": {"x": -0.0001474, "w": 0.0002}}``.
The grader rebuilds the student's variant from the values it stated, judges each gradient as
``quiz()`` does (4 significant digits), and writes Gradescope's ``results.json``: one test per
question, a point each, and for a wrong answer the mistake it matches and the chain rule with
the numbers to multiply. Whatever the submission holds, it never crashes: a missing or broken
file scores 0 with an output that says what was wrong and what is expected.

    python -m autograd.teach.grader --source /autograder/source \\
        --submission /autograder/submission --results /autograder/results
"""

from __future__ import annotations

import argparse
import json
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..engine.files import write_atomically
from .expr import OUTPUT_NAME
from .naming import PLAIN
from .variants import Variant

KEY_FILE = "variants.json"
ANSWERS_FILE = "answers.json"
MAX_ANSWERS_BYTES = 1_000_000
EXAMPLE = '{"variant": 1, "answers": {"x": 0.25, "w": -1.5}}'


class SubmissionError(ValueError):
    """The submission cannot be graded; the message says what was wrong and what is expected."""


def key_data(variants: Sequence[Variant]) -> dict[str, Any]:
    """The answer key the grader reads (``variants.json``): each variant's values and gradients.

    >>> key_data([Variant(1, "x*w", (("x", 2.0), ("w", 3.0)), (("x", 3.0), ("w", 2.0)))])["variants"][0]
    {'number': 1, 'values': {'x': 2.0, 'w': 3.0}, 'answers': {'x': 3.0, 'w': 2.0}}
    """
    return {"format": "chainrule-variants", "version": 1, "expression": variants[0].expression,
            "variants": [{"number": v.number, "values": dict(v.values), "answers": dict(v.answers)}
                         for v in variants]}


def variants_from_key(key: dict[str, Any]) -> list[Variant]:
    """The variants written by ``key_data`` (the teacher's file: trusted, but checked for shape).

    >>> [v.given() for v in variants_from_key(key_data([Variant(1, "x*w", (("x", 2.0), ("w", 3.0)), ())]))]
    ['x = 2.0, w = 3.0']
    """
    if not isinstance(key, dict) or key.get("format") != "chainrule-variants":
        raise ValueError(f"{KEY_FILE} is not a chainrule answer key: export the exercise again")
    return [Variant(v["number"], key["expression"], tuple(v["values"].items()), tuple(v["answers"].items()))
            for v in key["variants"]]


def grade(variants: Sequence[Variant], submission: Any) -> dict[str, Any]:
    """Gradescope's results for one ``submission`` (the parsed ``answers.json``).

    >>> key = [Variant(1, "x*w", (("x", 2.0), ("w", 3.0)), (("x", 3.0), ("w", 2.0)))]
    >>> result = grade(key, {"variant": 1, "answers": {"x": 3.0, "w": 5}})
    >>> result["score"], [(t["name"], t["score"]) for t in result["tests"]]
    (1.0, [('df/dx', 1.0), ('df/dw', 0.0)])
    """
    names = [name for name, _ in variants[0].values]
    try:
        variant, answers = _read(variants, submission)
    except SubmissionError as error:
        return not_graded(variants, error)
    quiz = variant.quiz()
    tests = []
    for name in names:
        if name not in answers:
            tests.append(_test(name, 0.0, f"no answer for {name!r} in {ANSWERS_FILE}"))
            continue
        try:
            number = _number(answers[name], name)
        except SubmissionError as error:
            tests.append(_test(name, 0.0, str(error)))
            continue
        feedback = quiz.answer(name, number)
        tests.append(_test(name, 1.0 if feedback.correct else 0.0, f"your answer: {number!r}. {feedback}"))
    unknown = sorted(set(answers) - set(names))
    note = f" Not asked, so not graded: {', '.join(map(repr, unknown))}." if unknown else ""
    return _results(tests, f"Variant {variant.number}: {OUTPUT_NAME} = {variant.expression.strip()}, with "
                           f"{variant.given()}.{note}")


def not_graded(variants: Sequence[Variant], error: SubmissionError) -> dict[str, Any]:
    """The results of a submission that cannot be graded: 0 for every question, and why.

    >>> key = [Variant(1, "x", (("x", 2.0),), (("x", 1.0),))]
    >>> not_graded(key, SubmissionError("no answers.json"))["tests"][0]["output"]
    'not graded: no answers.json'
    """
    tests = [_test(name, 0.0, f"not graded: {error}") for name, _ in variants[0].values]
    return _results(tests, f"Your submission could not be graded: {error}")


def _read(variants: Sequence[Variant], submission: Any) -> tuple[Variant, dict[str, Any]]:
    if not isinstance(submission, dict):
        raise SubmissionError(f"{ANSWERS_FILE} must hold one JSON object, like {EXAMPLE}")
    number = submission.get("variant")
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= len(variants):
        raise SubmissionError(f'"variant" must be your variant\'s number, a whole number from 1 to {len(variants)}; '
                              f"got {number!r}")
    answers = submission.get("answers")
    if not isinstance(answers, dict):
        raise SubmissionError(f'"answers" must map each input\'s name to your number, like {EXAMPLE}')
    return variants[number - 1], answers


def _number(value: Any, name: str) -> float:
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise SubmissionError(f"the answer for {name!r} must be a number, like 0.25; got {value!r}") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise SubmissionError(f"the answer for {name!r} must be a finite number, like 0.25; got {value!r}")
    return float(value)


def _test(name: str, score: float, output: str) -> dict[str, Any]:
    return {"name": PLAIN.derivative(OUTPUT_NAME, name), "score": score, "max_score": 1.0,
            "output": output, "visibility": "visible"}


def _results(tests: list[dict[str, Any]], output: str) -> dict[str, Any]:
    return {"score": sum(t["score"] for t in tests), "output": output, "tests": tests,
            "visibility": "visible", "stdout_visibility": "hidden"}


def read_submission(folder: Path) -> Any:
    """The parsed ``answers.json`` in ``folder``; ``SubmissionError`` saying what is wrong with it."""
    path = folder / ANSWERS_FILE
    if not path.is_file():
        found = sorted(p.name for p in folder.iterdir())[:10] if folder.is_dir() else []
        raise SubmissionError(f"no {ANSWERS_FILE} in the submission (found: {', '.join(found) or 'nothing'}); "
                              f"hand in a file {ANSWERS_FILE} like {EXAMPLE}")
    if path.stat().st_size > MAX_ANSWERS_BYTES:
        raise SubmissionError(f"{ANSWERS_FILE} is larger than {MAX_ANSWERS_BYTES} bytes; it should be a few lines")
    try:
        return json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise SubmissionError(f"{ANSWERS_FILE} is not valid JSON ({error}); write it like {EXAMPLE}") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Grade the submission in Gradescope's folders (or those given) into ``results.json``."""
    root = Path(os.environ.get("AUTOGRADER_ROOT", "/autograder"))
    parser = argparse.ArgumentParser(prog="python -m autograd.teach.grader", description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=root / "source", help="where variants.json is")
    parser.add_argument("--submission", type=Path, default=root / "submission", help="where answers.json is")
    parser.add_argument("--results", type=Path, default=root / "results", help="where results.json goes")
    args = parser.parse_args(argv)
    variants = variants_from_key(json.loads((args.source / KEY_FILE).read_text()))
    try:
        results = grade(variants, read_submission(args.submission))
    except SubmissionError as error:
        results = not_graded(variants, error)
    except Exception as error:  # a grader must answer every submission; this one says it failed, not the student
        results = not_graded(variants, SubmissionError(f"the grader failed on it ({type(error).__name__}: {error}); "
                                                       "tell your teacher"))
    write_atomically(args.results / "results.json", (json.dumps(results, indent=2) + "\n").encode())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
