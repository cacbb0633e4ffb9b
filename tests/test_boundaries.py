"""The architecture's promises, checked: the core never imports a platform SDK or the scheduler, and no
modules import each other (however indirectly, and wherever the import is written)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests import import_graph

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_IN_CORE = ("slack_bolt", "slack_sdk", "botbuilder", "botframework", "apscheduler", "aiohttp", "adapters")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", ["bot", "store"])
def test_the_core_and_store_import_no_platform_sdk_scheduler_or_adapter(package: str) -> None:
    offenders = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in (ROOT / package).rglob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] in FORBIDDEN_IN_CORE
    }
    assert offenders == set()


# Adapters never read commands ----------------------------------------------------------------------------------
# A surface turns a payload into a request and a reply into its markup; what a command means is the core's. An
# adapter that imports the grammar, or the registry of handlers, is re-parsing commands (issue 14).

GRAMMAR = "bot.grammar"  # bot.grammar and its parts: bot.grammar_admin, bot.grammar_lists, bot.grammar_words
CORE_ONLY_NAMES = {"REGISTRY", "parse", "command_name"}


def command_reading(root: Path, package: str = "adapters") -> list[str]:
    """Every place under ``root/package`` that imports the grammar, or the core's registry or parsers by name,
    however written (``import bot.grammar``, ``from bot import grammar_words``, ``from bot.core import REGISTRY``)."""
    found = []
    for path in sorted((root / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
                modules += [alias.name for alias in node.names if node.module.startswith("bot")
                            and alias.name in CORE_ONLY_NAMES]  # fmt: skip
            else:
                continue
            bad = sorted({m for m in modules if m.startswith(GRAMMAR) or m in CORE_ONLY_NAMES})
            found += [f"{path.relative_to(root)}:{node.lineno}: {name}" for name in bad]
    return found


def test_adapters_never_import_the_grammar_or_the_command_registry() -> None:
    assert command_reading(ROOT) == []


@pytest.mark.parametrize(
    "line",
    [
        "from bot.grammar import command_name",
        "import bot.grammar",
        "from bot import grammar",
        "from bot import grammar_admin as words",
        "from bot.core import REGISTRY",
        "from bot.core import Core, REGISTRY",
    ],
)
def test_an_adapter_that_reads_commands_is_found(tmp_path: Path, line: str) -> None:
    _package(tmp_path, {"adapters/__init__.py": "", "adapters/teams/consent.py": f"{line}\n"})
    assert len(command_reading(tmp_path)) >= 1


def test_every_public_module_and_class_has_a_docstring() -> None:
    missing = []
    for package in ("bot", "store", "adapters", "scheduler"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text())
            if not ast.get_docstring(tree) and path.name != "__init__.py":
                missing.append(str(path.relative_to(ROOT)))
            for node in tree.body:
                if isinstance(node, ast.ClassDef) and not node.name.startswith("_") and not ast.get_docstring(node):
                    missing.append(f"{path.relative_to(ROOT)}:{node.name}")
    assert missing == []


# No import cycles -------------------------------------------------------------------------------------

PACKAGES = ("bot", "store", "adapters", "scheduler")
# Cycles allowed on purpose, each as the set of its modules, with the reason beside it. None today: a
# cycle is broken by moving what both sides need into a module of its own, not by an import inside a function.
ALLOWED_CYCLES: dict[frozenset[str], str] = {}


def test_no_two_modules_of_the_project_import_each_other_even_through_others() -> None:
    found = import_graph.cycles(import_graph.edges(ROOT, PACKAGES))
    unexpected = [str(cycle) for cycle in found if cycle.modules not in ALLOWED_CYCLES]
    assert unexpected == [], "\n".join(unexpected)


def _package(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_a_cycle_dodged_by_an_import_inside_a_function_is_still_found(tmp_path: Path) -> None:
    _package(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/cli.py": "from app import plans\n\ndef fail() -> None: ...\n",
            "app/plans.py": "def run() -> None:\n    from app.cli import fail\n\n    fail()\n",
        },
    )
    (cycle,) = import_graph.cycles(import_graph.edges(tmp_path, ("app",)))
    assert cycle.modules == {"app.cli", "app.plans"}
    assert [(edge.source, edge.target, edge.deferred) for edge in cycle.loop] == [
        ("app.cli", "app.plans", False),
        ("app.plans", "app.cli", True),
    ]


def test_relative_imports_and_type_checking_imports_count_and_longer_loops_are_found(tmp_path: Path) -> None:
    _package(
        tmp_path,
        {
            "core/__init__.py": "",
            "core/a.py": "from . import b\n",
            "core/b.py": "from .c import thing\n",
            "core/c.py": "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from core.a import x\nthing = 1\n",
            "core/d.py": "import core.a\n",
        },
    )
    (cycle,) = import_graph.cycles(import_graph.edges(tmp_path, ("core",)))
    assert cycle.modules == {"core.a", "core.b", "core.c"}  # d imports a, but nothing imports d
    assert [edge.target for edge in cycle.loop] == ["core.b", "core.c", "core.a"]


def test_a_package_that_registers_its_own_modules_is_not_a_cycle(tmp_path: Path) -> None:
    _package(
        tmp_path,
        {
            "cli/__init__.py": "from cli import db, people\n\napp = object()\n",
            "cli/exits.py": "def fail() -> None: ...\n",
            "cli/db.py": "from cli.exits import fail\n",
            "cli/people.py": "from cli.exits import fail\nfrom cli import db\n",
        },
    )
    assert import_graph.cycles(import_graph.edges(tmp_path, ("cli",))) == []
    # A module that imports from the package itself (what __init__ defines) is in a cycle with it.
    _package(tmp_path, {"cli/exits.py": "def fail() -> None:\n    from cli import app\n"})
    (cycle,) = import_graph.cycles(import_graph.edges(tmp_path, ("cli",)))
    assert cycle.modules == {"cli", "cli.db", "cli.exits", "cli.people"}


# Small modules ----------------------------------------------------------------------------------------

MAX_LINES = 300  # bot/ and store/: a module longer than this holds more than one thing; split it by subject


@pytest.mark.parametrize("package", ["bot", "store"])
def test_every_module_of_the_core_and_the_store_is_short_enough_to_read_at_once(package: str) -> None:
    long = {
        f"{path.relative_to(ROOT)}: {lines} lines"
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == set()
