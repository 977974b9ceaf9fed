#!/usr/bin/env bash
# Installs Label Studio 1.23 into a virtual environment of its own (it pins Django and
# many other packages, so it never shares the project's .venv), unless it is already
# there, and prints the path of its `label-studio` executable on standard output
# (progress goes to standard error). The live tests start a server from it:
#
#   export LABEL_STUDIO_BIN="$(bash .ci/install-label-studio.sh)"
#   .venv/bin/python -m pytest tests/test_labelstudio_live.py
#
# Where: $NEWSCORPUS_LS_VENV, default ~/.cache/newscorpus/label-studio-venv.
# Python: $PYTHON, default python3 (Label Studio 1.23 needs Python >= 3.10).
set -euo pipefail

VENV="${NEWSCORPUS_LS_VENV:-$HOME/.cache/newscorpus/label-studio-venv}"
PYTHON="${PYTHON:-python3}"
SPEC="label-studio==1.23.*"   # 1.23.0 to 1.23.2 exist; pip takes the newest
BIN="$VENV/bin/label-studio"

installed() {
  [ -x "$BIN" ] && "$VENV/bin/python" - <<'EOF' >/dev/null 2>&1
import importlib.metadata, sys
sys.exit(0 if importlib.metadata.version("label-studio").startswith("1.23.") else 1)
EOF
}

if ! installed; then
  echo "installing $SPEC into $VENV (takes a few minutes) ..." >&2
  if [ ! -x "$VENV/bin/python" ]; then
    mkdir -p "$(dirname "$VENV")"
    "$PYTHON" -m venv "$VENV"
  fi
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$SPEC" >&2
  if ! installed; then
    echo "error: $SPEC did not install into $VENV" >&2
    exit 1
  fi
  echo "installed $("$VENV/bin/python" -c 'import importlib.metadata as m; print("label-studio", m.version("label-studio"))')" >&2
fi
echo "$BIN"
