"""The backward pass as code: generated source against the graph, on the recorded and on new inputs."""

import ast
import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import autograd
from autograd import Value, custom_op, to_python
from autograd.teach.codegen import NotCompilableError

from .examples import classic_neuron
from .programs import finite, programs, run, value_lib


def run_source(source, name, args):
    namespace = {}
    exec(compile(source, "<generated>", "exec"), namespace)  # builtins.compile: the Python one
    return namespace[name](*args)


def close(a, b):
    return a == b or math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12) or (math.isnan(a) and math.isnan(b))


def test_the_classroom_neuron_as_code():
    o, leaves = classic_neuron()
    source = to_python(o, list(leaves.values()))
    assert "    o = math.tanh(n)" in source
    assert "    d_n = d_o * (1.0 - o * o)  # ∂tanh(n)/∂n = 1 - tanh(n)^2" in source
    assert "def forward_backward(x1, x2, w1, w2, b):" in source
    assert "    return o, (d_x1, d_x2, d_w1, d_w2, d_b)" in source
    value, grads = run_source(source, "forward_backward", [v.data for v in leaves.values()])
    assert value == pytest.approx(0.7071067811865476) and grads == pytest.approx((-1.5, 0.5, 1.0, 0.0, 0.5))


@given(programs(max_inputs=3, max_ops=12), st.lists(st.floats(-2, 2), min_size=3, max_size=3))
def test_random_graphs_as_code_match_the_graph_on_recorded_and_new_inputs(program, others):
    inputs, steps = program
    leaves = [Value(x) for x in inputs]
    out = run(steps, leaves, value_lib)
    assume(finite(out.data))
    source = to_python(out, leaves)
    tree = ast.parse(source)
    assert [type(node) for node in tree.body] == [ast.Import, ast.FunctionDef]  # imports math, nothing else
    out.backward()
    value, grads = run_source(source, "forward_backward", inputs)
    assert close(value, out.data) and all(close(g, leaf.grad) for g, leaf in zip(grads, leaves))
    # new inputs: the same function against a graph rebuilt from them (branches chosen at run time)
    moved = others[: len(inputs)]
    fresh = [Value(x) for x in moved]
    try:
        again = run(steps, fresh, value_lib)
    except (ValueError, ZeroDivisionError, OverflowError):
        assume(False)
    assume(finite(again.data))
    again.backward()
    value, grads = run_source(source, "forward_backward", moved)
    assert close(value, again.data) and all(close(g, leaf.grad) for g, leaf in zip(grads, fresh))


def test_compile_checks_itself_and_decides_branches_at_run_time():
    x = Value(2.0, "x")
    f = autograd.compile(x * x + x.relu() + abs(x) + autograd.maximum(x, 1.0) + x.clamp(0, 3), [x])
    assert f(2.0) == (2.0 * 2 + 2 + 2 + 2 + 2, (4.0 + 1 + 1 + 1 + 1,))
    assert f(-1.0) == (1.0 + 0 + 1 + 1 + 0, (-2.0 + 0 - 1 + 0 + 0,))
    assert "def forward_backward(x)" in f.source


def test_constants_round_trip_exactly():
    x = Value(1e17, "x")
    y = (x + 1.0) * 0.1 + (0.1 + 0.2) - x / 3.0
    source = to_python(y, [x])
    assert "0.30000000000000004" in source and "1.0" in source
    f = autograd.compile(y, [x])
    assert f(1e17)[0] == y.data


def test_leaves_not_listed_are_constants_and_unused_inputs_get_zero():
    x, w = Value(2.0, "x"), Value(3.0, "w")
    f = autograd.compile(x * w, [x])
    assert f(5.0) == (15.0, (3.0,))
    y = Value(7.0, "y")
    assert autograd.compile(x * w, [x, y])(5.0, 1.0) == (15.0, (3.0, 0.0))


