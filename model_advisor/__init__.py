"""jupyterlab-model-advisor: which language model fits this runtime's GPU, and the cells to fine-tune it.

Kept light on purpose: importing the package must work without JupyterLab or anywidget
(the GPU probe and `python -m model_advisor` run in plain Python).
"""
from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("jupyterlab_model_advisor")
except _metadata.PackageNotFoundError:  # running from a source checkout that is not installed
    __version__ = "0.0.0+source"


def _jupyter_labextension_paths():
    # Where JupyterLab finds the prebuilt extension shipped inside the package.
    return [{"src": "labextension", "dest": "jupyterlab-model-advisor"}]
