#!/usr/bin/env bash
# A self-contained folder that starts without Python installed (PyInstaller, docs/install.md):
#   bash scripts/build_frozen.sh              # -> dist/frozen/counter-app/counter-app[.exe]
#   bash scripts/build_frozen.sh --check      # ... and start it offscreen once: the display opens and closes,
#                                             #     and a shipped scenario replays
# Build on the system it is for: a Windows folder on Windows, a Linux one on Linux.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
[ -x "$PY" ] || PY=.venv/Scripts/python.exe
"$PY" -m pip install -q "pyinstaller>=6.10"
rm -rf dist/frozen build/frozen
"$PY" -m PyInstaller --noconfirm --log-level ERROR --distpath dist/frozen --workpath build/frozen \
  packaging/counter_app.spec
APP=dist/frozen/counter-app/counter-app
echo "built $(du -sh dist/frozen/counter-app | cut -f1) in dist/frozen/counter-app"

if [ "${1:-}" = "--check" ]; then
  WORK="$(mktemp -d /tmp/counter_app_frozen.XXXXXX)"
  trap 'rm -rf "$WORK"' EXIT
  cd "$WORK"  # nowhere near the checkout: the folder must hold everything
  export QT_QPA_PLATFORM=offscreen COUNTER_APP_DATA_DIR="$WORK/data" PYTHONPATH=
  unset COUNTER_APP_RESOURCES
  OLDPATH="$PATH"
  export PATH=/usr/bin:/bin  # no virtual environment's Python on the way
  "$OLDPWD/$APP" --lang zh_CN --help > "$WORK/help.txt"
  grep -q "营业厅" "$WORK/help.txt"
  out=$(COUNTER_APP_QUIT_AFTER_MS=2000 timeout 120 "$OLDPWD/$APP" --demo --role display --windowed 2>"$WORK/stderr")
  grep -q "shown: DisplayWindow" <<<"$out" || { cat "$WORK/stderr"; echo "the display did not open"; exit 1; }
  if grep -q "Traceback" "$WORK/stderr"; then cat "$WORK/stderr"; exit 1; fi
  "$OLDPWD/$APP" --lang en replay case-study --out "$WORK/replay" > "$WORK/replay.txt"
  grep -q "Replayed" "$WORK/replay.txt"
  export PATH="$OLDPATH"
  echo "the frozen app opens the display, closes it, and replays a shipped scenario"
fi
