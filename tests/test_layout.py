"""The layout of DESIGN.md §3: imports flow one way, and our packages load from this repo.

Within schema/, a module imports resolvers' use cases (any module but the shared `context`,
`errors` and `pagination`) only if it resolves fields itself: a domain's root fields
(`RepairQuery`, `RepairMutation` ... beside its types) or a type's own field resolvers
(`Record.subject`). The roots `schema/query.py` and `schema/mutation.py` only compose those
classes, and the leaves (enums, scalars, connections, errors) resolve nothing.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PACKAGES = ("server", "demo", "schema", "resolvers", "auth", "reports", "store", "domain")

# server → schema → resolvers → (auth, reports, store) → domain; the demo data beside the
# schema, below the server that seeds it and above what it is made of.
ALLOWED: dict[str, set[str]] = {
    "domain": set(),
    "store": {"domain"},
    "auth": {"domain"},
    "reports": {"domain", "auth"},
    "resolvers": {"domain", "store", "auth", "reports"},
    "schema": {"domain", "resolvers", "auth"},
    "demo": {"domain", "store", "auth"},
    "server": {"domain", "store", "auth", "reports", "resolvers", "schema", "demo"},
}


def imported_packages(path: Path) -> set[str]:
    """Our top-level packages a module imports, wherever the import stands in it."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & set(PACKAGES)


def modules() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_imports_only_packages_below_it(path: Path) -> None:
    package = path.relative_to(ROOT).parts[0]
    wrong = imported_packages(path) - ALLOWED[package] - {package}

    assert not wrong, f"{package} may not import {sorted(wrong)} (DESIGN.md §3)"


def test_store_and_auth_do_not_read_settings() -> None:
    for package in ("store", "auth", "domain"):
        for path in (ROOT / package).rglob("*.py"):
            assert "server" not in imported_packages(path), path


@pytest.mark.parametrize(
    "name", ["schema", "store", "auth", "domain", "server", "resolvers", "reports", "demo"]
)
def test_package_loads_from_this_repository(name: str) -> None:
    module = importlib.import_module(name)

    assert module.__file__ is not None
    assert Path(module.__file__).resolve().parent == ROOT / name


RESOLVER_LEAVES = {"resolvers", "resolvers.context", "resolvers.errors", "resolvers.pagination"}


def resolver_use_cases(tree: ast.Module) -> set[str]:
    """The resolvers modules a module imports, but for the shared leaves."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "resolvers":
            found |= {f"resolvers.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("resolvers."):
            found.add(str(node.module))
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("resolvers.")}
    return found - RESOLVER_LEAVES


def resolves_fields(tree: ast.Module) -> bool:
    """Whether a module declares a field resolver (`@strawberry.field(...)` or
    `@strawberry.mutation(...)` on a method)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(target, ast.Attribute) and target.attr in ("field", "mutation"):
                    return True
    return False


@pytest.mark.parametrize(
    "path", sorted((ROOT / "schema").glob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_schema_module_imports_resolvers_only_to_resolve_fields(path: Path) -> None:
    tree = ast.parse(path.read_text("utf-8"))
    use_cases = resolver_use_cases(tree)

    if path.name in ("query.py", "mutation.py"):
        assert not use_cases, f"the root only composes the domains' classes: {sorted(use_cases)}"
    else:
        assert not use_cases or resolves_fields(tree), (
            f"{path.name} imports {sorted(use_cases)} but resolves no field"
        )
