"""The benchmark's four training steps compute the same thing (no timing here: see benchmarks/)."""

import importlib.util
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import hessian_workload
import training_step


def available(name):
    return importlib.util.find_spec(name) is not None or os.environ.get("CI") == "true"


@pytest.mark.parametrize("engine", ["floor", "compiled", "micrograd", "pytorch"])
def test_every_engine_takes_the_same_steps_as_chainrule(engine):
    module = {"floor": "math", "compiled": "math", "micrograd": "micrograd", "pytorch": "torch"}[engine]
    if not available(module):
        pytest.skip(f"{module} is not installed (the parity extra installs it)")
    ours, theirs = training_step.make_chainrule(), training_step.ENGINES[engine]()
    for _ in range(3):
        assert theirs() == pytest.approx(ours(), rel=1e-12)


def test_bench_chain_runs_on_a_small_graph():
    import bench

    engine = bench.scalar_engines()["chainrule"]
    timing = bench.time_chain(engine, n_ops=600)
    assert timing["grad"] != 0 and timing["total_s"] > 0
    used = bench.memory(engine, n_ops=600)
    assert used["nodes"] == 601 and used["bytes_per_node"] < 400


def test_the_hessian_workload_is_the_same_matrix_in_pytorch():
    if not available("torch"):
        pytest.skip("torch is not installed (the parity extra installs it)")
    ours, theirs = hessian_workload.make_chainrule()(), hessian_workload.make_pytorch()()
    assert len(ours) == len(ours[0]) == 10
    for row, other in zip(ours, theirs):
        assert row == pytest.approx(other, rel=1e-12, abs=1e-14)


def test_the_tensor_workload_is_the_same_gradient_three_ways():
    import tensor_workload

    ours = tensor_workload.make_tensor()()
    for make in (tensor_workload.make_scalar_dots, tensor_workload.make_scalar_products):
        for row, other in zip(ours, make()()):
            assert row == pytest.approx(other, rel=1e-12)
    assert len(ours) == tensor_workload.INNER and len(ours[0]) == tensor_workload.COLUMNS
