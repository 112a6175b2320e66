"""Quizzes: hidden gradients, answers judged in any order, hints with the numbers to multiply."""

import subprocess
import sys

import pytest

from autograd import Value, custom_op, quiz

from .examples import classic_neuron

NEURON = ["n", "b", "x1*w1 + x2*w2", "x2*w2", "w2", "x2", "x1*w1", "w1", "x1"]
TRUTH = {"n": 0.5, "b": 0.5, "x1*w1 + x2*w2": 0.5, "x2*w2": 0.5, "w2": 0.0, "x2": 0.5, "x1*w1": 0.5, "w1": 1.0, "x1": -1.5}


def test_questions_come_in_backward_order_named_as_explain_names_them():
    q = quiz(classic_neuron()[0])
    assert [question.name for question in q.questions] == NEURON
    assert q.questions[0].prompt == "do/dn = ?" and q.questions[3].prompt == "do/d(x2*w2) = ?"


def test_any_question_any_time_each_judged_on_its_own():
    q = quiz(classic_neuron()[0])
    assert q.answer("x1", -1.5).correct  # the last one first
    assert not q.answer("n", 0.7).correct
    assert q.answer("w1", "1.0").correct  # still right, although n was answered wrongly
    assert q.score == 2
    for name, value in TRUTH.items():
        q.answer(name, value)
    assert q.score == len(NEURON)
    assert not q.answer("b", 2.0).correct and q.score == len(NEURON) - 1  # the latest answer counts


def test_four_significant_digits_are_enough():
    q = quiz(classic_neuron()[0])
    assert q.answer("n", 0.5002).correct and not q.answer("n", 0.501).correct
    assert q.answer("w2", 0.0).correct and q.answer("w2", 1e-12).correct


def test_a_wrong_answer_gets_the_rule_and_the_numbers_to_multiply():
    q = quiz(classic_neuron()[0])
    feedback = q.answer("n", 1.0)
    assert feedback.hint == "do/dn = do/do · ∂o/∂n = 1.0 · 0.5 = ?   (the rule: ∂tanh(n)/∂n = 1 - tanh(n)^2)"
    q.answer("x1*w1", 3.0)
    hint = q.answer("x1", 0.0).hint
    assert hint.startswith("do/dx1 = do/d(x1*w1) · ∂(x1*w1)/∂x1 = 0.5 · -3.0 = ?")
    assert "first fix do/d(x1*w1): that answer was not right" in hint


def test_where_paths_meet_the_hint_adds_them():
    x = Value(3.0, "x")
    y = x * x + 2 * x
    y.label = "y"
    hint = quiz(y).answer("x", 0).hint
    assert hint.startswith("dy/dx = dy/d(2*x) · ∂(2*x)/∂x + dy/d(x*x) · ∂(x*x)/∂x + dy/d(x*x) · ∂(x*x)/∂x "
                           "= 1.0 · 2.0 + 1.0 · 3.0 + 1.0 · 3.0 = ?")  # x*x: one term per edge


def test_hide_local_derivatives_too():
    hint = quiz(classic_neuron()[0], hide_local=True).answer("n", 1.0).hint
    assert hint == "do/dn = do/do · ∂o/∂n = 1.0 · (∂tanh(n)/∂n = 1 - tanh(n)^2) = ?"


def test_hide_only_some_gradients_reproducibly():
    o = classic_neuron()[0]
    assert [q.name for q in quiz(o, hide=["w1", "x1"]).questions] == ["w1", "x1"]
    picked = [q.name for q in quiz(o, hide=3, seed=7).questions]
    assert len(picked) == 3 and picked == [q.name for q in quiz(o, hide=3, seed=7).questions]
    assert len(quiz(o, hide=0.5, seed=1).questions) == 4
    with pytest.raises(ValueError, match="hide names 'zz', not in the graph"):
        quiz(o, hide=["zz"])
    with pytest.raises(ValueError, match="no question is called 'n'"):
        quiz(o, hide=["w1"]).answer("n", 0.5)


def test_quiz_leaves_the_grads_alone_and_refuses_non_numbers():
    o, leaves = classic_neuron()
    q = quiz(o)
    assert leaves["x1"].grad == 0.0
    with pytest.raises(ValueError, match="an answer is a number, like 0.5"):
        q.answer("n", "half")


def test_a_custom_op_is_quizzed_like_a_built_in():
    cube = custom_op("cube", lambda x: x**3, lambda x, out: 3 * x * x)
    x = Value(2.0, "x")
    y = cube(x)
    y.label = "y"
    q = quiz(y)
    assert q.answer("x", 12.0).correct
    assert q.answer("x", 1.0).hint.startswith("dy/dx = dy/dy · ∂y/∂x = 1.0 · 12.0 = ?")


def test_chainrule_quiz_reads_answers_from_a_pipe():
    answers = "0.5\n0.5\n0.5\n0.5\n0.0\n0.5\n0.5\n1.0\n7\n"
    done = subprocess.run([sys.executable, "-m", "autograd.cli", "quiz", "tanh(x1*w1 + x2*w2 + b)", "x1=2", "w1=-3",
                           "x2=0", "w2=1", "b=6.8813735870195432"], input=answers, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "df/dv8 = ?" in out and out.count("right") == 8
    assert "df/dx1 = ? 7\n  not quite: that is none of the usual slips" in out  # then end of input
    assert out.rstrip().splitlines()[-1] == "score: 8 of 9"


def test_chainrule_quiz_stops_at_end_of_input():
    done = subprocess.run([sys.executable, "-m", "autograd.cli", "quiz", "x*y", "x=2", "y=3"], input="2\n",
                          capture_output=True, text=True, timeout=60)
    lines = done.stdout.rstrip().splitlines()
    assert done.returncode == 0 and lines[-2:] == ["stopped after 1 of 2 questions", "score: 1 of 2"]
