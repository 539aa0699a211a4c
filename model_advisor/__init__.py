"""jupyterlab-model-advisor: which language model fits this runtime's GPU, and the cells to fine-tune it.

    import model_advisor
    model_advisor.show()                      # the advisor in this cell's output (a widget)
    model_advisor.check("Qwen/Qwen2.5-7B-Instruct", method="qlora", seq_len=1024)
    model_advisor.cells(...), model_advisor.notebook(..., path)

Kept light on purpose: importing the package imports neither anywidget nor the JavaScript
engine (each loads on first use), and works without JupyterLab (the GPU probe and
`python -m model_advisor` run in plain Python).
"""
from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("jupyterlab_model_advisor")
except _metadata.PackageNotFoundError:  # running from a source checkout that is not installed
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


def cells(model, method="qlora", gpu=None, **options):
    """The notebook cells for `model`, as one percent-format script (the CLI's `cells`)."""
    from model_advisor.api import cells as _cells  # noqa: PLC0415

    return _cells(model, method=method, gpu=gpu, **options)


def notebook(model, path, method="qlora", gpu=None, **options):
    """Write the cells as a Jupyter notebook at `path` (the CLI's `notebook`); returns the path."""
    from model_advisor.api import notebook as _notebook  # noqa: PLC0415

    return _notebook(model, path, method=method, gpu=gpu, **options)
