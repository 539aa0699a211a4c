"""The GPU probe outside a kernel: `python -m model_advisor probe`, the file itself, and its parts."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import FAKE_SMI_CASE_ENV, PROBE_FILE, REPO, path_without_nvidia_smi


def probe_env(fake_dir=None, case=None, **extra):
    env = {k: v for k, v in os.environ.items()
           if k not in (FAKE_SMI_CASE_ENV, "COLAB_RELEASE_TAG", "COLAB_GPU", "KAGGLE_KERNEL_RUN_TYPE", "CUDA_VISIBLE_DEVICES")}
    env["PATH"] = path_without_nvidia_smi(env.get("PATH", ""))
    if fake_dir:
        env["PATH"] = fake_dir + os.pathsep + env["PATH"]
    if case:
        env[FAKE_SMI_CASE_ENV] = case
    env.update(extra)
    return env


def run(args, env, cwd=REPO):
    done = subprocess.run([sys.executable, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done


def only_line(stdout):
    lines = stdout.splitlines()
    assert len(lines) == 1, stdout
    return json.loads(lines[0])


def test_python_m_model_advisor_probe_prints_the_report(fake_smi_path, assert_valid_report):
    done = run(["-m", "model_advisor", "probe"], probe_env(fake_smi_path(), "rtx-4090"))
    report = assert_valid_report(only_line(done.stdout))
    assert [g["name"] for g in report["gpus"]] == ["NVIDIA GeForce RTX 4090"]
    assert done.stderr == ""


def test_the_probe_file_runs_as_a_script(fake_smi_path, assert_valid_report):
    done = run([PROBE_FILE], probe_env(fake_smi_path(), "colab-l4", COLAB_RELEASE_TAG="release-colab"))
    report = assert_valid_report(only_line(done.stdout))
    assert (report["platform"], report["gpus"][0]["compute_capability"]) == ("colab", "8.9")


def test_a_case_baked_into_the_fake_answers_without_the_variable(fake_smi_path):
    # What the Galata test does: a folder on PATH that answers as a Colab T4.
    done = run(["-m", "model_advisor", "probe"], probe_env(fake_smi_path("colab-t4")))
    assert only_line(done.stdout)["gpus"][0]["name"] == "Tesla T4"


def test_the_fake_installs_from_the_command_line(tmp_path):
    folder = str(tmp_path / "bin")
    run([os.path.join(REPO, "tests", "fake_nvidia_smi.py"), "--install", folder, "--case", "kaggle-2xt4"], os.environ)
    done = subprocess.run(["nvidia-smi", "--query-gpu=index,name,memory.total,memory.used,memory.free,compute_cap,driver_version",
                           "--format=csv,noheader,nounits"], env=probe_env(folder), capture_output=True, text=True, timeout=60)
    assert done.stdout.count("Tesla T4") == 2 and done.returncode == 0


def test_the_fake_refuses_a_query_it_has_no_recording_for(fake_smi_path):
    done = subprocess.run(["nvidia-smi", "--query-gpu=name,memory.total", "--format=csv"], env=probe_env(fake_smi_path(), "colab-t4"),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 99 and "answers are recorded for" in done.stderr


@pytest.mark.parametrize("visible, names", [
    ("1", [1]),
    ("1,0", [1, 0]),
    ("", []),
    ("-1", []),
    ("GPU-8f6b9c1e-0000-0000-0000-000000000000", [0, 1]),
])
def test_cuda_visible_devices_hides_gpus_as_torch_would(fake_smi_path, visible, names):
    done = run(["-m", "model_advisor", "probe"], probe_env(fake_smi_path(), "kaggle-2xt4", CUDA_VISIBLE_DEVICES=visible))
    report = only_line(done.stdout)
    assert [g["index"] for g in report["gpus"]] == names
    assert report["backend"] == ("cuda" if names else "cpu")
    assert bool(report["errors"]) == visible.startswith("GPU-")  # a UUID it cannot match is said


def test_the_package_imports_without_jupyterlab_or_anywidget():
    # A None entry in sys.modules makes `import name` fail, as if it were not installed.
    code = ("import sys; sys.modules['jupyterlab'] = sys.modules['anywidget'] = None; "
            "import model_advisor, model_advisor.probe; print(model_advisor._jupyter_labextension_paths())")
    done = run(["-c", code], os.environ)
    assert done.stdout.strip() == "[{'src': 'labextension', 'dest': 'jupyterlab-model-advisor'}]"


def test_an_installed_package_reads_the_probe_it_ships(tmp_path, fake_smi_path):
    # The wheel's layout: model_advisor/ with python_snippets/ inside it, no repository around it.
    package = tmp_path / "site" / "model_advisor"
    shutil.copytree(os.path.join(REPO, "model_advisor"), package, ignore=shutil.ignore_patterns("__pycache__", "labextension"))
    (package / "python_snippets").mkdir()
    shutil.copy(PROBE_FILE, package / "python_snippets" / "gpu_probe.py")
    env = probe_env(fake_smi_path(), "t4-busy", PYTHONPATH=str(tmp_path / "site"))
    done = run(["-m", "model_advisor", "probe"], env, cwd=str(tmp_path))
    assert only_line(done.stdout)["gpus"][0]["memory_free_mib"] == 4611
    code = "import model_advisor.probe as p; print(p.gpu_report()['gpus'][0]['memory_used_mib'])"
    assert run(["-c", code], env, cwd=str(tmp_path)).stdout.strip() == "10484"


def test_usage_is_printed_for_an_unknown_command():
    done = subprocess.run([sys.executable, "-m", "model_advisor", "fit"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "probe" in done.stderr


# ---- the parts of the probe that read the machine, on files laid out like /proc and /sys

MEMINFO = "MemTotal:       32873472 kB\nMemFree:         1000000 kB\nMemAvailable:   30000000 kB\n"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def read_ram(probe_functions, tmp_path, self_cgroup="0::/\n", errors=None):
    """read_ram on tmp_path/meminfo and the cgroup tree under tmp_path/cg."""
    write(tmp_path / "self-cgroup", self_cgroup)
    return probe_functions["read_ram"]([] if errors is None else errors, str(tmp_path / "meminfo"),
                                       str(tmp_path / "cg"), str(tmp_path / "self-cgroup"))


def test_ram_outside_a_container_is_what_meminfo_says(tmp_path, probe_functions):
    write(tmp_path / "meminfo", MEMINFO)
    errors = []
    assert read_ram(probe_functions, tmp_path, errors=errors) == (32103, 29296)
    assert errors == []


def test_a_container_limit_wins_over_the_hosts_ram_cgroup_v2(tmp_path, probe_functions):
    # Kaggle-like: the host has 32 GiB, the container may use 16 GiB and holds 4 GiB, 1 GiB of it droppable cache.
    write(tmp_path / "meminfo", MEMINFO)
    write(tmp_path / "cg" / "memory.max", "%d\n" % (16 << 30))
    write(tmp_path / "cg" / "memory.current", "%d\n" % (4 << 30))
    write(tmp_path / "cg" / "memory.stat", "anon 3221225472\ninactive_file %d\nactive_file 0\n" % (1 << 30))
    assert read_ram(probe_functions, tmp_path) == (16384, 13312)


def test_a_limit_on_a_parent_cgroup_binds_a_jupyterhub_user(tmp_path, probe_functions):
    # A JupyterHub host (no cgroup namespace): the user's slice may use 8 GiB of the host's 32.
    write(tmp_path / "meminfo", MEMINFO)
    write(tmp_path / "cg" / "memory.max", "max\n")
    slice_ = tmp_path / "cg" / "user.slice" / "user-1000.slice"
    write(slice_ / "memory.max", "%d\n" % (8 << 30))
    write(slice_ / "jupyter-ana.scope" / "memory.max", "max\n")
    write(slice_ / "jupyter-ana.scope" / "memory.current", "%d\n" % (3 << 30))
    write(slice_ / "jupyter-ana.scope" / "memory.stat", "inactive_file 0\n")
    own = "0::/user.slice/user-1000.slice/jupyter-ana.scope\n"
    assert read_ram(probe_functions, tmp_path, own) == (8192, 5120)


def test_a_container_limit_wins_over_the_hosts_ram_cgroup_v1(tmp_path, probe_functions):
    write(tmp_path / "meminfo", MEMINFO)
    write(tmp_path / "cg" / "memory" / "memory.limit_in_bytes", "9223372036854771712\n")
    box = tmp_path / "cg" / "memory" / "docker" / "0f3c"
    write(box / "memory.limit_in_bytes", "%d\n" % (13 << 30))
    write(box / "memory.usage_in_bytes", "%d\n" % (2 << 30))
    write(box / "memory.stat", "cache 0\ntotal_inactive_file 0\n")
    assert read_ram(probe_functions, tmp_path, "5:cpuset:/\n4:memory:/docker/0f3c\n0::/\n") == (13312, 11264)


def test_an_unlimited_cgroup_leaves_the_hosts_ram(tmp_path, probe_functions):
    write(tmp_path / "meminfo", MEMINFO)
    write(tmp_path / "cg" / "memory.max", "max\n")
    write(tmp_path / "cg" / "memory" / "memory.limit_in_bytes", "9223372036854771712\n")
    assert read_ram(probe_functions, tmp_path, "4:memory:/docker/0f3c\n0::/\n") == (32103, 29296)


@pytest.mark.parametrize("environ, cache", [
    ({"HF_HUB_CACHE": "/data/hub", "HF_HOME": "/data/hf"}, "/data/hub"),
    ({"HF_HOME": "/data/hf"}, "/data/hf/hub"),
    ({"XDG_CACHE_HOME": "/xdg"}, "/xdg/huggingface/hub"),
    ({}, os.path.join(os.path.expanduser("~"), ".cache", "huggingface", "hub")),
])
def test_the_model_cache_is_where_huggingface_hub_puts_it(probe_functions, environ, cache):
    assert probe_functions["model_cache_dir"](environ) == cache


def test_disk_is_measured_at_the_nearest_folder_that_exists(tmp_path, probe_functions):
    errors = []
    free, path = probe_functions["read_disk"](errors, {"HF_HOME": str(tmp_path / "not" / "yet")})
    assert path == str(tmp_path)
    assert abs(free - shutil.disk_usage(str(tmp_path)).free // (1 << 20)) < 256  # other writers may move it a little
    assert errors == []


def test_a_torch_the_user_already_imported_is_consulted_not_trusted_over_nvidia_smi(fake_smi_path):
    # torch here is a CPU build: neither ROCm (torch.version.hip) nor Apple's MPS. One process
    # (torch takes seconds to import), first without nvidia-smi, then with the fake on PATH.
    code = ("import os, torch, model_advisor.probe as p\n"
            "for path in (os.environ['PATH'], %r + os.pathsep + os.environ['PATH']):\n"
            "    os.environ['PATH'] = path\n"
            "    r = p.gpu_report()\n"
            "    print(r['backend'], [g['name'] for g in r['gpus']], r['packages']['torch'] == torch.__version__)\n"
            % fake_smi_path("colab-t4"))
    assert run(["-c", code], probe_env()).stdout.splitlines() == ["cpu [] True", "cuda ['Tesla T4'] True"]


def test_the_probe_imports_only_the_standard_library():
    # It runs in any user's kernel, where nothing but the standard library can be assumed,
    # and must not pay for (or trigger) importing torch.
    import ast

    with open(PROBE_FILE) as f:
        tree = ast.parse(f.read())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported <= set(sys.stdlib_module_names)
    assert imported == {"importlib", "json", "os", "platform", "shutil", "subprocess", "sys", "time", "warnings"}
