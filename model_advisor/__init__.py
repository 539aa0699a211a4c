"""jupyterlab-model-advisor: which language model fits this runtime's GPU, and the cells to fine-tune it.

    import model_advisor
    model_advisor.show()                      # the advisor in this cell's output (a widget)
    model_advisor.check("Qwen/Qwen2.5-7B-Instruct", method="qlora", seq_len=1024)
    model_advisor.cells(...), model_advisor.notebook(..., path)
    model_advisor.measure("Qwen/Qwen2.5-7B-Instruct", "t4", "qlora", seq_len=1024)  # traced, not estimated

Kept light on purpose: importing the package imports neither anywidget nor the JavaScript
engine (each loads on first use), and works without JupyterLab (the GPU probe and
`python -m model_advisor` run in plain Python).
"""
try:
    # Written by the build (hatch's version hook); importlib.metadata alone would cost ~100 ms here.
    from model_advisor._version import __version__
except ImportError:  # a source checkout that was never built
    __version__ = "0.0.0+source"


def _jupyter_labextension_paths():
    # Where JupyterLab finds the prebuilt extension shipped inside the package.
    return [{"src": "labextension", "dest": "jupyterlab-model-advisor"}]


def show(language="auto"):
    """Display the advisor in this cell's output (Colab, Notebook 7, JupyterLab, VS Code); returns the widget."""
    from model_advisor.widget import show as _show  # noqa: PLC0415

    return _show(language=language)


def check(model, method="qlora", seq_len=None, gpu=None, quiet=False):
    """Print whether `model` fits this runtime's GPU (or `gpu`), term by term; return the estimate as a dict."""
    from model_advisor.api import check as _check  # noqa: PLC0415

    return _check(model, method=method, seq_len=seq_len, gpu=gpu, quiet=quiet)


def __getattr__(name):
    # `model_advisor.measure(...)`: the tracer's module is itself callable (measure.py), loaded on
    # first use so that `import model_advisor` stays light (torch is imported only by a trace).
    if name == "measure":
        import importlib  # noqa: PLC0415

        return importlib.import_module("model_advisor.measure")
    raise AttributeError(f"module 'model_advisor' has no attribute {name!r}")


def cells(model, method="qlora", gpu=None, **options):
    """The notebook cells for `model`, as one percent-format script (the CLI's `cells`)."""
    from model_advisor.api import cells as _cells  # noqa: PLC0415

    return _cells(model, method=method, gpu=gpu, **options)


def notebook(model, path, method="qlora", gpu=None, **options):
    """Write the cells as a Jupyter notebook at `path` (the CLI's `notebook`); returns the path."""
    from model_advisor.api import notebook as _notebook  # noqa: PLC0415

    return _notebook(model, path, method=method, gpu=gpu, **options)
