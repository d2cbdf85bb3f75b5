"""The wheel that a deployment installs (README, "Deployment") carries every project app.

An app missing from ``[tool.setuptools.packages.find]`` works in the editable development
install and vanishes from a real one; this builds the wheel as a deployment would, offline
with the installed setuptools, and compares its packages with ``INSTALLED_APPS``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# What a source checkout holds besides the code; none of it belongs in the wheel build.
NOT_SOURCE = (".venv", "var", ".git", "test-artifacts", "build", "*.egg-info", "__pycache__")


def _project_apps() -> set[str]:
    """Top-level packages of the installed apps that live in this repository."""
    names = set()
    for config in apps.get_app_configs():
        top = config.name.split(".")[0]
        if Path(config.path).resolve() == (ROOT / top).resolve():
            names.add(top)
    return names


def test_wheel_contains_every_project_app(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    wheels = tmp_path / "wheels"
    subprocess.run(  # noqa: S603  (fixed arguments, no shell)
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--quiet",
            "--wheel-dir",
            str(wheels),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("reintegra-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        packaged = {name.split("/")[0] for name in archive.namelist() if name.endswith(".py")}
    project_apps = _project_apps()
    assert {"accounts", "cases", "referrals", "plans"} <= project_apps
    assert project_apps - packaged == set()
    assert "reintegra" in packaged
