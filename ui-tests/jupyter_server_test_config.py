"""JupyterLab for the Galata tests: port 8888, no token, a temporary root (see jupyterlab.galata)."""
import getpass
import os

from jupyterlab.galata import configure_jupyter_server

c = get_config()  # noqa: F821 - provided by Jupyter's config loader
configure_jupyter_server(c)
c.ServerApp.ip = "127.0.0.1"
c.ServerApp.port = int(os.environ.get("UI_TEST_PORT", "8888"))
# CI and the development machines run as root.
c.ServerApp.allow_root = os.geteuid() == 0 if hasattr(os, "geteuid") else False
