"""The GPU probe outside a kernel: the same file the JupyterLab sidebar sends to the kernel.

`python_snippets/gpu_probe.py` is the one source of truth. Installed, it ships inside the
package as `model_advisor/python_snippets/`; from a source checkout it is read from the
repository's `python_snippets/`.
"""
import os
from importlib import resources

PROBE_FILE = "gpu_probe.py"
# The name the code is compiled under, as the sidebar does: tracebacks then say where it came from.
PROBE_CODE_NAME = "<model-advisor probe>"


def snippet_source(name):
    """The text of python_snippets/`name`, from the installed package or the source checkout."""
    try:
        shipped = resources.files("model_advisor").joinpath("python_snippets").joinpath(name)
        if shipped.is_file():
            return shipped.read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError, NotADirectoryError):
        pass
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(repo, "python_snippets", name), encoding="utf-8") as f:
        return f.read()


def probe_source():
    """The text of gpu_probe.py, from the installed package or the source checkout."""
    return snippet_source(PROBE_FILE)


def gpu_report():
    """This runtime's GPU report as a dict, measured in this process."""
    # Run under a name other than __main__, so the file defines its functions without
    # printing, in a namespace of its own that is dropped afterwards.
    namespace = {"__name__": "model_advisor_gpu_probe"}
    exec(compile(probe_source(), PROBE_CODE_NAME, "exec"), namespace)
    return namespace["gpu_report"]()


def main(argv=None):
    """Print the report as one line of JSON, exactly as the sidebar runs it in a kernel."""
    exec(compile(probe_source(), PROBE_CODE_NAME, "exec"), {"__name__": "__main__"})
    return 0
