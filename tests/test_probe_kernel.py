"""The GPU probe in a real IPython kernel, sent exactly as the JupyterLab sidebar sends it.

One kernel serves the module; each test picks the fake nvidia-smi's answer by setting
MODEL_ADVISOR_FAKE_SMI_CASE inside the kernel (the probe's nvidia-smi inherits it).
"""
import os

import pytest

from conftest import (FAKE_SMI_CASE_ENV, fake_nvidia_smi, fake_smi_cases, path_without_nvidia_smi,
                      report_from_stdout, sidebar_probe_code, stdout_text)

PROBE = sidebar_probe_code()

# What a user should read for each case: (name, total, used, free, capability, driver) per GPU.
T4_COLAB = ("Tesla T4", 15360, 0, 15095, "7.5", "550.54.15")
T4_KAGGLE = ("Tesla T4", 15360, 3, 14927, "7.5", "560.35.03")
GPUS_BY_CASE = {
    "colab-t4": [T4_COLAB],
    "colab-l4": [("NVIDIA L4", 23034, 0, 22700, "8.9", "550.54.15")],
    "colab-a100-40gb": [("NVIDIA A100-SXM4-40GB", 40960, 2, 40503, "8.0", "550.54.15")],
    "t4-busy": [("Tesla T4", 15360, 10484, 4611, "7.5", "550.54.15")],
    "kaggle-2xt4": [T4_KAGGLE, T4_KAGGLE],
    "rtx-3060": [("NVIDIA GeForce RTX 3060", 12288, 734, 11342, "8.6", "545.29.06")],
    "rtx-4090": [("NVIDIA GeForce RTX 4090", 24564, 410, 23734, "8.9", "555.42.02")],
    # Asked again without compute_cap: the card is known, its capability is not.
    "old-driver": [("Tesla V100-SXM2-16GB", 16160, 0, 15780, None, "450.80.02")],
    "mig-na": [("NVIDIA A100-SXM4-40GB", 40960, None, None, "8.0", "550.54.15")],
    # The GPU is still read; the odd line is reported.
    "inforom-warning": [("NVIDIA GeForce RTX 3090", 24576, 1, 24237, "8.6", "535.183.01")],
    "not-supported": [("NVIDIA GeForce GTX 1650", None, None, None, None, "470.82.01")],
    "no-driver": [],
    "garbage": [],
    "hang": [],
}
# The words of the error a user is shown when the probe could not read the GPUs.
ERROR_BY_CASE = {
    "no-driver": "couldn't communicate with the NVIDIA driver",
    "garbage": "Segmentation fault",
    "inforom-warning": "WARNING: infoROM is corrupted",
    "hang": "did not answer within 1 s",
}


def run_probe(kernel, case):
    kernel.set_env(FAKE_SMI_CASE_ENV, case)
    content, messages = kernel.execute(PROBE, silent=True, store_history=False)
    assert content["status"] == "ok", content
    return report_from_stdout(messages), messages


def test_every_case_is_covered():
    assert sorted(GPUS_BY_CASE) == fake_smi_cases()


@pytest.mark.parametrize("case", sorted(GPUS_BY_CASE))
def test_each_recorded_runtime_is_reported(probe_kernel, assert_valid_report, case):
    report, _ = run_probe(probe_kernel, case)
    assert_valid_report(report)
    seen = [(g["name"], g["memory_total_mib"], g["memory_used_mib"], g["memory_free_mib"],
             g["compute_capability"], g["driver_version"]) for g in report["gpus"]]
    assert seen == GPUS_BY_CASE[case]
    assert [g["index"] for g in report["gpus"]] == list(range(len(seen)))
    assert report["backend"] == ("cuda" if seen else "cpu")
    messages = [e["message"] for e in report["errors"] if e["source"] == "nvidia-smi"]
    if case in ERROR_BY_CASE:
        assert len(messages) == 1 and ERROR_BY_CASE[case] in messages[0], report["errors"]
    else:
        assert messages == []


