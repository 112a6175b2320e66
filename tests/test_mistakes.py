"""Teaching a careful teacher accepts: d for total and ∂ for local on every surface, wrong answers
diagnosed by the common mistake they match, and the terminal quiz's retries."""

import math
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings

from autograd import Value, explain, quiz, to_python
from autograd.teach.quiz import MISTAKES

from . import test_player
from .examples import classic_neuron
from .programs import programs, run, value_lib

# One chain-rule line: d root/d parent += d root/d node · ∂node/∂parent = upstream · local = product.
# Names here are short (no spaces); the same node must appear where the chain rule says.
STEP_LINE = re.compile(r"d(?P<root>\S+)/d(?P<parent>\S+) \+= d(?P=root)/d(?P<node>\S+) · ∂(?P=node)/∂(?P=parent)"
                       r" = \S+ · \S+ = \S+")
# A local derivative written with d, as before: "· dn/dw1" in a step, "d tanh(n)/dn" or "d(x * w)/dx" in a rule.
OLD_LOCAL = re.compile(r"[·*] d\S+/d|\bd [a-z_0-9]+\(|\bd\([^()]* [-+*/] [^()]*\)/d")
RULE = re.compile(r"∂(\(.*\)|\S+)/∂\S+ = ")  # a local rule: ∂tanh(n)/∂n = ..., ∂(s + b)/∂s = ...


def neuron_with_short_names():
    o, leaves = classic_neuron()
    x1, w1, x2, w2, b = (leaves[k] for k in ("x1", "w1", "x2", "w2", "b"))
    n = o.parents[0]
    n.parents[0].label = "s"  # x1*w1 + x2*w2
    n.parents[0].parents[0].label, n.parents[0].parents[1].label = "p1", "p2"
    return o, leaves


def test_every_step_line_writes_the_total_with_d_and_the_local_with_partial():
    o, _ = neuron_with_short_names()
    lines = [line for step in o.backward_steps() for line in str(step).splitlines()]
    assert len(lines) == 9 and all(STEP_LINE.fullmatch(line) for line in lines), lines
    assert lines[0] == "do/dn += do/do · ∂o/∂n = 1.0 · 0.5 = 0.5"  # the node is the root itself


def test_the_notation_on_every_text_surface():
    o, leaves = neuron_with_short_names()
    text = explain(o)
    assert text.splitlines()[0].startswith("notation: do/dv is the total derivative")
    backward = [line.strip() for line in text.split("backward:")[1].split("gradients")[0].splitlines()[1:]]
    assert backward and all(STEP_LINE.fullmatch(line) for line in backward)
    latex = explain(o, style="latex")
    assert r"\frac{\mathrm{d} o}{\mathrm{d} n} \mathrel{+}= \frac{\mathrm{d} o}{\mathrm{d} o} \cdot \frac{\partial o}{\partial n}" in latex
    markdown = explain(o, style="markdown")
    assert r"\frac{\partial s}{\partial p_{1}}" in markdown and r"\frac{\mathrm{d} o}{\mathrm{d} s}" in markdown
    hint = quiz(o).hint("x1")
    assert hint.startswith("do/dx1 = do/dp1 · ∂p1/∂x1 = 0.5 · -3.0 = ?") and RULE.search(hint)
    code = to_python(o, list(leaves.values()))
    comments = [line.split("# ", 1)[1] for line in code.splitlines() if "d_" in line and "# " in line]
    assert comments and all(RULE.match(c) for c in comments)
    for surface in (text, hint, code, latex, markdown):
        assert not OLD_LOCAL.search(surface), OLD_LOCAL.search(surface)


def test_the_step_mathml_writes_d_for_totals_and_partial_for_the_local():
    from autograd.teach.trace import step_mathml

    math_ml = step_mathml(next(neuron_with_short_names()[0].backward_steps()))
    assert math_ml.count('<mi mathvariant="normal">d</mi>') == 4 and math_ml.count("&#8706;") == 2


