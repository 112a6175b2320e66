"""One run, four rows: chainrule against micrograd 0.1.0, PyTorch scalars and plain Python.

1. Training step: micrograd's demo step (MLP(2, [16, 16, 1]), 100 moons, hinge + 1e-4 L2,
   forward, backward, SGD), median of 5 steps, in each engine and hand-written over floats.
2. Elementary ops: forward + backward of a 100,000-op chain, time per op.
3. Memory: tracemalloc bytes per node of that chain after its forward pass.
4. Depth: the longest chain of x * 1.0 each engine backpropagates (1e3 .. 1e6).
5. Second order: the 10x10 Hessian of a small tanh MLP's loss, here and in PyTorch scalars.
6. Tensors: a 100x16 @ 16x16 matmul with backward as a Tensor, against the same sums as scalar Values.
Ratios are taken within this one process run, so they hold on a noisy machine. Prints a
table and writes out/bench.json. Run: make bench (installs micrograd and torch first).
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import hessian_workload  # noqa: E402
import tensor_workload  # noqa: E402
import training_step  # noqa: E402

from autograd import Value, topological_order  # noqa: E402

CHAIN_OPS = 100_000
REPEATS = 5
TARGETS = {  # the targets, as (row, against, bound)
    "training vs micrograd": 25.0,
    "training vs pytorch": 10.0,
    "training vs floor": 5.0,  # at most this many times the floor
    "compiled vs floor": 1.1,  # the step from generated code (autograd.compile), at most
    "ops vs micrograd": 5.0,
    "ops vs pytorch": 5.0,
    "bytes per node": 120.0,  # a one-parent node with its recorded constant
    "depth": 1_000_000,
    "tensor vs scalar dots": 1.5,  # a Tensor's matmul + backward, at most this many times the same dots in a loop
}


def chain(make: Callable[[float], object], relu: Callable[[object], object], n_ops: int):
    """n_ops ops in a chain: * + relu ** / - over and over (ops every engine here has)."""
    x0 = make(0.5)
    x = x0
    for _ in range(n_ops // 6):
        x = ((relu(x * 0.9 + 0.3) ** 2) / 1.2) - 0.1
    return x0, x


def scalar_engines() -> dict[str, dict]:
    """Each engine's leaf maker, relu and grad reader; or why it is missing."""
    found = {"chainrule": {"make": Value, "relu": Value.relu, "grad": lambda v: v.grad,
                           "count": lambda root: len(topological_order(root))}}
    try:
        from micrograd.engine import Value as MicrogradValue

        found["micrograd"] = {"make": MicrogradValue, "relu": MicrogradValue.relu, "grad": lambda v: v.grad,
                              "count": lambda root: count_nodes(root, lambda v: v._prev)}
    except ImportError:
        found["micrograd"] = {"missing": "micrograd is not installed (pip install micrograd==0.1.0)"}
    try:
        import torch

        torch.set_num_threads(1)
        found["pytorch"] = {
            "make": lambda x: torch.tensor(x, dtype=torch.float64, requires_grad=True),
            "relu": torch.relu,
            "grad": lambda t: t.grad.item(),
        }
    except ImportError:
        found["pytorch"] = {"missing": "torch is not installed (pip install torch==2.13.0)"}
    return found


def time_training(make_step: Callable[[], Callable[[], float]]) -> dict:
    """Consecutive steps, as in a training loop: each pays for freeing the last one's graph
    (micrograd's graphs are reference cycles, left to the garbage collector)."""
    step = make_step()
    times, losses = [], []
    for _ in range(REPEATS):
        start = time.perf_counter()
        losses.append(step())
        times.append(time.perf_counter() - start)
    found = {"step_s": statistics.median(times), "losses": losses}
    if hasattr(step, "compile_s"):
        found["compile_s"] = step.compile_s
    return found


def time_hessian(make: Callable[[], Callable[[], list[list[float]]]]) -> dict:
    run = make()
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        matrix = run()
        times.append(time.perf_counter() - start)
    return {"hessian_s": statistics.median(times), "trace": sum(matrix[i][i] for i in range(len(matrix)))}


def time_chain(engine: dict, n_ops: int = CHAIN_OPS) -> dict:
    forward, backward = [], []
    for _ in range(REPEATS):
        gc.collect()
        start = time.perf_counter()
        x0, out = chain(engine["make"], engine["relu"], n_ops)
        middle = time.perf_counter()
        out.backward()
        forward.append(middle - start)
        backward.append(time.perf_counter() - middle)
        grad = engine["grad"](x0)
        del x0, out
    total = statistics.median(f + b for f, b in zip(forward, backward))
    return {"forward_s": statistics.median(forward), "backward_s": statistics.median(backward),
            "total_s": total, "ns_per_op": total / n_ops * 1e9, "grad": grad}


