#!/usr/bin/env bash
# The app as a user installs it: build the wheel, install it into a fresh virtual environment outside the
# checkout, and check that it runs from there with its own resources — the command line in Chinese and in
# English, a replay of a shipped scenario, a document in the shipped font, and the window smoke tests
# against that install (issue "Ship it", docs/install.md).
#   bash scripts/check_install.sh            # uses a temporary folder, removed afterwards
#   KEEP=1 bash scripts/check_install.sh     # keeps it and prints where
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON=${PYTHON:-python3}
WORK="$(mktemp -d /tmp/counter_app_install.XXXXXX)"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT
export QT_QPA_PLATFORM=offscreen COUNTER_APP_DATA_DIR="$WORK/data"
unset COUNTER_APP_RESOURCES COUNTER_APP_DB

echo "== build the wheel"
"$PYTHON" -m pip wheel -q --no-deps -w "$WORK/dist" "$REPO" 2>&1 | grep -v -e "^\s*$" -e "corresp" || true
WHEEL="$(ls "$WORK"/dist/counter_app-*.whl)"
unzip -l "$WHEEL" > "$WORK/wheel.txt"
grep -q "counter_app/resources/translations/zh_CN/LC_MESSAGES/counter_app.po" "$WORK/wheel.txt"
grep -q "counter_app/resources/fonts/wqy-microhei.ttc" "$WORK/wheel.txt"

echo "== install it into a fresh environment at $WORK/venv"
"$PYTHON" -m venv "$WORK/venv"
V="$WORK/venv/bin"
"$V/python" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
"$V/python" -m pip install -q "${WHEEL}[test]" 2>&1 | { grep -v "^WARNING: Location" || true; }
cd "$WORK"  # nothing of the checkout on the path from here on

"$V/python" - <<'PY'
import counter_app, counter_app.paths as p
from pathlib import Path
where = Path(counter_app.__file__).resolve().parent
assert "site-packages" in where.parts, where
assert p.RESOURCES_DIR.resolve() == where / "resources", p.RESOURCES_DIR
for folder in (p.translations_dir(), p.scenarios_dir(), p.sounds_dir(), p.fonts_dir(), p.setup_dir()):
    assert folder.is_dir() and any(folder.iterdir()), folder
print("installed at", where)
PY

echo "== the command line speaks Chinese and English"
"$V/counter-app" --lang en --help > "$WORK/help-en.txt"
grep -q "Queueing and service timing" "$WORK/help-en.txt"
"$V/counter-app" --lang zh_CN --help > "$WORK/help-zh.txt"
grep -q "营业厅" "$WORK/help-zh.txt"

echo "== a replay of the shipped scenario"
"$V/counter-app" --lang zh_CN replay case-study --out "$WORK/replay"
test -s "$WORK/replay/summary.json"

echo "== a document in the shipped font"
"$V/python" - <<'PY'
from pathlib import Path
import counter_app.paths as p
from counter_app.workflows.paperwork.render import fonts, samples
from counter_app.workflows.paperwork.render.acceptance import render_acceptance_form
font = fonts.document_font()
assert font.embedded and Path(font.source).resolve().is_relative_to(p.fonts_dir().resolve()), font
pdf = render_acceptance_form(samples.acceptance_form("zh_CN"), language="zh_CN")
assert pdf.startswith(b"%PDF") and len(pdf) > 5000
Path("form.pdf").write_bytes(pdf)
print("rendered", len(pdf), "bytes with", font.source)
PY
if command -v pdffonts >/dev/null 2>&1; then pdffonts form.pdf > fonts.txt; grep -qi "wqy\|microhei" fonts.txt; fi

echo "== the window smoke tests against the install"
COUNTER_APP_INSTALLED=1 "$V/python" -m pytest -q -p no:cacheprovider --rootdir "$REPO" -c "$REPO/pyproject.toml" \
  "$REPO/tests/ui/test_launcher.py" "$REPO/tests/ui/display/test_display.py" "$REPO/tests/ui/kiosk/test_kiosk.py" \
  "$REPO/tests/installed"
echo "The installed app works; it is in $WORK (removed unless KEEP=1)."