def test_the_worksheet_key_and_the_cli_write_the_same_notation(tmp_path):
    from autograd.show.worksheet import write_worksheet

    _, key = write_worksheet(5, 1, tmp_path)
    page = key.read_text()
    assert "notation: df/dv" in page and "· ∂" in page and not OLD_LOCAL.search(page)
    assert page.count('<table class="mistakes">') == 5
    done = subprocess.run([sys.executable, "-m", "autograd.cli", "explain", "sin(x)*x", "x=1"],
                          capture_output=True, text=True, timeout=60)
    assert "df/dx += df/df · ∂f/∂x = 1.0 · 0.8415 = 0.8415" in done.stdout


# ---- the mistakes ----


def diagnosed(root, name, answer):
    return quiz(root).answer(name, answer).mistake


def product_chain():
    """y = (x*w)*5 at x=2, w=-3: dy/dx = -15, and the mistakes' numbers all differ."""
    x, w = Value(2.0, "x"), Value(-3.0, "w")
    y = (x * w) * 5
    y.label = "y"
    return y


def test_each_mistake_where_their_numbers_differ():
    y = product_chain()
    assert quiz(y).mistakes("x") == {"no_upstream": [-3.0], "no_local": [5.0], "sign": [15.0]}
    assert [diagnosed(y, "x", a) for a in (-15, -3, 5, 15, 7)] == [None, "no_upstream", "no_local", "sign", "unknown"]

    x = Value(3.0, "x")
    shared = x * x + 2 * x  # paths 3, 3, 2: dy/dx = 8
    shared.label = "y"
    assert diagnosed(shared, "x", 5) == "missed_path" and diagnosed(shared, "x", 6) == "missed_path"

    n = Value(0.5, "n")
    for make, wrong in ((lambda v: v.tanh(), 2 * (1 - 0.25)),                      # 1 - n^2 for tanh(n)
                        (lambda v: v.sigmoid(), 2 * 0.5 * (1 - 0.5)),               # n(1 - n) for sigmoid(n)
                        (lambda v: v.exp(), 2 * math.exp(math.exp(0.5)))):          # exp(out) for exp
        y = make(n) * 2
        y.label = "y"
        test = quiz(y)
        assert test.answer("n", wrong).mistake == "wrong_point"
        assert "at the wrong point" in str(test.answer("n", wrong))
        numbers = [v for vs in test.mistakes("n").values() for v in vs]
        assert len({round(v, 9) for v in numbers}) == len(numbers)  # every mistake gives its own number here


def test_with_many_paths_one_use_left_out_is_still_a_missed_path():
    x = Value(1.0, "x")
    y = x * 1
    for k in range(2, 14):
        y = y + x * k  # 13 uses of x, 13 paths: too many subsets to try them all
    y.label = "y"
    test = quiz(y)
    assert test.expected("x") == 91.0
    assert test.answer("x", 91.0 - 5).mistake == "missed_path" and test.answer("x", 5.0).mistake == "missed_path"


def test_a_rule_at_the_wrong_point_further_up_the_path_is_found_too():
    o, leaves = classic_neuron()
    n = 0.8813735870195432
    assert quiz(o).answer("x1", -3.0 * (1 - n * n)).mistake == "wrong_point"


def test_where_two_mistakes_give_the_same_number_the_first_in_order_wins():
    a, b, c = Value(1.0, "a"), Value(2.0, "b"), Value(2.0, "c")
    y = (a * b) * c  # dy/da = 4; the local derivative alone (b) and the upstream alone (c) are both 2
    y.label = "y"
    assert diagnosed(y, "a", 2.0) == "no_upstream"
    x = Value(3.0, "x")
    shared = x * x + 2 * x  # one path alone gives 3, and so does the upstream alone
    shared.label = "y"
    assert quiz(shared).mistakes("x")["no_local"] == [3.0] and diagnosed(shared, "x", 3.0) == "missed_path"
    assert list(quiz(shared).mistakes("x")) == [m for m in MISTAKES if m in quiz(shared).mistakes("x")]


def test_str_of_feedback_names_the_mistake_and_what_to_do():
    y = product_chain()
    test = quiz(y)
    said = {answer: str(test.answer("x", answer)) for answer in (-3, 5, 15, 7)}
    assert said[-3].startswith("not quite: that is the local derivative ∂(x*w)/∂x alone: multiply it by")
    assert said[5].startswith("not quite: that is the upstream gradient dy/d(x*w) alone: multiply it by")
    assert said[15].startswith("not quite: that has the wrong sign")
    assert said[7].startswith("not quite: that is none of the usual slips")
    assert all("dy/dx = dy/d(x*w) · ∂(x*w)/∂x = 5.0 · -3.0 = ?" in s for s in said.values())
    assert str(test.answer("x", -15)) == "right"


