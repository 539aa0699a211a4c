"""Shared pytest fixtures. Each section belongs to one part of the project; add yours as a new section.

Sections:
  paths           REPO, SHARED_FIXTURES
  GPU report      the schema validator, the probe's source and functions
  fake nvidia-smi fake_smi_path(case): a folder to put first on PATH
  kernels         KernelSession (a real ipykernel driven by jupyter_client) and probe_kernel
"""
import ast
import json
import os
import sys

import pytest

# ---------------------------------------------------------------- paths

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# shared/ lies beside the repository (here /work/shared; in CI a copy beside the fresh clone).
SHARED_FIXTURES = os.path.join(REPO, "..", "shared", "fixtures")

sys.path.insert(0, os.path.join(REPO, "tests"))
import fake_nvidia_smi  # noqa: E402  (tests/ is not a package)

# ---------------------------------------------------------------- GPU report

GPU_REPORT_SCHEMA = os.path.join(REPO, "schema", "gpu-report.schema.json")
PROBE_FILE = os.path.join(REPO, "python_snippets", "gpu_probe.py")


@pytest.fixture(scope="session")
def assert_valid_report():
    """assert_valid_report(report): fails with every schema violation of a GPU report."""
    import jsonschema

    with open(GPU_REPORT_SCHEMA) as f:
        validator = jsonschema.Draft202012Validator(json.load(f))

    def check(report):
        problems = ["%s: %s" % ("/".join(map(str, e.absolute_path)) or "(report)", e.message)
                    for e in validator.iter_errors(report)]
        assert not problems, "report does not match %s:\n%s" % (GPU_REPORT_SCHEMA, "\n".join(problems))
        return report

    return check


@pytest.fixture(scope="session")
def probe_functions():
    """The functions defined in gpu_probe.py (its file run under a name other than __main__)."""
    namespace = {"__name__": "gpu_probe_under_test"}
    with open(PROBE_FILE) as f:
        exec(compile(f.read(), PROBE_FILE, "exec"), namespace)
    return namespace


# ---------------------------------------------------------------- fake nvidia-smi

FAKE_SMI_CASE_ENV = "MODEL_ADVISOR_FAKE_SMI_CASE"


def fake_smi_cases():
    """Every case the fake answers: the recorded fixture cases plus the hand-made ones."""
    return sorted(fake_nvidia_smi.load_cases())


@pytest.fixture(scope="session")
def fake_smi_path(tmp_path_factory):
    """fake_smi_path(case=None) -> a folder holding an executable `nvidia-smi` to put first on PATH.

    The fake answers MODEL_ADVISOR_FAKE_SMI_CASE when it is set, else `case`.
    """
    made = {}

    def folder(case=None):
        if case not in made:
            made[case] = fake_nvidia_smi.install(str(tmp_path_factory.mktemp("fake-smi-%s" % (case or "env"))), case)
        return made[case]

    return folder


def path_without_nvidia_smi(path):
    """PATH with every folder that holds an `nvidia-smi` left out."""
    keep = [d for d in path.split(os.pathsep) if d and not os.path.exists(os.path.join(d, "nvidia-smi"))]
    return os.pathsep.join(keep)


# ---------------------------------------------------------------- kernels


class KernelSession:
    """A real IPython kernel, started by jupyter_client, with helpers that speak its protocol."""

    def __init__(self, env):
        from jupyter_client.manager import KernelManager

        self.manager = KernelManager(kernel_name="python3")
        self.manager.start_kernel(env=env)
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)

    def close(self):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)

    def execute(self, code, silent=False, store_history=True, user_expressions=None, timeout=60):
        """(execute_reply content, the iopub messages this request caused)."""
        messages = []
        reply = self.client.execute_interactive(
            code, silent=silent, store_history=store_history, user_expressions=user_expressions or {},
            output_hook=messages.append, timeout=timeout)
        return reply["content"], messages

    def evaluate(self, expression):
        """The value of a Python literal expression, evaluated in the user's namespace silently."""
        content, _ = self.execute("", silent=True, store_history=False, user_expressions={"value": expression})
        result = content["user_expressions"]["value"]
        assert result["status"] == "ok", result
        return ast.literal_eval(result["data"]["text/plain"])

    def set_env(self, name, value):
        """Set (or with None, remove) an environment variable inside the kernel, adding no name."""
        code = ("__import__('os').environ.pop(%r, None)" % name if value is None
                else "__import__('os').environ[%r] = %r" % (name, value))
        content, _ = self.execute(code, silent=True, store_history=False)
        assert content["status"] == "ok", content

    def history(self):
        """The kernel's input history, as a frontend asks for it."""
        msg_id = self.client.history(hist_access_type="tail", n=1000, output=False, raw=True)
        while True:
            msg = self.client.get_shell_msg(timeout=30)
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg["content"]["history"]


def sidebar_probe_code():
    """What the JupyterLab sidebar sends to the kernel to run the probe."""
    with open(PROBE_FILE) as f:
        source = f.read()
    return 'exec(compile(%r, "<model-advisor probe>", "exec"), {"__name__": "__main__"})' % source


def stdout_text(messages):
    return "".join(m["content"]["text"] for m in messages
                   if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")


def report_from_stdout(messages):
    """The report as the sidebar reads it: the last non-empty stdout line, as JSON."""
    lines = [line for line in stdout_text(messages).splitlines() if line.strip()]
    assert lines, "the probe printed nothing to stdout: %r" % messages
    return json.loads(lines[-1])


@pytest.fixture(scope="module")
def probe_kernel(fake_smi_path, tmp_path_factory):
    """A kernel started with the fake nvidia-smi first on PATH (case chosen by set_env), torch not imported."""
    env = dict(os.environ)
    # Its own IPython profile: the history database is otherwise shared with every other kernel
    # on the machine, whose cells would show up in the history this kernel's tests compare.
    env["IPYTHONDIR"] = str(tmp_path_factory.mktemp("ipython"))
    env["PATH"] = fake_smi_path() + os.pathsep + env.get("PATH", "")
    for name in (FAKE_SMI_CASE_ENV, "COLAB_RELEASE_TAG", "COLAB_GPU", "KAGGLE_KERNEL_RUN_TYPE", "CUDA_VISIBLE_DEVICES"):
        env.pop(name, None)
    kernel = KernelSession(env)
    yield kernel
    kernel.close()


# ---------------------------------------------------------------- generated cells (codegen)


@pytest.fixture(scope="session")
def built_lib():
    """lib/ compiled from the current sources (npm run build:lib: snippets → TypeScript → lib/)."""
    import subprocess

    proc = subprocess.run(["npm", "run", "--silent", "build:lib"], cwd=REPO, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, "npm run build:lib failed:\n" + proc.stdout + proc.stderr
    return os.path.join(REPO, "lib")


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory):
    """tiny_models(variant) -> a folder holding a tiny random model of that variant (tests/tiny_models.py), built once."""
    import tiny_models as builder

    made = {}

    def folder(family):
        if family not in made:
            made[family] = builder.build(family, str(tmp_path_factory.mktemp("tiny-" + family)))
        return made[family]

    return folder


# ---------------------------------------------------------------- execution matrix (issue 8)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "matrix_tail: the long tail of the cell execution matrix (make test runs it; -m 'not matrix_tail' skips it)")
