"""A stand-in for `nvidia-smi` that replays recorded answers, for tests on machines without a GPU.

Which answer it gives is chosen by the environment, read at every call:
  MODEL_ADVISOR_FAKE_SMI_CASE      a case name of the fixture file, or one of EXTRA_CASES below
  MODEL_ADVISOR_FAKE_SMI_FIXTURES  the fixture file (default <repo>/../shared/fixtures/nvidia-smi.json)

The recorded answers are for one query (see the fixture file's "_about"); asked anything
else, the fake says so on stderr and exits 99, so a probe that changed its query fails its
tests instead of reading answers meant for other fields.

`python tests/fake_nvidia_smi.py --install DIR [--case NAME]` makes DIR/nvidia-smi, an
executable to put first on PATH (NAME is the case used when the variable is unset).
"""
import json
import os
import stat
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_FIXTURES = os.path.join(REPO, "..", "shared", "fixtures", "nvidia-smi.json")

RECORDED_QUERY = "index,name,memory.total,memory.used,memory.free,compute_cap,driver_version"
FORMAT = "--format=csv,noheader,nounits"

# Cases made here by hand rather than recorded: a hang, a warning line before the CSV, and
# the placeholders nvidia-smi prints for fields it cannot read (MIG mode hides memory use;
# some cards report "[Not Supported]").
HANG_SECONDS = 30
EXTRA_CASES = {
    "hang": {"note": "nvidia-smi stuck in the driver: never answers"},
    "mig-na": {
        "note": "an A100 in MIG mode: memory use reads [N/A]",
        "stdout": "0, NVIDIA A100-SXM4-40GB, 40960, [N/A], [N/A], 8.0, 550.54.15\n",
        "stderr": "", "exit_code": 0,
    },
    "inforom-warning": {
        "note": "a card with a corrupted infoROM: nvidia-smi warns on stdout, then answers",
        "stdout": "WARNING: infoROM is corrupted at gpu 0000:01:00.0\n0, NVIDIA GeForce RTX 3090, 24576, 1, 24237, 8.6, 535.183.01\n",
        "stderr": "", "exit_code": 0,
    },
    "not-supported": {
        "note": "a card whose driver does not report memory or capability",
        "stdout": "0, NVIDIA GeForce GTX 1650, [Not Supported], [Not Supported], [Not Supported], [N/A], 470.82.01\n",
        "stderr": "", "exit_code": 0,
    },
}


def fixtures_path():
    return os.environ.get("MODEL_ADVISOR_FAKE_SMI_FIXTURES") or DEFAULT_FIXTURES


def load_cases():
    with open(fixtures_path()) as f:
        cases = {k: v for k, v in json.load(f).items() if not k.startswith("_")}
    cases.update(EXTRA_CASES)
    return cases


def answer(case, args):
    """(stdout, stderr, exit code) of nvidia-smi for these arguments in this case."""
    query = next((a.split("=", 1)[1] for a in args if a.startswith("--query-gpu=")), None)
    without_cap = RECORDED_QUERY.replace(",compute_cap", "")
    if query not in (RECORDED_QUERY, without_cap) or FORMAT not in args:
        return "", "fake nvidia-smi: answers are recorded for --query-gpu=%s %s, not %r\n" % (RECORDED_QUERY, FORMAT, args), 99
    if case.get("retry_without_compute_cap") and query == without_cap:
        return case["fallback_stdout"], "", 0
    return case["stdout"], case["stderr"], case["exit_code"]


def main(args):
    name = os.environ.get("MODEL_ADVISOR_FAKE_SMI_CASE")
    cases = load_cases()
    if name not in cases:
        sys.stderr.write("fake nvidia-smi: MODEL_ADVISOR_FAKE_SMI_CASE=%r is not one of %s\n" % (name, sorted(cases)))
        return 99
    if name == "hang":
        time.sleep(HANG_SECONDS)
        return 0
    out, err, code = answer(cases[name], args)
    sys.stdout.write(out)
    sys.stderr.write(err)
    return code


def install(directory, case=None):
    """Write DIR/nvidia-smi, which runs this file with this Python; returns DIR."""
    os.makedirs(directory, exist_ok=True)
    target = os.path.join(directory, "nvidia-smi")
    default = ': "${MODEL_ADVISOR_FAKE_SMI_CASE:=%s}"\nexport MODEL_ADVISOR_FAKE_SMI_CASE\n' % case if case else ""
    # `exec` keeps one process, so killing nvidia-smi kills the fake itself; -S skips
    # site-packages, which the fake does not need, to start faster.
    with open(target, "w") as f:
        f.write('#!/bin/sh\n%sexec "%s" -S "%s" "$@"\n' % (default, sys.executable, os.path.abspath(__file__)))
    os.chmod(target, os.stat(target).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return directory


if __name__ == "__main__":
    if sys.argv[1:2] == ["--install"]:
        if len(sys.argv) not in (3, 5) or (len(sys.argv) == 5 and sys.argv[3] != "--case"):
            sys.exit("usage: python tests/fake_nvidia_smi.py --install DIR [--case NAME]")
        print(install(sys.argv[2], sys.argv[4] if len(sys.argv) == 5 else None))
    else:
        sys.exit(main(sys.argv[1:]))
