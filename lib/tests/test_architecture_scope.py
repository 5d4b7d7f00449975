"""Guard: scope is decided in accounts/scoping.py and the tree's storage is known in org/tree.py.

Every module of the project (migrations, tests and bench/ excepted) is parsed with `ast`, so
comments and docstrings do not count, and must not use `Role.objects`, a `path__startswith`
or `path__in` lookup, treebeard's `steplen`, slicing or prefix tests on a `.path`, or a
private name of accounts.scoping. The test
lists what it scanned and checks that it scanned enough, so it cannot pass by finding nothing.
"""

from __future__ import annotations

import ast
import tempfile
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[2]

# The two doors: the only modules allowed to know roles and the tree's storage.
DOORS = {"accounts/scoping.py", "org/tree.py"}

# Other modules allowed to break a rule, and why.
ALLOWED: dict[str, str] = {
    # The tree model itself declares the step width treebeard builds paths with.
    "org/models.py": "steplen",
    # The accounts app owns the Role table: granting, listing and revoking roles is role
    # management, not a decision about what a user may see.
    "accounts/services.py": "Role.objects",
    "accounts/selectors.py": "Role.objects",
    "accounts/views.py": "Role.objects",
    "accounts/admin.py": "Role.objects",
    # The shared test cast creates the roles the tests act with.
    "lib/testing.py": "Role.objects",
}

# Path prefixes exempted for the length of one change (none today).
TEMPORARY_ALLOWED_PREFIXES: tuple[str, ...] = ()

SKIPPED_DIRS = {".venv", "venv", "node_modules", "migrations", "tests", "var", "static", "__pycache__"}

# Modules whose rules once leaked: the scan must include them.
MUST_SCAN = {
    "campaigns/selectors/plans.py",
    "campaigns/services/plans.py",
    "reports/selectors/requests.py",
    "reports/views/scoring.py",
    "reports/selectors/rollup.py",
    "api/reports.py",
    "api/campaigns.py",
    "awards/selectors/councils.py",
}
MIN_MODULES = 150

LOOKUPS = ("path__startswith", "path__in")


