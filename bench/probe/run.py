"""How long the sidebar waits for the GPU probe, against the obvious alternative.

Measured in one run, on the same machine:
  probe     the sidebar's request (silent, store_history=False) in a warm IPython kernel,
            timed from sending execute_request until the kernel is idle again, with
            stdout read exactly as the sidebar reads it; a fake nvidia-smi on PATH
            (tests/fake_nvidia_smi.py) answers as the chosen runtime.
  baseline  a fresh Python process that imports torch and asks torch.cuda (is_available,
            device_count, and for each device its properties), which is what a notebook
            user would otherwise run.
Goal (issue 4): probe p50 <= 100 ms and >= 20x faster than the baseline.

    .venv/bin/python bench/probe/run.py [--runs 40] [--baseline-runs 10] [--case colab-t4]

Writes bench/probe/results.json.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tests"))
from conftest import FAKE_SMI_CASE_ENV, KernelSession, report_from_stdout, sidebar_probe_code  # noqa: E402
import fake_nvidia_smi  # noqa: E402

BASELINE = """
import json, torch
devices = []
if torch.cuda.is_available():
    for i in range(torch.cuda.device_count()):
        p = torch.cuda.get_device_properties(i)
        devices.append({"name": p.name, "memory_mib": p.total_memory // 2**20, "capability": "%d.%d" % (p.major, p.minor)})
print(json.dumps({"torch": torch.__version__, "cuda": torch.cuda.is_available(), "devices": devices}))
"""


def percentile(samples, q):
    """The q-th percentile (0-100), linear between the two nearest ranks."""
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(samples_ms):
    return {"runs": len(samples_ms), "p50_ms": round(percentile(samples_ms, 50), 2),
            "p95_ms": round(percentile(samples_ms, 95), 2), "min_ms": round(min(samples_ms), 2),
            "max_ms": round(max(samples_ms), 2)}


def time_probe(env, runs, warmup):
    code = sidebar_probe_code()
    kernel = KernelSession(env)
    try:
        walls, inside = [], []
        for i in range(warmup + runs):
            started = time.perf_counter()
            content, messages = kernel.execute(code, silent=True, store_history=False)
            wall = (time.perf_counter() - started) * 1000
            report = report_from_stdout(messages)
            if content["status"] != "ok" or report["errors"]:
                raise SystemExit("the probe failed: %r %r" % (content, report["errors"]))
            if i >= warmup:
                walls.append(wall)
                inside.append(report["elapsed_ms"])
        return walls, inside, report
    finally:
        kernel.close()


def time_baseline(env, runs):
    walls = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", BASELINE], env=env, capture_output=True, text=True, timeout=300)
        walls.append((time.perf_counter() - started) * 1000)
        if done.returncode != 0:
            raise SystemExit("the baseline failed: %s" % done.stderr)
    return walls, json.loads(done.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=40, help="timed probes in the warm kernel (>= 30)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--baseline-runs", type=int, default=10)
    parser.add_argument("--case", default="colab-t4", help="the runtime the fake nvidia-smi answers as")
    parser.add_argument("--out", default=os.path.join(HERE, "results.json"))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ)
        env["PATH"] = fake_nvidia_smi.install(folder) + os.pathsep + env.get("PATH", "")
        env[FAKE_SMI_CASE_ENV] = args.case
        probe_walls, probe_inside, report = time_probe(env, args.runs, args.warmup)
        baseline_walls, baseline_said = time_baseline(env, args.baseline_runs)

    probe, baseline = summary(probe_walls), summary(baseline_walls)
    ratio = baseline["p50_ms"] / probe["p50_ms"]
    results = {
        "what": "GPU probe latency in a warm kernel vs a fresh process importing torch (issue 4)",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "torch": baseline_said["torch"],
                    "nvidia_smi": "tests/fake_nvidia_smi.py case %s" % args.case},
        "probe": dict(probe, inside_kernel_p50_ms=round(percentile(probe_inside, 50), 2)),
        "baseline": baseline,
        "speedup_p50": round(ratio, 1),
        "goal": {"probe_p50_ms_at_most": 100, "speedup_at_least": 20,
                 "met": probe["p50_ms"] <= 100 and ratio >= 20},
        "probe_saw": [g["name"] for g in report["gpus"]],
        "samples_ms": {"probe": [round(x, 2) for x in probe_walls], "baseline": [round(x, 1) for x in baseline_walls]},
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)
        f.write("\n")
    print("probe    (warm kernel, %d runs): p50 %.1f ms, p95 %.1f ms (inside the kernel p50 %.1f ms)"
          % (probe["runs"], probe["p50_ms"], probe["p95_ms"], results["probe"]["inside_kernel_p50_ms"]))
    print("baseline (fresh process + torch, %d runs): p50 %.1f ms, p95 %.1f ms"
          % (baseline["runs"], baseline["p50_ms"], baseline["p95_ms"]))
    print("speedup at p50: %.1fx; goal (p50 <= 100 ms, >= 20x) %s" % (ratio, "met" if results["goal"]["met"] else "NOT met"))
    print("wrote %s" % os.path.relpath(args.out, REPO))


if __name__ == "__main__":
    main()
