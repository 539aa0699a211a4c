"""What `pip install jupyterlab-model-advisor` costs a Colab user, each against a baseline measured
in the same run on the same machine (ratios, never absolute targets):

  wheel size         the wheel `make dist` built, against its labextension alone (what the
                     JupyterLab-only release shipped): the ratio is what the widget and the
                     engine add.
  widget bundle      model_advisor/static/widget.js gzipped, against React + ReactDOM's own
                     production files gzipped: the floor of any React UI shipped without a
                     host to share React with (Colab, VS Code).
  import time        `python -c "import model_advisor"` against `python -c "pass"` (fresh
                     processes; the package must stay light: anywidget and the engine load on
                     first use).
  check() first call a fresh process: import + QuickJS start + the bundle's load + the probe +
                     two runs of `fit`; against `node lib/cli.js fit …` (the CLI a user would
                     otherwise run, one fresh node process).
  check() warm       the same call again in the same process, against the in-process probe alone
                     (gpu_report(), which every check() without gpu= runs).

    .venv/bin/python bench/widget/run.py [--runs 15] [--wheel dist/…whl]

Writes bench/widget/results.json. Needs `make build` (lib/, static bundles) and `make dist`.
"""
import argparse
import glob
import gzip
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
PY = os.path.join(REPO, ".venv", "bin", "python")
MODEL = "Qwen/Qwen2.5-7B-Instruct"


def timed(argv, runs, env=None):
    """Median and min seconds of a fresh process (the whole process, as a user waits for it)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True, env=env, cwd=REPO)
        times.append(time.perf_counter() - started)
    return {"median_ms": round(statistics.median(times) * 1000, 1), "min_ms": round(min(times) * 1000, 1)}


def gz(data):
    return len(gzip.compress(data, 9))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--wheel", default=None)
    args = parser.parse_args()
    wheel = args.wheel or sorted(glob.glob(os.path.join(REPO, "dist", "*.whl")), key=os.path.getmtime)[-1]
    results = {"machine": platform.platform(), "python": platform.python_version(), "runs": args.runs}

    # Wheel: all of it, against the labextension's files in it (compressed sizes as stored).
    with zipfile.ZipFile(wheel) as z:
        infos = z.infolist()
        total = os.path.getsize(wheel)
        lab = sum(i.compress_size for i in infos if "labextensions/" in i.filename)
        static = sum(i.compress_size for i in infos if i.filename.startswith("model_advisor/static/"))
        widget_js = z.read("model_advisor/static/widget.js")
        engine_js = z.read("model_advisor/static/engine.js")
    results["wheel"] = {"bytes": total, "labextension_bytes": lab, "widget_and_engine_bytes": static,
                        "ratio_to_labextension": round(total / lab, 2)}

    react = [os.path.join(REPO, "node_modules", p) for p in (
        "react/cjs/react.production.min.js", "react-dom/cjs/react-dom.production.min.js")]
    react_gz = sum(gz(open(p, "rb").read()) for p in react)
    results["widget_bundle"] = {"bytes": len(widget_js), "gzip_bytes": gz(widget_js), "react_gzip_bytes": react_gz,
                                "ratio_to_react": round(gz(widget_js) / react_gz, 2),
                                "engine_bytes": len(engine_js), "engine_gzip_bytes": gz(engine_js)}

    env = dict(os.environ, PATH=os.path.dirname(PY) + os.pathsep + os.environ.get("PATH", ""))
    bare = timed([PY, "-c", "pass"], args.runs, env)
    imported = timed([PY, "-c", "import model_advisor"], args.runs, env)
    results["import"] = {"import_model_advisor": imported, "python_pass": bare,
                         "ratio": round(imported["median_ms"] / bare["median_ms"], 2),
                         "added_ms": round(imported["median_ms"] - bare["median_ms"], 1)}

    first = timed([PY, "-c", f"import model_advisor; model_advisor.check({MODEL!r}, quiet=True)"], args.runs, env)
    node = timed(["node", os.path.join(REPO, "lib", "cli.js"), "fit", MODEL, "--method", "qlora", "--gpu", "t4"],
                 args.runs, env)
    results["check_first_call"] = {"check": first, "node_cli_fit": node,
                                   "ratio": round(first["median_ms"] / node["median_ms"], 2)}

    warm_script = (
        "import json, statistics, time, model_advisor\n"
        "from model_advisor.probe import gpu_report\n"
        f"model_advisor.check({MODEL!r}, quiet=True)\n"
        "def t(f, n=30):\n"
        "    xs = []\n"
        "    for _ in range(n):\n"
        "        s = time.perf_counter(); f(); xs.append(time.perf_counter() - s)\n"
        "    return round(statistics.median(xs) * 1000, 2)\n"
        f"print(json.dumps({{'check': t(lambda: model_advisor.check({MODEL!r}, quiet=True)), 'probe': t(gpu_report)}}))\n"
    )
    warm = json.loads(subprocess.run([PY, "-c", warm_script], check=True, capture_output=True, text=True,
                                     env=env, cwd=REPO).stdout)
    results["check_warm"] = {"check_median_ms": warm["check"], "probe_median_ms": warm["probe"],
                             "ratio": round(warm["check"] / warm["probe"], 2)}

    with open(os.path.join(HERE, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
        f.write("\n")
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