def project_modules(root: Path = ROOT) -> list[Path]:
    """The project's Python modules, migrations, tests and bench/ excepted."""
    out = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        parts = rel.parts
        if parts[0] == "bench" or any(p in SKIPPED_DIRS or p.startswith(".") for p in parts[:-1]):
            continue
        if parts[-1].startswith("test_") or parts[-1] == "conftest.py":
            continue
        out.append(path)
    return out


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def violations(source: str) -> list[tuple[int, str]]:
    """(line, rule) for every use of a door's private knowledge in `source`."""
    tree = ast.parse(source)
    docstrings = _docstring_nodes(tree)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            if node.attr == "objects" and isinstance(node.value, ast.Name) and node.value.id == "Role":
                found.append((node.lineno, "Role.objects"))
            if node.attr == "steplen":
                found.append((node.lineno, "steplen"))
            if node.attr.startswith("_") and _is_scoping(node.value):
                found.append((node.lineno, "scoping private name"))
        elif isinstance(node, ast.Subscript) and _is_path(node.value):
            found.append((node.lineno, "path arithmetic"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            # `a.path.startswith(b)` or `x.startswith(b.path)`: an "is below" test by hand.
            if node.func.attr in ("startswith", "endswith") and (
                _is_path(node.func.value) or any(_is_path(arg) for arg in node.args)
            ):
                found.append((node.lineno, "path arithmetic"))
            # order_by("path") / order_by("unit__path"): tree order is `tree.tree_order(field)`.
            if node.func.attr == "order_by" and any(_is_path_name(arg) for arg in node.args):
                found.append((node.lineno, "tree order by hand"))
        elif isinstance(node, ast.Name) and node.id == "steplen":
            found.append((node.lineno, "steplen"))
        elif isinstance(node, ast.keyword) and node.arg:
            for lookup in LOOKUPS:
                if node.arg == lookup or node.arg.endswith("__" + lookup):
                    found.append((node.value.lineno, lookup))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            # Lookups spelled as strings: **{"unit__path__startswith": p}, f"{field}__path__in".
            for lookup in LOOKUPS:
                if lookup in node.value:
                    found.append((node.lineno, lookup))
        elif isinstance(node, ast.ImportFrom) and node.module in ("accounts.scoping", "scoping"):
            for alias in node.names:
                if alias.name.startswith("_"):
                    found.append((node.lineno, "scoping private name"))
    return sorted(set(found))


def _is_path(node: ast.AST) -> bool:
    """`x.path` (a unit's materialised path; file paths are not sliced or prefix-tested here)."""
    return isinstance(node, ast.Attribute) and node.attr == "path"


def _is_path_name(node: ast.AST) -> bool:
    """A field name ordering by the materialised path: "path", "-unit__path", ..."""
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return False
    name = node.value.lstrip("-")
    return name == "path" or name.endswith("__path")


def _is_scoping(node: ast.AST) -> bool:
    if isinstance(node, ast.Name):
        return node.id == "scoping"
    return isinstance(node, ast.Attribute) and node.attr == "scoping"


def _allowed(rel: str, rule: str) -> bool:
    if rel in DOORS or rel.startswith(TEMPORARY_ALLOWED_PREFIXES):
        return True
    return ALLOWED.get(rel) == rule


class ScopeArchitectureTests(SimpleTestCase):
    def test_no_module_outside_the_doors_knows_roles_or_the_tree_storage(self):
        modules = project_modules()
        scanned = {p.relative_to(ROOT).as_posix() for p in modules}
        self.assertGreater(len(scanned), MIN_MODULES, sorted(scanned))
        self.assertLessEqual(MUST_SCAN, scanned)
        problems = []
        for path in modules:
            rel = path.relative_to(ROOT).as_posix()
            for line, rule in violations(path.read_text(encoding="utf-8")):
                if not _allowed(rel, rule):
                    problems.append(f"{rel}:{line}: {rule}")
        self.assertEqual(problems, [], "ask accounts.scoping or org.tree instead")

    def test_the_checker_flags_a_planted_violation_and_ignores_prose(self):
        planted = '''
"""A docstring may say path__startswith, Role.objects and steplen freely."""
from accounts.scoping import _role_paths
from accounts import scoping
from org.models import Unit


def leak(user, unit):
    # a comment about path__in does not count either
    roles = Role.objects.filter(user=user)
    step = Unit.steplen
    scoping._role_paths(user)
    rows = Unit.objects.filter(path__startswith=unit.path)
    parent = unit.path[:-4]
    inside = unit.path.startswith("0001")
    below = "0001".startswith(unit.path)
    above = Unit.objects.filter(unit__path__in=["0001"])
    ordered = Unit.objects.order_by("depth", "-unit__path")
    return Unit.objects.filter(**{f"{'unit'}__path__startswith": unit.path})
'''
        with tempfile.TemporaryDirectory() as tmp:
            module = Path(tmp) / "planted" / "leaky.py"
            module.parent.mkdir()
            module.write_text(planted, encoding="utf-8")
            self.assertEqual(project_modules(Path(tmp)), [module])
            found = violations(module.read_text(encoding="utf-8"))
        rules = [rule for _line, rule in found]
        self.assertEqual(
            sorted(rules),
            sorted(
                [
                    "scoping private name",
                    "Role.objects",
                    "steplen",
                    "scoping private name",
                    "path__startswith",
                    "path arithmetic",
                    "path arithmetic",
                    "path arithmetic",
                    "path__in",
                    "tree order by hand",
                    "path__startswith",
                ]
            ),
        )
        self.assertNotIn(2, [line for line, _rule in found])  # the docstring
        self.assertNotIn(9, [line for line, _rule in found])  # the comment

    def test_a_violation_in_a_door_is_allowed_but_not_elsewhere(self):
        self.assertTrue(_allowed("org/tree.py", "path__startswith"))
        self.assertTrue(_allowed("org/models.py", "steplen"))
        self.assertFalse(_allowed("org/models.py", "path__startswith"))
        self.assertFalse(_allowed("campaigns/selectors/plans.py", "Role.objects"))