def test_labels_never_become_code():
    evil = Value(2.0, "__import__('os').system('echo pwned') #")
    other = Value(1.0, "def")
    y = evil * other
    y.label = "return"
    source = to_python(y, [evil, other])
    calls = [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)]
    assert calls == []  # a product needs no call: nothing a label says is ever called
    assert not [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    assert autograd.compile(y, [evil, other])(2.0, 1.0) == (2.0, (1.0, 2.0))


def test_long_sums_are_wrapped_and_lines_stay_short():
    xs = [Value(float(k), f"input_number_{k}") for k in range(12)]
    source = to_python(Value.sum(xs), xs)
    assert max(len(line) for line in source.splitlines() if "#" not in line and "def " not in line) <= 92
    assert autograd.compile(Value.sum(xs), xs)(*range(12))[0] == sum(range(12))


def test_custom_ops_and_bad_arguments_are_named():
    cube = custom_op("cube", lambda x: x**3, lambda x, out: 3 * x * x)
    x = Value(2.0, "x")
    with pytest.raises(NotCompilableError, match="custom op 'cube' cannot be written as code"):
        to_python(cube(x), [x])
    with pytest.raises(TypeError, match="inputs must be leaf Values"):
        to_python(x * 2, [x * 2])
    with pytest.raises(ValueError, match="must be a Python identifier"):
        to_python(x * 2, [x], name="not a name")


def test_also_returns_intermediate_values_however_long_the_lists():
    from autograd import compile as compile_graph

    xs = [Value(0.1 * k, f"x{k}") for k in range(30)]
    squares = [x * x for x in xs]
    y = Value.sum(squares).tanh()
    value, grads, extra = compile_graph(y, xs, also=squares)(*(0.2 * k for k in range(30)))
    assert extra == pytest.approx([(0.2 * k) ** 2 for k in range(30)], rel=1e-15)
    assert len(grads) == 30 and value == pytest.approx(math.tanh(sum((0.2 * k) ** 2 for k in range(30))))


def test_what_no_input_reaches_is_a_constant_in_the_code():
    """w is not an input: relu(w*2) is the number 6.0 in the code, with no gradient lines of its own,
    and a custom op there is no obstacle."""
    x, w = Value(1.5, "x"), Value(3.0, "w")
    twice = custom_op("twice", lambda a: 2 * a, lambda a, out: (2.0,))
    z = twice(w * 2.0).relu() * x
    z.label = "z"
    source = to_python(z, [x])
    assert "z = 12.0 * x" in source and "d_x = d_z * 12.0" in source
    assert "relu" not in source.split("# backward")[0] and "d_w" not in source and "twice" not in source
    tree = ast.parse(source)
    assert sum(isinstance(node, (ast.Assign, ast.AugAssign)) for node in ast.walk(tree)) == 3  # z, d_z, d_x
    value, grads = autograd.compile(z, [x])(4.0)
    assert (value, grads) == (48.0, (12.0,))


def test_step_code_at_some_nodes_writes_their_lines_as_the_whole_pass_does():
    """Only the nodes asked for get lines (the collapsed player's boxes), and a gradient begun at a
    node left out still turns the later = into +=."""
    from autograd.teach.codegen import step_code

    o, leaves = classic_neuron()
    x = leaves["x1"]
    y = (o * x + x * 3).tanh()
    y.label = "y"
    every = step_code(y)
    some = list(every)[1::2]
    assert step_code(y, some) == {node: every[node] for node in some}
    assert any("+=" in line for node in some for line in every[node])


def test_a_constant_exponent_is_written_as_a_student_would():
    """Issue 22 item 6: x ** 2.0 differentiates to 2.0 * x, in the code and the player's code line."""
    from autograd.teach.codegen import step_code

    x = Value(3.0, "x")
    y = x ** 2.0
    y.label = "y"
    source = to_python(y, [x])
    assert "    d_x = d_y * (2.0 * x)  # " in source
    assert "d_x = d_y * (2.0 * x)" in step_code(y)[y][0]
    z = x ** 3 + x ** 1 + x ** 0 + x ** 0.5
    z.label = "z"
    code = to_python(z, [x])
    assert "(3.0 * x ** 2.0)" in code and " if " in code  # the square root keeps its branch for |x| < 1
    assert all(token not in code for token in ("3.0 == 0", "1.0 >= 1", "x ** 1.0)", "(1.0 - 1.0)"))
    for at in (3.0, 0.25, 1.0):
        value, (grad,) = run_source(code, "forward_backward", [at])
        assert grad == pytest.approx(3 * at ** 2 + 1 + 0.5 / math.sqrt(at), rel=1e-12)