def memory(engine: dict, n_ops: int = CHAIN_OPS) -> dict:
    """Memory the graph of an n_ops chain holds after its forward pass, per op and per node.

    micrograd makes a node of every number operand too, so it has about two nodes per op.
    """
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    graph = chain(engine["make"], engine["relu"], n_ops)
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    nodes = engine["count"](graph[1])
    return {"bytes_per_op": held / n_ops, "bytes_per_node": held / nodes, "nodes": nodes}


def count_nodes(root: object, parents_of: Callable[[object], object]) -> int:
    seen, stack = {id(root)}, [root]
    while stack:
        for parent in parents_of(stack.pop()):
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    return len(seen)


def deepest_chain(engine: dict) -> dict:
    """Try chains of 1e3 .. 1e6 ops (x * 1.0) as a user would (default recursion limit)."""
    reached, failure = 0, None
    for n_ops in (1_000, 10_000, 100_000, 1_000_000):
        try:
            x0 = engine["make"](1.0)
            x = x0
            for _ in range(n_ops):
                x = x * 1.0
            x.backward()
            if engine["grad"](x0) != 1.0:
                raise ArithmeticError("wrong gradient")
            reached = n_ops
            del x0, x
        except (RecursionError, MemoryError, ArithmeticError) as error:
            failure = f"{type(error).__name__} at {n_ops:,} ops"
            break
    return {"deepest_ok": reached, "failure": failure}


def run_with_deep_stack(work: Callable[[], dict]) -> dict:
    """Run work in a thread with a big stack and recursion limit: micrograd's backward recurses."""
    result: dict = {}
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(10 * CHAIN_OPS + 1000)
    threading.stack_size(1 << 30)
    worker = threading.Thread(target=lambda: result.update(work()))
    worker.start()
    worker.join()
    threading.stack_size(0)
    sys.setrecursionlimit(old_limit)
    return result


def measure() -> dict:
    results: dict = {"training": {}, "chain": {}, "memory": {}, "depth": {}, "hessian": {}, "tensor": {}}
    for name, make_step in training_step.ENGINES.items():
        try:
            results["training"][name] = run_with_deep_stack(lambda make_step=make_step: time_training(make_step))
        except ImportError as error:
            results["training"][name] = {"missing": f"{error.name} is not installed"}
    for name, engine in scalar_engines().items():
        if "missing" in engine:
            for row in ("chain", "memory", "depth"):
                results[row][name] = {"missing": engine["missing"]}
            continue
        results["depth"][name] = deepest_chain(engine)
        if name != "pytorch":  # tracemalloc does not see torch's C++ allocations
            results["memory"][name] = memory(engine)
        results["chain"][name] = run_with_deep_stack(lambda engine=engine: time_chain(engine))
    for name, make in hessian_workload.ENGINES.items():
        try:
            results["hessian"][name] = time_hessian(make)
        except ImportError as error:
            results["hessian"][name] = {"missing": f"{error.name} is not installed"}
    for name, make in tensor_workload.ENGINES.items():
        results["tensor"][name] = time_tensor(make)
    return results


def time_tensor(make: Callable[[], Callable[[], list[list[float]]]]) -> dict:
    run = make()
    times = []
    for _ in range(REPEATS):
        gc.collect()
        start = time.perf_counter()
        grad = run()
        times.append(time.perf_counter() - start)
    return {"step_s": statistics.median(times), "grad_11": grad[0][0]}


def ratio(results: dict, row: str, key: str, other: str) -> float | None:
    theirs, ours = results[row].get(other, {}), results[row]["chainrule"]
    return theirs[key] / ours[key] if key in theirs else None


def verdicts(results: dict) -> dict[str, dict]:
    """Each target with the measured number and whether it is met."""
    measured = {
        "training vs micrograd": ratio(results, "training", "step_s", "micrograd"),
        "training vs pytorch": ratio(results, "training", "step_s", "pytorch"),
        "training vs floor": 1 / ratio(results, "training", "step_s", "floor"),
        "compiled vs floor": results["training"]["compiled"]["step_s"] / results["training"]["floor"]["step_s"],
        "ops vs micrograd": ratio(results, "chain", "total_s", "micrograd"),
        "ops vs pytorch": ratio(results, "chain", "total_s", "pytorch"),
        "bytes per node": results["memory"]["chainrule"]["bytes_per_node"],
        "depth": results["depth"]["chainrule"]["deepest_ok"],
        "tensor vs scalar dots": results["tensor"]["tensor"]["step_s"] / results["tensor"]["scalar dots"]["step_s"],
    }
    at_most = ("training vs floor", "compiled vs floor", "bytes per node", "tensor vs scalar dots")
    return {
        name: {"measured": value, "target": TARGETS[name],
               "met": None if value is None else (value <= TARGETS[name] if name in at_most else value >= TARGETS[name])}
        for name, value in measured.items()
    }


