"""Run by scripts/check_install.sh against the app installed from its wheel (COUNTER_APP_INSTALLED=1): what a
checkout finds beside the package, an install finds inside it."""

import os
from pathlib import Path

import pytest

import counter_app
from counter_app import i18n, paths

pytestmark = pytest.mark.skipif(os.environ.get("COUNTER_APP_INSTALLED") != "1",
                                reason="checks an installed wheel: scripts/check_install.sh")


def test_the_app_runs_from_its_install_not_from_a_checkout():
    package = Path(counter_app.__file__).resolve().parent
    assert "site-packages" in package.parts
    assert paths.RESOURCES_DIR.resolve() == package / "resources"


def test_the_installed_catalogue_translates():
    i18n.set_language("zh_CN")
    try:
        assert i18n._("Staff login") != "Staff login"
    finally:
        i18n.set_language("en")


def test_the_shipped_scenarios_sounds_and_demo_hall_are_there():
    assert {p.stem for p in paths.scenarios_dir().glob("*.json")} >= {"case-study", "vip-counter"}
    assert (paths.sounds_dir() / "chime.wav").stat().st_size > 1000
    assert (paths.setup_dir() / "demo-hall.json").is_file()
