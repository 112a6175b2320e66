"""Times the same workloads in chainrule, micrograd 0.1.0 and PyTorch scalars, in one process run.

Rows: elementary ops (a 100,000-op chain, forward + backward, time per op), memory
(tracemalloc bytes per node), depth (the longest chain each engine backpropagates).
Ratios are taken within this one run, so they hold on a noisy machine. Prints a table and
writes out/bench.json. Run: make bench (installs micrograd and torch into .venv first).
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

from autograd import Value  # noqa: E402

CHAIN_OPS = 100_000
REPEATS = 5


def chain(make: Callable[[float], object], relu: Callable[[object], object], n_ops: int):
    """n_ops ops in a chain: * + relu ** / - over and over (ops every engine here has)."""
    x0 = make(0.5)
    x = x0
    for _ in range(n_ops // 6):
        x = ((relu(x * 0.9 + 0.3) ** 2) / 1.2) - 0.1
    return x0, x


def engines() -> dict[str, dict]:
    """The engines this machine has: name -> how to make a leaf, relu, and read a grad."""
    found = {"chainrule": {"make": Value, "relu": Value.relu, "grad": lambda v: v.grad}}
    try:
        from micrograd.engine import Value as MicrogradValue

        found["micrograd"] = {"make": MicrogradValue, "relu": MicrogradValue.relu, "grad": lambda v: v.grad}
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


def time_chain(engine: dict, n_ops: int = CHAIN_OPS) -> dict:
    forward, backward = [], []
    for _ in range(REPEATS):
        gc.collect()
        start = time.perf_counter()
        x0, out = chain(engine["make"], engine["relu"], n_ops)
        middle = time.perf_counter()
        out.backward()
        end = time.perf_counter()
        forward.append(middle - start)
        backward.append(end - middle)
        grad = engine["grad"](x0)
        del x0, out
    total = statistics.median(f + b for f, b in zip(forward, backward))
    return {
        "forward_s": statistics.median(forward),
        "backward_s": statistics.median(backward),
        "total_s": total,
        "ns_per_op": total / n_ops * 1e9,
        "grad": grad,
    }


def bytes_per_node(engine: dict, n_ops: int = CHAIN_OPS) -> float:
    """Memory the graph of an n_ops chain holds after its forward pass, per op."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    graph = chain(engine["make"], engine["relu"], n_ops)
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    del graph
    return held / n_ops


def deepest_chain(engine: dict) -> dict:
    """Try chains of 1e3 .. 1e6 ops (x * 1.0); stop at the first failure and say what it was."""
    reached, failure = 0, None
    for n_ops in (1_000, 10_000, 100_000, 1_000_000):
        try:
            x0 = engine["make"](1.0)
            x = x0
            for _ in range(n_ops):
                x = x * 1.0
            x.backward()
            assert engine["grad"](x0) == 1.0, "wrong gradient"
            reached = n_ops
            del x0, x
        except (RecursionError, MemoryError, AssertionError) as error:
            failure = f"{type(error).__name__} at {n_ops:,} ops"
            break
    return {"deepest_ok": reached, "failure": failure}


def main() -> None:
    found = engines()
    # Importing torch leaves ~160,000 long-lived objects that every full garbage collection
    # would walk again, slowing all engines alike; park them outside the collector.
    gc.freeze()
    results: dict[str, dict] = {}
    for name, engine in found.items():
        if "missing" in engine:
            results[name] = {"missing": engine["missing"]}
            continue
        # The depth row runs as a user would: default recursion limit, default thread.
        results[name] = {"depth": deepest_chain(engine)}
        results[name]["memory_bytes_per_node"] = bytes_per_node(engine) if name != "pytorch" else None
        results[name]["chain"] = run_with_deep_stack(lambda: time_chain(engine))

    print_table(results)
    out = ROOT / "out"
    out.mkdir(exist_ok=True)
    target = out / "bench.json"
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"chain_ops": CHAIN_OPS, "repeats": REPEATS, "results": results}, indent=2))
    os.replace(tmp, target)
    print(f"\nwritten: {target.relative_to(ROOT)}")


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


def print_table(results: dict[str, dict]) -> None:
    ours = results["chainrule"]
    print(f"Elementary ops: a {CHAIN_OPS:,}-op chain (* + relu ** / -), forward + backward, median of {REPEATS}")
    print(f"{'engine':12} {'forward':>10} {'backward':>10} {'ns/op':>9} {'vs chainrule':>13}")
    for name, row in results.items():
        if "missing" in row:
            print(f"{name:12} {row['missing']}")
            continue
        c = row["chain"]
        ratio = c["total_s"] / ours["chain"]["total_s"]
        print(f"{name:12} {c['forward_s']:>9.3f}s {c['backward_s']:>9.3f}s {c['ns_per_op']:>9.0f} {ratio:>12.1f}x")

    print("\nMemory: tracemalloc bytes held per op node of the same chain after forward")
    for name, row in results.items():
        if row.get("memory_bytes_per_node") is not None:
            print(f"{name:12} {row['memory_bytes_per_node']:>8.0f} bytes/node")

    print("\nDepth: the longest chain of x * 1.0 that backpropagates (tried 1e3 .. 1e6)")
    for name, row in results.items():
        if "depth" in row:
            d = row["depth"]
            print(f"{name:12} {d['deepest_ok']:>10,} ops" + (f"  (then {d['failure']})" if d["failure"] else ""))


if __name__ == "__main__":
    main()