def print_table(results: dict, checks: dict) -> None:
    print(f"1. Training step: MLP(2, [16, 16, 1]), 100 moons, hinge + 1e-4 L2, forward + backward + SGD; "
          f"median of {REPEATS}")
    ours = results["training"]["chainrule"]["step_s"]
    for name, row in results["training"].items():
        if "missing" in row:
            print(f"   {name:10} {row['missing']}")
            continue
        relation = "" if name == "chainrule" else (
            f"  chainrule is {row['step_s'] / ours:5.1f}x faster" if row["step_s"] > ours
            else f"  chainrule takes {ours / row['step_s']:4.1f}x as long")
        print(f"   {name:10} {row['step_s'] * 1000:9.1f} ms{relation}   (loss after 5 steps {row['losses'][-1]:.5f})")
        if "compile_s" in row:
            print(f"   {'':10} compiled once in {row['compile_s'] * 1000:.1f} ms (autograd.compile of one sample's loss,"
                  f" one function per label); {row['step_s'] / results['training']['floor']['step_s']:.2f}x the floor")

    print(f"\n2. Elementary ops: a {CHAIN_OPS:,}-op chain (* + relu ** / -), forward + backward; median of {REPEATS}")
    for name, row in results["chain"].items():
        if "missing" in row:
            print(f"   {name:10} {row['missing']}")
            continue
        print(f"   {name:10} forward {row['forward_s'] * 1000:7.1f} ms  backward {row['backward_s'] * 1000:7.1f} ms"
              f"  {row['ns_per_op']:7.0f} ns/op  {row['total_s'] / results['chain']['chainrule']['total_s']:5.1f}x chainrule")

    print("\n3. Memory: tracemalloc bytes the graph of that chain holds after forward")
    for name, row in results["memory"].items():
        print(f"   {name:10} " + (row["missing"] if "missing" in row else
                              f"{row['bytes_per_node']:6.0f} bytes/node  {row['bytes_per_op']:6.0f} bytes/op"
                              f"  ({row['nodes']:,} nodes)"))

    print("\n4. Depth: the longest chain of x * 1.0 that backpropagates (tried 1e3 .. 1e6, default settings)")
    for name, row in results["depth"].items():
        if "missing" in row:
            print(f"   {name:10} {row['missing']}")
            continue
        print(f"   {name:10} {row['deepest_ok']:>10,} ops" + (f"  (then {row['failure']})" if row["failure"] else ""))

    print(f"\n5. Second order: the 10x10 Hessian of MLP(1, [3, 1]) tanh's mse loss on 20 points; median of {REPEATS}")
    for name, row in results["hessian"].items():
        if "missing" in row:
            print(f"   {name:10} {row['missing']}")
            continue
        ours = results["hessian"]["chainrule"]["hessian_s"]
        relation = "" if name == "chainrule" else f"  chainrule is {row['hessian_s'] / ours:5.1f}x faster"
        print(f"   {name:10} {row['hessian_s'] * 1000:9.1f} ms{relation}   (trace {row['trace']:.6f})")

    print(f"\n6. Tensors: {tensor_workload.ROWS}x{tensor_workload.INNER} @ {tensor_workload.INNER}x"
          f"{tensor_workload.COLUMNS}, the sum of the product as the loss, forward + backward; median of {REPEATS}")
    base = results["tensor"]["scalar dots"]["step_s"]
    for name, row in results["tensor"].items():
        print(f"   {name:16} {row['step_s'] * 1000:9.1f} ms  {row['step_s'] / base:5.2f}x the scalar dots"
              f"   (dL/dW[1,1] {row['grad_11']:.6f})")

    print("\nTargets")
    for name, check in checks.items():
        mark = {True: "met", False: "MISSED", None: "not measured"}[check["met"]]
        value = check["measured"]
        shown = "-" if value is None else f"{value:,.1f}"
        print(f"   {name:22} {shown:>12}   target {'<=' if name in ('training vs floor', 'compiled vs floor', 'bytes per node', 'tensor vs scalar dots') else '>='} "
              f"{check['target']:,}   {mark}")


def main() -> None:
    # Importing torch leaves ~160,000 long-lived objects that every full garbage collection
    # would walk again, slowing all engines alike; park them outside the collector.
    scalar_engines()
    gc.freeze()
    results = measure()
    checks = verdicts(results)
    print_table(results, checks)
    out = ROOT / "out"
    out.mkdir(exist_ok=True)
    target = out / "bench.json"
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"chain_ops": CHAIN_OPS, "repeats": REPEATS, "results": results, "targets": checks},
                              indent=2))
    os.replace(tmp, target)
    print(f"\nwritten: {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
