"""The wheel `make dist` builds, installed as a user installs it: a fresh venv holding only
jupyterlab, ipykernel and what the wheel itself requires (anywidget, quickjs) — no node on PATH,
no development packages. One venv serves the module; pip's cache is warm, so the install is
mostly unpacking.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
import zipfile

import pytest

from conftest import REPO

DIST = os.path.join(REPO, "dist")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def the_wheel():
    wheels = sorted(glob.glob(os.path.join(DIST, "jupyterlab_model_advisor-*.whl")), key=os.path.getmtime)
    if not wheels:
        pytest.fail("no wheel in dist/: run `make dist` (make test and make pytest do)")
    return wheels[-1]


class FreshVenv:
    def __init__(self, root, wheel, fake_smi_dir):
        self.root = root
        self.bin = os.path.join(root, "bin")
        # Only the venv and the fake nvidia-smi: no node, no system tools.
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON", "JUPYTER"))}
        self.env["PATH"] = os.pathsep.join([self.bin, fake_smi_dir])
        self.env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        self.env["MODEL_ADVISOR_FAKE_SMI_CASE"] = "colab-t4"
        base_python = getattr(sys, "_base_executable", sys.executable)
        started = time.perf_counter()
        subprocess.run([base_python, "-m", "venv", root], check=True)
        self.run("python", "-m", "pip", "install", "-q", "-c", os.path.join(REPO, "constraints.txt"),
                 wheel, "jupyterlab", "ipykernel", timeout=900)
        self.install_s = time.perf_counter() - started

    def run(self, program, *args, timeout=300, input=None):
        proc = subprocess.run([os.path.join(self.bin, program), *args], env=self.env, cwd=self.root,
                              capture_output=True, text=True, timeout=timeout, input=input)
        assert proc.returncode == 0, f"{program} {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
        return proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def fresh(tmp_path_factory, fake_smi_path):
    venv = FreshVenv(str(tmp_path_factory.mktemp("fresh") / "venv"), the_wheel(), fake_smi_path())
    print(f"\nfresh venv with the wheel, jupyterlab, ipykernel: {venv.install_s:.0f} s")
    return venv


def test_the_wheel_carries_production_bundles_only():
    names = zipfile.ZipFile(the_wheel()).namelist()
    assert "model_advisor/static/widget.js" in names and "model_advisor/static/engine.js" in names
    assert any(n.endswith("labextensions/jupyterlab-model-advisor/package.json") for n in names)
    assert not [n for n in names if n.endswith(".map")]
    with zipfile.ZipFile(the_wheel()) as z:
        for name in names:
            if name.endswith(".js"):
                text = z.read(name).decode("utf-8")
                # No source map, linked or inline (css-loader's runtime only names the word in a string).
                assert not re.search(r"^\s*//[#@] sourceMappingURL=", text, re.M), name
                # Minified: no development-mode module wrappers, and few lines for the size.
                assert "/***/ " not in text, name
                if len(text) > 50_000:
                    assert text.count("\n") < len(text) / 5_000, name


def test_no_node_and_no_dev_packages(fresh):
    assert shutil.which("node", path=fresh.env["PATH"]) is None
    installed = fresh.run("python", "-m", "pip", "list", "--format=freeze").lower()
    for dev in ("pytest", "hypothesis", "jupyter-builder", "hatchling", "torch", "transformers"):
        assert f"\n{dev}==" not in "\n" + installed, dev


def test_the_labextension_is_listed_enabled(fresh):
    listed = fresh.run("jupyter", "labextension", "list")
    line = next(l for l in listed.splitlines() if "jupyterlab-model-advisor" in l)
    assert "enabled" in line and "OK" in line, line


def test_a_kernel_runs_show_with_the_runtime_in_the_widget(fresh):
    script = textwrap.dedent("""
        import json
        from jupyter_client.manager import start_new_kernel
        km, kc = start_new_kernel(kernel_name="python3")
        try:
            messages = []
            reply = kc.execute_interactive("import model_advisor\\nw = model_advisor.show()",
                                           output_hook=messages.append, timeout=120)
            print("RESULT " + json.dumps({"status": reply["content"]["status"], "messages": messages}, default=str))
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    """)
    out = fresh.run("python", "-c", script, timeout=300)
    result = json.loads(next(l for l in out.splitlines() if l.startswith("RESULT "))[len("RESULT "):])
    assert result["status"] == "ok", result
    shown = [m for m in result["messages"] if m["msg_type"] == "display_data" and WIDGET_MIME in m["content"]["data"]]
    assert len(shown) == 1
    model_id = shown[0]["content"]["data"][WIDGET_MIME]["model_id"]
    state = next(m["content"]["data"]["state"] for m in result["messages"]
                 if m["msg_type"] == "comm_open" and m["content"]["comm_id"] == model_id)
    assert [g["name"] for g in json.loads(state["report"])["gpus"]] == ["Tesla T4"]
    assert "sourceMappingURL" not in state["_esm"]


def test_check_prints_a_verdict(fresh):
    out = fresh.run("python", "-c", "import model_advisor\n"
                    "d = model_advisor.check('Qwen/Qwen2.5-7B-Instruct', method='qlora', seq_len=1024)\n"
                    "print('VERDICT', d['verdict'], d['gpu'])")
    assert "Qwen/Qwen2.5-7B-Instruct (7,615,616,512 parameters) · qlora · Tesla T4" in out
    assert "→ fits" in out
    assert "VERDICT fits" in out


def test_python_m_model_advisor_probe_prints_a_report(fresh, assert_valid_report):
    out = fresh.run("python", "-m", "model_advisor", "probe")
    report = assert_valid_report(json.loads(out.strip().splitlines()[-1]))
    assert [g["name"] for g in report["gpus"]] == ["Tesla T4"]
