#!/usr/bin/env bash
# Installs datasets 2.x into a virtual environment of its own (the project's .venv has
# datasets 5.x; training code that still pins 2.x, as pie-datasets does, must read the
# build's card too), unless it is already there, and prints the path of its `python` on
# standard output (progress goes to standard error). tests/test_hf_datasets2.py loads
# every config of a build with it, offline:
#
#   export NEWSCORPUS_DATASETS2_PYTHON="$(bash .ci/install-datasets2.sh)"
#   .venv/bin/python -m pytest tests/test_hf_datasets2.py
#
# Where: $NEWSCORPUS_DATASETS2_VENV, default ~/.cache/newscorpus/datasets2-venv.
# Python: $PYTHON, default python3.
set -euo pipefail

VENV="${NEWSCORPUS_DATASETS2_VENV:-$HOME/.cache/newscorpus/datasets2-venv}"
PYTHON="${PYTHON:-python3}"
# datasets 2.19 to 2.21; huggingface_hub 1.x and pyarrow 20+ came after datasets 2.x
SPECS=("datasets>=2.19,<3" "huggingface-hub>=0.23,<1" "pyarrow>=15,<20")
BIN="$VENV/bin/python"

installed() {
  [ -x "$BIN" ] && "$BIN" - <<'EOF' >/dev/null 2>&1
import importlib.metadata, sys
import datasets  # imports, not only installed
v = tuple(int(x) for x in importlib.metadata.version("datasets").split(".")[:2])
sys.exit(0 if (2, 19) <= v < (3, 0) else 1)
EOF
}

if ! installed; then
  echo "installing ${SPECS[*]} into $VENV ..." >&2
  if [ ! -x "$BIN" ]; then
    mkdir -p "$(dirname "$VENV")"
    "$PYTHON" -m venv "$VENV"
  fi
  "$BIN" -m pip install --quiet --disable-pip-version-check "${SPECS[@]}" >&2
  if ! installed; then
    echo "error: ${SPECS[*]} did not install into $VENV" >&2
    exit 1
  fi
  echo "installed $("$BIN" -c 'import datasets; print("datasets", datasets.__version__)')" >&2
fi
echo "$BIN"
