# >>> unless PINNED
# Install the libraries the next cells need, at versions tested together.
# <<< PINNED
# >>> if PINNED
# Install the libraries this model's own code was written for, each at the exact
# version its repository states (pip resolved them together for Python 3.12).
# <<< PINNED
# >>> if PACKAGES
# >>> unless PINNED
# Only what this runtime lacks (or has too old) is listed. Running pip through
# sys.executable installs into this notebook's own Python, like %pip install does.
# <<< PINNED
# >>> if PINNED
# Running pip through sys.executable installs into this notebook's own Python,
# like %pip install does. The runtime's own PyTorch is kept.
# <<< PINNED
import subprocess
import sys

packages = __PACKAGES__
subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", *packages])
print("Installed:", ", ".join(packages))
# >>> unless PINNED
# If one of these libraries was already imported in this session, restart the
# runtime (Colab: Runtime > Restart session) so the new version is the one used.
# <<< PINNED
# >>> if PINNED
# These versions replace newer ones this session may already have imported:
# restart the runtime now, before the next cell.
print(__RESTART_NOTE__)
# <<< PINNED
# <<< PACKAGES
# >>> unless PACKAGES
print("Everything these cells need is already installed, at versions tested together.")
# <<< PACKAGES
