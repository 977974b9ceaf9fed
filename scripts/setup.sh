#!/usr/bin/env bash
# Sets up a fresh clone: a virtual environment in .venv with the package and its test
# tools. With --with-label-studio it also installs Label Studio into a virtual
# environment of its own (it pins Django and many packages, so it never shares the
# project's environment), which the live tests start on 127.0.0.1, and datasets 2.x into
# another (.ci/install-datasets2.sh), with which a test reads the build's card as
# training code that pins datasets 2.x does.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
if [ "${1:-}" = "--with-label-studio" ]; then
  # the browser tests (tests/test_labelstudio_browser.py, tests/test_exports_html.py) drive
  # Debian's Chromium through Playwright (in the test extra; playwright install cannot
  # download browsers here); emoji need a font to be measured and drawn
  if [ ! -x /usr/bin/chromium ] || ! dpkg -s fonts-noto-color-emoji >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update && $SUDO apt-get install -y chromium fonts-noto-color-emoji
  fi
  bash .ci/install-label-studio.sh >/dev/null
  bash .ci/install-datasets2.sh >/dev/null
fi
