"""What the code imports is what the package declares: nothing arrives by accident
through another package's dependencies, and nothing declared is dead weight."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

from tests.packaging.conftest import REPO

FIRST_PARTY = {"core", "scl_tui"}
NOT_FOR_RUNNING = {"test"}  # extras that only the test suite needs


def test_every_package_the_code_imports_is_declared() -> None:
    declared = _declared()
    providers = importlib.metadata.packages_distributions()
    undeclared = []
    for module, where in sorted(_imported().items()):
        names = {_normalise(name) for name in providers.get(module, [])}
        if not names & declared:
            undeclared.append(f"{module} ({', '.join(sorted(names)) or '?'}) in {where}")
    assert not undeclared, "imported but not declared in pyproject.toml: " + "; ".join(undeclared)


def test_every_declared_dependency_is_imported_by_the_code() -> None:
    providers = importlib.metadata.packages_distributions()
    used = {_normalise(name) for module in _imported() for name in providers.get(module, [])}
    assert not _declared() - used, f"declared but never imported: {sorted(_declared() - used)}"


def _declared() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra, listed in project.get("optional-dependencies", {}).items():
        if extra not in NOT_FOR_RUNNING:
            requirements += listed
    return {
        _normalise(re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0])
        for requirement in requirements
    }


def _imported() -> dict[str, str]:
    """Third-party top-level modules imported anywhere in the code (also inside
    functions: a lazy import is still a dependency), with one file importing each."""
    found: dict[str, str] = {}
    for root in FIRST_PARTY:
        for path in sorted((REPO / root).rglob("*.py")):
            for module in _imports_of(path):
                top = module.split(".")[0]
                if top not in sys.stdlib_module_names and top not in FIRST_PARTY:
                    found.setdefault(top, str(path.relative_to(REPO)))
    return found


def _imports_of(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()