@settings(max_examples=40)
@given(programs(max_ops=6))
def test_a_right_answer_is_never_diagnosed(program):
    inputs, steps = program
    out = run(steps, [Value(x, f"x{k}") for k, x in enumerate(inputs)], value_lib)
    if not math.isfinite(out.data) or abs(out.data) > 1e8:
        return
    test = quiz(out)
    for question in test.questions:
        truth = test.expected(question.name)
        if not math.isfinite(truth):
            continue
        for answer in (truth, truth * (1 + 1e-4)):
            feedback = test.answer(question.name, answer)
            assert feedback.correct and feedback.mistake is None
        for mistake, numbers in test.mistakes(question.name).items():
            assert mistake in MISTAKES and all(abs(v - truth) > 5e-4 * abs(truth) for v in numbers)


# ---- the terminal quiz ----


def chainrule_quiz(answers: str, *args: str) -> list[str]:
    done = subprocess.run([sys.executable, "-m", "autograd.cli", "quiz", *args], input=answers,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return done.stdout.splitlines()


def test_the_terminal_quiz_gives_three_tries_with_a_growing_hint():
    # f = (x*w)*5 at x=2, w=-3: asks df/d(x*w) = 5, df/dw = 10, df/dx = -15
    lines = chainrule_quiz("abc\n\n5\n1\n2\n3\n-3\n5\n-15\n", "x*w*5", "x=2", "w=-3")
    assert lines[-1] == "score: 1 of 3"  # right at the first try: only df/d(x*w), garbage not counted
    out = "\n".join(lines)
    assert "df/d(x*w) = ? abc\n  an answer is a number, like 0.5 or -1.5e-3; got 'abc' (not counted; q stops)" in out
    assert "df/d(x*w) = ? \n  type a number" in out and "df/d(x*w) = ? 5\n  right" in out
    tries = out.split("df/dw = ? ")
    assert len(tries) == 4 and tries[1].startswith("1\n  not quite:") and tries[1].rstrip().endswith("(try 2 of 3)")
    assert "  the numbers: df/dw = df/d(x*w) · ∂(x*w)/∂w = 5.0 · 2.0 = ?" in tries[2] and "(try 3 of 3)" in tries[2]
    assert "  the answer: df/dw = 10.0" in tries[3]
    assert "df/dx = ? -3\n  not quite: that is the local derivative ∂(x*w)/∂x alone" in out
    assert "df/dx = ? 5\n  not quite: that is the upstream gradient df/d(x*w) alone" in out
    assert "df/dx = ? -15\n  right" in out


@pytest.mark.parametrize("answers", ["5\nq\n", "5\n"])
def test_q_or_the_end_of_input_ends_the_terminal_quiz_with_the_score(answers):
    lines = chainrule_quiz(answers, "x*w*5", "x=2", "w=-3")
    assert lines[-2:] == ["stopped after 1 of 3 questions", "score: 1 of 3"]


# ---- the HTML quiz says the same ----

browser = test_player.browser  # the player tests' Chromium fixture


def test_the_html_quiz_diagnoses_as_the_python_quiz_does_and_enter_moves_on(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from autograd import player

    y = product_chain()
    browser.get(player(y, quiz=True).save(tmp_path / "quiz.html").as_uri())
    active = "return document.activeElement.dataset.name"
    assert browser.execute_script(active) == "x*w"  # the first field has the focus

    def box(name):
        return browser.find_element(By.CSS_SELECTOR, f'#quiz input[data-name="{name}"]')

    box("x*w").send_keys("5", Keys.ENTER)
    assert browser.execute_script(active) == "w"  # Enter checked it and moved on
    for answer in ("-3", "5", "15", "7"):
        field = box("x")
        field.clear()
        field.send_keys(answer, Keys.ENTER)
        row = field.find_element(By.XPATH, "./../..")
        expected = quiz(y).answer("x", float(answer))
        assert row.get_attribute("data-mistake") == expected.mistake
        assert row.find_element(By.CLASS_NAME, "hint").text == str(expected)
