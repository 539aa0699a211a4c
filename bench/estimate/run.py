"""How fast are our exact parameter counts, against building the model on the meta device?

The baseline is what `accelerate estimate-memory` does (and our pytest check does): build
the class in `architectures[0]` from the config under `torch.device("meta")` and sum
`numel()`. Both sides count the same catalog models, in the same run, on this machine, with
the time spent inside each process (start-up is reported apart: python importing torch and
transformers is a cost a notebook user pays once). The counts must agree exactly, or the
benchmark fails.

    .venv/bin/python bench/estimate/run.py      # after `make build` (needs lib/)

Writes bench/estimate/results.json.
"""
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
ROUNDS = 5


def main():
    t_import = time.perf_counter()
    import torch
    import transformers
    from transformers import CONFIG_MAPPING, AutoConfig

    import_seconds = time.perf_counter() - t_import
    transformers.logging.set_verbosity_error()

    with open(os.path.join(REPO, "src", "core", "catalog", "models.json")) as f:
        catalog = [m for m in json.load(f) if m["config"]["model_type"] in CONFIG_MAPPING]
    ids = [m["id"] for m in catalog]

    def meta_count(config):
        fields = {k: v for k, v in config.items() if k not in ("model_type", "architectures")}
        cls = getattr(transformers, config["architectures"][0])
        with torch.device("meta"):
            model = cls(AutoConfig.for_model(config["model_type"], **fields))
        return sum(p.numel() for p in model.parameters())

    baseline_rounds, ours_rounds, ours = [], [], None
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        theirs = {m["id"]: meta_count(m["config"]) for m in catalog}
        baseline_rounds.append(time.perf_counter() - t0)
        out = subprocess.run(
            ["node", os.path.join(HERE, "count.js"), json.dumps(ids), "200"],
            capture_output=True, text=True, check=True,
        )
        ours = json.loads(out.stdout)
        ours_rounds.append(ours["countSeconds"])
        if ours["counts"] != theirs:
            wrong = {k: (ours["counts"].get(k), v) for k, v in theirs.items() if ours["counts"].get(k) != v}
            sys.exit(f"counts differ from transformers: {wrong}")

    base = statistics.median(baseline_rounds)
    mine = statistics.median(ours_rounds)
    result = {
        "what": "exact parameter counts of %d catalog models: ours (TypeScript core, from config.json) vs building each on the meta device with transformers" % len(ids),
        "models": len(ids),
        "rounds": ROUNDS,
        "baseline_meta_device_ms_per_catalog": round(base * 1000, 1),
        "ours_ms_per_catalog": round(mine * 1000, 3),
        "ratio_baseline_over_ours": round(base / mine),
        "python_import_torch_transformers_s": round(import_seconds, 2),
        "estimates_of_every_model_x_gpu_x_method": ours["estimates"],
        "estimates_per_second": round(ours["estimates"] / ours["estimateSeconds"]),
        "counts_agree": True,
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__, "node": subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()},
    }
    with open(os.path.join(HERE, "results.json"), "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
