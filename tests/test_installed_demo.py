"""The demo from an installed package: a wheel built from the source, installed in a new virtualenv, run elsewhere.

To stay quick and off the network, the wheel is built without build isolation (setuptools and wheel come with
the dev dependencies) and installed with ``--no-deps --no-index`` into a new virtualenv that sees this
environment's installed dependencies through a ``.pth`` file; the project itself comes only from the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "adapters", "store", "scheduler")


def _run(command: list[str], **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, **options)  # type: ignore[call-overload, no-any-return]


def test_the_demo_runs_from_a_wheel_installed_in_a_new_virtualenv_from_any_directory(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    wheels = tmp_path / "wheels"
    built = _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
                  "-w", str(wheels), str(source)])  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("actionbot-*.whl")

    venv = tmp_path / "venv"
    assert _run([sys.executable, "-m", "venv", "--without-pip", str(venv)]).returncode == 0
    python = venv / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    (site / "project-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    installed = _run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)])
    assert installed.returncode == 0, installed.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    settings = ("DATABASE_URL", "SLACK_", "MICROSOFT_", "PYTHONPATH", "ACTIONBOT_")
    environment = {k: v for k, v in os.environ.items() if not k.startswith(settings)}
    where = _run([str(python), "-c", "import bot.sample_plan as s; print(s.__file__)"], cwd=elsewhere, env=environment)
    assert where.stdout.startswith(str(site)), f"the installed copy runs, not the checkout: {where.stdout}"
    demo = _run([str(venv / "bin" / "actionbot"), "demo"], input="overdue\n", cwd=elsewhere, env=environment)
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.splitlines()[0].startswith("You are Alex Morgan (Chief Executive; smt)")
    overdue = demo.stdout.split("> overdue")[1]
    assert "== Overdue actions ==" in overdue and "days overdue" in overdue
    assert (elsewhere / "actionbot-demo.db").exists()
