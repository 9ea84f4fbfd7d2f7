"""Shared test helpers live in tests/factories.py (plain functions; tests/screen_checks.py
for what the browser tests look for on a page) or a conftest.py (fixtures): a test module
imports neither another test module nor a conftest, so moving or deleting one test file
cannot break another."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SHARED = {"tests.factories", "tests.screen_checks"}


def imported_test_modules(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
    return [name for name in found if name == "tests" or name.startswith("tests.")]


def test_test_modules_import_shared_helpers_only_from_factories() -> None:
    offenders = {}
    checked = 0
    for path in sorted(TESTS.rglob("*.py")):
        checked += 1
        wrong = [name for name in imported_test_modules(path) if name not in SHARED]
        if wrong:
            offenders[str(path.relative_to(TESTS))] = wrong
    assert checked > 40  # the walk reads the real test tree
    assert not offenders, (
        f"move these helpers to tests/factories.py or a conftest fixture: {offenders}"
    )


def test_the_check_sees_a_cross_module_import(tmp_path: Path) -> None:
    """Control: the kinds of import this forbids are found."""
    sample = tmp_path / "test_sample.py"
    sample.write_text(
        "from tests.browser.test_raci import sign_in\n"
        "from tests.work.conftest import create\n"
        "import tests.test_tenant_isolation\n"
        "from tests.factories import client_for\n",
        encoding="utf-8",
    )
    assert imported_test_modules(sample) == [
        "tests.browser.test_raci",
        "tests.work.conftest",
        "tests.test_tenant_isolation",
        "tests.factories",
    ]
