"""The import boundaries of pyproject.toml's [tool.importlinter] hold, and each of its
contracts fails when broken: a copy of the package with one violation planted is checked
with the project's own contracts."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path, *contracts: str) -> subprocess.CompletedProcess[str]:
    """Run lint-imports from `root` (its copy of crewplan comes first on the path) with the
    project's contracts, or only those named."""
    selected = [arg for contract in contracts for arg in ("--contract", contract)]
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", *selected, str(ROOT / "pyproject.toml")],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def package_copy(tmp_path: Path) -> Path:
    """The crewplan package's Python files, copied under `tmp_path`."""
    shutil.copytree(
        ROOT / "crewplan",
        tmp_path / "crewplan",
        ignore=shutil.ignore_patterns("__pycache__", "static", "templates", "locale"),
    )
    return tmp_path


def plant(root: Path, module: str, code: str) -> None:
    with (root / module).open("a", encoding="utf-8") as source:
        source.write(code)


def test_the_package_keeps_every_boundary() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_an_unchanged_copy_keeps_them_too(tmp_path: Path) -> None:
    """The control case: the copy the violations are planted in passes as it is."""
    result = lint_imports(package_copy(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "code", "contract", "chain"),
    [
        pytest.param(
            "crewplan/planning/tools/roi.py",
            "\n\ndef planted() -> object:\n    from django.conf import settings\n\n"
            "    return settings\n",
            "pure-cores",
            "crewplan.planning.tools.roi -> django",
            id="a core imports Django inside a function",
        ),
        pytest.param(
            "crewplan/raci/validation.py",
            "\nfrom crewplan.lib import uploads  # noqa\n",
            "pure-cores",
            "crewplan.raci.validation -> crewplan.lib.uploads",
            id="a core imports a crewplan module that imports Django",
        ),
        pytest.param(
            "crewplan/work/checks/rules.py",
            "\nfrom crewplan.work import queries  # noqa\n",
            "cores-below-apps",
            "crewplan.work.checks.rules -> crewplan.work.queries",
            id="a core imports queries",
        ),
        pytest.param(
            "crewplan/planning/budget/health.py",
            "\nfrom crewplan.planning import models  # noqa\n",
            "cores-below-apps",
            "crewplan.planning.budget.health -> crewplan.planning.models",
            id="a core imports models",
        ),
        pytest.param(
            "crewplan/raci/services.py",
            "\nfrom crewplan.work import views  # noqa\n",
            "own-views",
            "crewplan.raci.services -> crewplan.work.views",
            id="an app imports another app's views",
        ),
        pytest.param(
            "crewplan/work/views.py",
            "\n\ndef planted() -> object:\n    from crewplan.planning.goals import views\n\n"
            "    return views\n",
            "own-views",
            "crewplan.work.views -> crewplan.planning.goals.views",
            id="an app imports another app's views inside a function",
        ),
    ],
)
def test_a_violation_breaks_its_contract(
    tmp_path: Path, module: str, code: str, contract: str, chain: str
) -> None:
    root = package_copy(tmp_path)
    plant(root, module, code)
    result = lint_imports(root, contract)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout
    assert chain in result.stdout
