"""The project's own rules, checked with the tests: lint, format, strict types on every
package, the import-linter contracts (tracker -> adapters -> projections -> domain, api and
web apart), SQL only in adapters, and no reaching into app state."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EDGES = {"litestar", "asyncpg", "nats", "structlog", "psycopg", "eventsourcing", "uvicorn"}
LAYERS = {"tracker", "adapters", "projections", "domain"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def modules(package: str) -> list[Path]:
    found = sorted((ROOT / package).rglob("*.py"))
    assert found, package
    return found


def test_domain_is_pure() -> None:
    forbidden = EDGES | (LAYERS - {"domain"}) | {"os", "socket", "time", "pathlib", "io"}
    for path in modules("domain"):
        leaked = imported_roots(path) & forbidden
        assert not leaked, f"{path.relative_to(ROOT)} imports {sorted(leaked)}"
        text = path.read_text(encoding="utf-8")
        assert "datetime.now" not in text and "utcnow" not in text, path


@pytest.mark.parametrize("package", ["adapters", "projections"])
def test_nothing_imports_the_application(package: str) -> None:
    for path in modules(package):
        assert "tracker" not in imported_roots(path), path.relative_to(ROOT)


def test_projections_hold_logic_not_io() -> None:
    for path in modules("projections"):
        leaked = imported_roots(path) & (EDGES | {"adapters"})
        assert not leaked, f"{path.relative_to(ROOT)} imports {sorted(leaked)}"


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_ruff_lint_and_format() -> None:
    lint = run("ruff", "check", ".")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = run("ruff", "format", "--check", ".")
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_mypy_strict_on_every_package() -> None:
    result = run("mypy", "--strict", "domain", "projections", "adapters", "tracker")
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_contracts() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports"))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


SQL = re.compile(
    r"\b(SELECT\s+\S|INSERT\s+INTO|UPDATE\s+\w+(\.\w+)?\s+SET|DELETE\s+FROM)\b"
    r"|\w\s*(=|<|>|<=|>=)\s*\$\d"  # a WHERE fragment with an asyncpg placeholder
)


@pytest.mark.parametrize("package", ["domain", "projections", "tracker"])
def test_sql_lives_in_adapters_only(package: str) -> None:
    for path in modules(package):
        found = SQL.search(path.read_text(encoding="utf-8"))
        assert found is None, f"{path.relative_to(ROOT)}: {found.group(0)!r}"


def test_handlers_get_services_injected_not_from_app_state() -> None:
    for path in modules("tracker"):
        assert "state.container" not in path.read_text(encoding="utf-8"), path


def test_one_module_lists_every_command_with_its_policy() -> None:
    from domain.commands import Command
    from tracker.commands import COMMANDS

    def subclasses(cls: type[Command]) -> set[type[Command]]:
        found = set(cls.__subclasses__())
        return found | {s for c in found for s in subclasses(c)}

    import tracker.accounts
    import tracker.handlers  # noqa: F401

    shipped = {cls for cls in subclasses(Command) if not cls.__module__.startswith("tests.")}
    assert shipped == set(COMMANDS)
    assert all(command.RULE is rule for command, rule in COMMANDS.items())


def test_events_doc_lists_every_event_type() -> None:
    from domain.registry import EVENT_TYPES

    doc = (ROOT / "docs" / "events.md").read_text(encoding="utf-8")
    missing = [name for name in EVENT_TYPES if f"`{name}`" not in doc]
    assert not missing, f"docs/events.md does not describe {missing}"
