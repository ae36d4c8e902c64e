#!/usr/bin/env bash
# Set up counter_app on a fresh machine: the system libraries Qt and the PDFs need (Debian/Ubuntu,
# when run as root or with sudo), then a virtual environment in .venv with the app installed.
#   bash scripts/bootstrap.sh          # the app
#   bash scripts/bootstrap.sh --test   # the app and its test tools
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
[ "${1:-}" = "--test" ] && extras="[test]"

APT_PACKAGES=(
  # what Qt loads offscreen and on a desktop (the xcb platform plugin), beside the PySide6 wheels
  libglib2.0-0 libgl1 libegl1 libfontconfig1 libxkbcommon0 libdbus-1-3
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libpulse0
  # Chinese in windows and documents
  fonts-wqy-microhei
  # the rarer CJK characters (Extension A and B, 𠀋) the shipped font lacks: drawn from these as a fallback
  fonts-hanazono
  # looking at PDFs and real windows: pdftoppm, Xvfb
  poppler-utils poppler-data xvfb xauth
)

if command -v apt-get >/dev/null 2>&1; then
  missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    echo "Installing system packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install -q -e ".${extras}"
echo "counter_app is installed in .venv"