def test_the_rest_of_the_report_describes_this_kernel(probe_kernel, assert_valid_report):
    report, _ = run_probe(probe_kernel, "colab-t4")
    assert report["platform"] == "local"
    assert report["python"] == probe_kernel.evaluate("__import__('platform').python_version()")
    assert report["packages"]["transformers"] == probe_kernel.evaluate(
        "__import__('importlib.metadata').metadata.version('transformers')")
    assert report["packages"]["modelscope"] is None  # not installed here
    assert report["ram_total_mib"] > 0 and 0 < report["ram_available_mib"] <= report["ram_total_mib"]
    assert report["disk_free_mib"] > 0 and os.path.isdir(report["disk_path"])


def test_a_hung_nvidia_smi_is_stopped_and_reported(probe_kernel):
    report, _ = run_probe(probe_kernel, "hang")
    assert report["gpus"] == [] and "was stopped" in report["errors"][0]["message"]
    # The stuck process is gone, not left sleeping beside the user's kernel.
    fake = os.path.abspath(fake_nvidia_smi.__file__).encode()
    still_running = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                if fake in f.read():
                    still_running.append(pid)
        except OSError:
            pass
    assert still_running == []


def test_without_nvidia_smi_the_runtime_is_cpu(probe_kernel, assert_valid_report):
    path = probe_kernel.evaluate("__import__('os').environ['PATH']")
    probe_kernel.set_env("PATH", path_without_nvidia_smi(path))
    try:
        report, _ = run_probe(probe_kernel, "colab-t4")
    finally:
        probe_kernel.set_env("PATH", path)
    assert_valid_report(report)
    assert report["backend"] == "cpu" and report["gpus"] == []
    assert report["errors"] == [{"source": "nvidia-smi", "message": "nvidia-smi is not on PATH (no NVIDIA driver here)"}]


@pytest.mark.parametrize("variable, value, platform", [
    ("COLAB_RELEASE_TAG", "release-colab-20240626-060133-RC00", "colab"),
    ("COLAB_GPU", "1", "colab"),
    ("KAGGLE_KERNEL_RUN_TYPE", "Interactive", "kaggle"),
])
def test_colab_and_kaggle_are_recognised(probe_kernel, variable, value, platform):
    probe_kernel.set_env(variable, value)
    try:
        report, _ = run_probe(probe_kernel, "colab-t4")
    finally:
        probe_kernel.set_env(variable, None)
    assert report["platform"] == platform


def test_the_probe_leaves_no_trace_in_the_notebook(probe_kernel):
    probe_kernel.execute("user_model = 'Qwen/Qwen2.5-7B-Instruct'")  # the user's own work
    count_before, _ = probe_kernel.execute("pass")
    names_before = probe_kernel.evaluate("sorted(dir())")
    history_before = probe_kernel.history()

    report, messages = run_probe(probe_kernel, "colab-t4")

    assert probe_kernel.evaluate("sorted(dir())") == names_before
    assert probe_kernel.history() == history_before
    count_after, _ = probe_kernel.execute("pass")
    # One step for the one visible cell run between them: the probe did not move the counter.
    assert count_after["execution_count"] == count_before["execution_count"] + 1
    # Its only output is one line of JSON on stdout, which the notebook never shows
    # (the sidebar's request is not a cell's).
    kinds = [m["msg_type"] for m in messages if m["msg_type"] != "status"]
    assert set(kinds) <= {"stream"} and "execute_input" not in kinds
    assert stdout_text(messages).count("\n") == 1
    assert stdout_text(messages).strip().startswith("{") and report["schema_version"] == 1
    assert not [m for m in messages if m["msg_type"] == "stream" and m["content"]["name"] == "stderr"]


def test_the_probe_does_not_import_torch(probe_kernel):
    assert probe_kernel.evaluate("'torch' in __import__('sys').modules") is False
    report, _ = run_probe(probe_kernel, "colab-t4")
    assert report["packages"]["torch"] is not None  # installed, so its version is known…
    assert probe_kernel.evaluate("'torch' in __import__('sys').modules") is False  # …and still not imported
