"""The wheel carries the app's resources: `resources/` (the source of translations, scenarios, setups,
sounds and fonts) is copied into the package as `counter_app/resources` when the wheel is built, where
counter_app.paths finds it. Everything else about the build is in pyproject.toml."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads resources/ where it is
        target = Path(self.build_lib) / "counter_app" / "resources"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(HERE / "resources", target, ignore=shutil.ignore_patterns("*.po~", "__pycache__"))


setup(cmdclass={"build_py": BuildWithResources})
