#!/usr/bin/env bash
# Starts the JupyterLab that the Galata tests drive, with a fake nvidia-smi on PATH that
# replays ../shared/fixtures/nvidia-smi.json (case from MODEL_ADVISOR_FAKE_SMI_CASE).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
bin=$(mktemp -d -t model-advisor-smi-XXXX)
"$repo/.venv/bin/python" "$repo/tests/fake_nvidia_smi.py" --install "$bin"
export PATH="$bin:$repo/.venv/bin:$PATH"
# The bash kernel lives outside the venv's own kernels (Makefile: .stamp-test-kernel), so only
# this test server offers it; `make lab` shows a user Python alone.
export JUPYTER_PATH="$repo/.venv/test-kernels/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
export MODEL_ADVISOR_FAKE_SMI_CASE="${MODEL_ADVISOR_FAKE_SMI_CASE:-colab-t4}"
cd "$here"
exec "$repo/.venv/bin/jupyter" lab --config "$here/jupyter_server_test_config.py"
