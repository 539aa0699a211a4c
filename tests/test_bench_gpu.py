"""bench/gpu/run.py --dry-run: the GPU benchmark's code path (catalog config → random weights →
rendered notebook → kernel → results files) on tiny shapes on the CPU."""
import json
import os
import subprocess
import sys

from conftest import REPO


def test_gpu_bench_dry_run_writes_one_row_per_case(built_lib, tmp_path):
    model = "Qwen/Qwen2.5-0.5B-Instruct"
    proc = subprocess.run([sys.executable, os.path.join(REPO, "bench", "gpu", "run.py"), "--dry-run", "--models", model,
                           "--out", str(tmp_path)], capture_output=True, text=True, timeout=900, cwd=REPO)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    names = sorted(os.listdir(tmp_path))
    assert len(names) == 2 and names[0].startswith("gpu-dryrun-") and names[0].endswith(".json"), names
    with open(tmp_path / names[0]) as f:
        doc = json.load(f)
    assert doc["dry_run"] is True
    cases = doc["cases"]
    assert {(c["method"], c["seq_len"]) for c in cases} == {(m, s) for m in ("qlora", "lora") for s in (32, 64, 128)}
    for c in cases:
        assert c["model"] == model and c["steps"] == 2
        assert isinstance(c["estimate_mib"], int) and c["estimate_mib"] > 0  # the notebook's own estimate
        assert c["steps_per_second"] > 0  # training ran
        assert c["max_memory_reserved_mib"] is None  # no GPU: nothing measured, nothing invented
    with open(tmp_path / names[1]) as f:
        table = f.read()
    assert "Dry run" in table and table.count("| %s |" % model) == 6
