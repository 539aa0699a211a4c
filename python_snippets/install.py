# Install the libraries the next cells need, at versions tested together.
# >>> if PACKAGES
# Only what this runtime lacks (or has too old) is listed. Running pip through
# sys.executable installs into this notebook's own Python, like %pip install does.
import subprocess
import sys

packages = __PACKAGES__
subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", *packages])
print("Installed:", ", ".join(packages))
# If one of these libraries was already imported in this session, restart the
# runtime (Colab: Runtime > Restart session) so the new version is the one used.
# <<< PACKAGES
# >>> unless PACKAGES
print("Everything these cells need is already installed, at versions tested together.")
# <<< PACKAGES
