"""The apps talk to each other through selectors and services, never through views or privates.

An app may import from another app its `selectors`, `services`, `forms` fields and other public
modules, and the shared kernel (the unit tree and its members, users and roles, `lib`). It may not
import another app's `views`, a `_private` name or module, or (outside a short allowlist with a
reason each) another app's `models`; and no two apps may import each other, directly or round a
longer loop. Imports inside functions count: hiding one there does not make it a boundary.

The checker reads the source with `ast`, so it sees what a grep would miss (multi-line and
function-level imports, `from app import views`, `module._private` attribute use).
"""

from __future__ import annotations

import ast
import fnmatch
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[2]

# Packages scanned: every Django app of the project, and `lib`. `config` is the composition root
# (the root URLconf must import views), `bench` measures, it is not shipped.
APPS = ("accounts", "api", "awards", "campaigns", "demo", "documents", "imports", "lib", "org", "reports")
# Not part of the app graph: lib is below every app (lib/testing builds the test cast from them).
NOT_IN_LOOPS = {"lib"}
EXCLUDED_DIRS = {"migrations", "tests", "bench", "__pycache__"}
MIN_MODULES = 250  # the project had ~330 scanned modules when this was written

# The shared kernel any app may import: the tree and its members, users and roles.
KERNEL = {
    "org.models": {
        "Unit",
        "UnitKind",
        "UnitLevel",
        "LEVEL_OF_KIND",
        "Sector",
        "UnitStatus",
        "Member",
        "Sex",
        "MemberStatus",
    },
    "accounts.models": {"User", "Role"},
    # org/tree.py is the tree's one door (it imports nothing but org.models): accounts/scoping.py
    # and every app compute subtrees through it, so it belongs to the kernel, not to org's pages.
    "org": {"tree"},
    # Every upload runs as an imports.UploadJob (gate, worker, sandbox, progress page): the apps
    # that accept a file name its kinds and type their handlers with it.
    "imports.models": {"UploadJob"},
}

# Crossings on purpose: (importing module, imported module) -> why. Each must still be used.
API_FACE = "the API is this app's HTTP face, as its views are: serializers and querysets name its models"
MODELS_ALLOWED = {
    ("api.awards", "awards.models"): API_FACE,
    ("api.awards_serializers", "awards.models"): API_FACE,
    ("api.campaigns", "campaigns.models"): API_FACE,
    ("api.reports", "reports.models"): API_FACE,
    ("awards.forms.nominations", "campaigns.models"): "Nomination.phase is a ForeignKey to campaigns.Phase",
    (
        "reports.forms.forms",
        "campaigns.models",
    ): "ReportRequest.movement is a ForeignKey to campaigns.Movement",
    (
        "reports.selectors.scoring",
        "campaigns.models",
    ): "scoring tables and rankings are keyed to a campaigns.Cluster",
    (
        "reports.views.scoring",
        "campaigns.models",
    ): "scoring tables and rankings are keyed to a campaigns.Cluster",
    (
        "reports.services.scoring.*",
        "campaigns.models",
    ): "scoring tables and rankings are keyed to a campaigns.Cluster",
    (
        "imports.members.importer",
        "org.models",
    ): "the roster import bulk-writes members and their MemberMove rows (COPY, not a query per row)",
    (
        "imports.pledges",
        "campaigns.models",
    ): "the pledge import bulk-writes a registration's MemberPledge rows",
    (
        "imports.views_pledges",
        "campaigns.models",
    ): "the pledge page fetches its Registration via get_for_user",
    ("imports.plans.services", "campaigns.models"): "a checked plan import is saved as a draft Plan",
    ("demo.*", "*"): "the demo builds every app's rows, as a fixture would",
}

# No temporary exceptions are left; kept as an (empty) table so a future move can use one briefly.
TEMPORARY_ALLOWED: dict[tuple[str, str], str] = {}

# Loops between apps that another branch is removing, as frozensets of app names.
LOOPS_ALLOWED: dict[frozenset, str] = {}


def _allowed(module: str, target: str, table: dict) -> tuple | None:
    """The allowlist entry covering `module` importing `target` (a module or module.name)."""
    for mod, tgt in table:
        mod_ok = fnmatch.fnmatchcase(module, mod)
        tgt_ok = tgt == "*" or target == tgt or target.startswith(tgt + ".")
        if mod_ok and tgt_ok:
            return (mod, tgt)
    return None


@dataclass(frozen=True)
class Violation:
    module: str
    line: int
    target: str
    rule: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line} imports {self.target} ({self.rule})"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def scanned_files(root: Path = ROOT, apps: tuple[str, ...] = APPS) -> list[Path]:
    """Every Python module of the apps, without migrations, tests and bench."""
    files = []
    for app in apps:
        for path in sorted((root / app).rglob("*.py")):
            rel = path.relative_to(root)
            if EXCLUDED_DIRS.intersection(rel.parts[:-1]) or rel.name.startswith("test"):
                continue
            files.append(path)
    return files


def _imports(tree: ast.AST, module: str, is_package: bool):
    """(line, imported module, imported names) for every import anywhere in the tree."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, (), alias.asname or alias.name.partition(".")[0]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield node.lineno, base, tuple((a.name, a.asname or a.name) for a in node.names), None


def _is_private(name: str) -> bool:
    # `_meta` is Django's public model API despite its underscore.
    return name.startswith("_") and name != "_meta" and not (name.startswith("__") and name.endswith("__"))


def check_module(source: str, module: str, *, is_package: bool = False, apps=APPS) -> list[Violation]:
    """The boundary violations in one module's source."""
    app = module.partition(".")[0]
    tree = ast.parse(source)
    found: list[Violation] = []
    module_aliases: dict[str, str] = {}  # local name -> other app's module it is bound to

    def other_app(target: str) -> str | None:
        top = target.partition(".")[0]
        return top if top in apps and top != app and top != "lib" else None

    for line, target, names, bound in _imports(tree, module, is_package):
        if other_app(target) is None:
            continue
        # `from app import views` names a module: judge it as the module it is.
        targets = [(target, names)]
        if names and target.count(".") == 0:
            targets = [(f"{target}.{name}", ()) for name, _ in names]
            module_aliases.update((local, f"{target}.{name}") for name, local in names)
        for full, imported in targets:
            parts = full.split(".")
            if "views" in parts[1:] or any(p.startswith("views_") for p in parts[1:]):
                found.append(Violation(module, line, full, "another app's views"))
                continue
            if any(_is_private(p) for p in parts[1:]):
                found.append(Violation(module, line, full, "another app's private module"))
                continue
            private = [n for n, _ in imported if _is_private(n)]
            if private:
                found.append(Violation(module, line, f"{full}.{private[0]}", "another app's private name"))
            if parts[1:2] == ["models"]:
                kernel = KERNEL.get(full)
                outside = [n for n, _ in imported if kernel is None or n not in kernel]
                if kernel is None or outside or not imported:
                    what = f"{full}.{outside[0]}" if outside else full
                    found.append(Violation(module, line, what, "another app's models"))
            for name, local in imported:
                module_aliases[local] = f"{full}.{name}"
        if bound and other_app(target):
            module_aliases[bound] = target
    # `scoping._ancestor_paths` through a module imported whole.
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in module_aliases
            and _is_private(node.attr)
        ):
            target = f"{module_aliases[node.value.id]}.{node.attr}"
            found.append(Violation(module, node.lineno, target, "another app's private name"))
    return found


def allowed_by(violation: Violation) -> tuple | None:
    """The allowlist entry excusing a violation (models and private names only, never views)."""
    if violation.rule == "another app's views":
        return None
    return _allowed(violation.module, violation.target, MODELS_ALLOWED) or _allowed(
        violation.module, violation.target, TEMPORARY_ALLOWED
    )


def app_edges(source: str, module: str, *, is_package: bool = False, apps=APPS) -> set[str]:
    """The other apps a module imports, not counting the shared kernel."""
    app = module.partition(".")[0]
    edges = set()
    for _line, target, names, _bound in _imports(ast.parse(source), module, is_package):
        top = target.partition(".")[0]
        if top not in apps or top == app:
            continue
        kernel = KERNEL.get(target)
        if kernel is not None and names and all(n in kernel for n, _ in names):
            continue
        edges.add(top)
    return edges


def import_loops(graph: dict[str, set[str]]) -> list[frozenset]:
    """Strongly connected groups of more than one app (Tarjan), i.e. import loops."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    loops: list[frozenset] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                top = stack.pop()
                group.add(top)
                if top == node:
                    break
            if len(group) > 1:
                loops.append(frozenset(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return loops


def scan(root: Path = ROOT, apps: tuple[str, ...] = APPS):
    """(modules scanned, violations, app import graph)."""
    modules, violations = [], []
    graph: dict[str, set[str]] = {app: set() for app in apps if app not in NOT_IN_LOOPS}
    for path in scanned_files(root, apps):
        module = module_name(path, root)
        source = path.read_text(encoding="utf-8")
        is_package = path.name == "__init__.py"
        modules.append(module)
        violations += check_module(source, module, is_package=is_package, apps=apps)
        app = module.partition(".")[0]
        if app not in NOT_IN_LOOPS:
            graph[app] |= app_edges(source, module, is_package=is_package, apps=apps) - NOT_IN_LOOPS
    return modules, violations, graph


class ArchitectureImportsTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.modules, cls.violations, cls.graph = scan()

    def test_it_scanned_every_app(self):
        print(f"scanned {len(self.modules)} modules:", *self.modules, sep="\n  ")
        self.assertGreaterEqual(
            len(self.modules), MIN_MODULES, "the scan found too few modules to mean anything"
        )
        for app in APPS:
            self.assertTrue(any(m.startswith(f"{app}.") for m in self.modules), f"nothing scanned in {app}")

    def test_no_app_reaches_into_another(self):
        found = [str(v) for v in self.violations if allowed_by(v) is None]
        self.assertEqual(
            found, [], "import the app's selectors or services (or lib), not its views/models/privates"
        )

    def test_every_permanent_allowance_is_still_needed(self):
        # A stale entry would hide the next real violation at the same place.
        used = {_allowed(v.module, v.target, MODELS_ALLOWED) for v in self.violations}
        self.assertEqual(sorted(set(MODELS_ALLOWED) - used), [])

    def test_there_is_no_import_loop_between_apps(self):
        self.assertTrue(any(self.graph.values()), "the app graph has no edges: the scan is blind")
        loops = [sorted(loop) for loop in import_loops(self.graph) if loop not in LOOPS_ALLOWED]
        self.assertEqual(loops, [])


class CheckerCatchesPlantedViolationsTests(SimpleTestCase):
    """The checker itself, on planted sources: a guard that flags nothing proves nothing."""

    def check(self, source: str, module: str = "awards.services.planted") -> list[str]:
        return [v.rule for v in check_module(textwrap.dedent(source), module)]

    def test_it_flags_a_view_import(self):
        self.assertEqual(self.check("from org.views.members import cheap_page\n"), ["another app's views"])
        self.assertEqual(self.check("from campaigns import views\n"), ["another app's views"])

    def test_it_flags_a_private_name(self):
        self.assertEqual(
            self.check("from accounts.scoping import _ancestor_paths, scoped\n"),
            ["another app's private name"],
        )
        self.assertEqual(
            self.check("from accounts import scoping\n\nx = scoping._ancestor_paths\n"),
            ["another app's private name"],
        )

    def test_it_flags_a_models_import_inside_a_function(self):
        source = """
        def f():
            from reports.models import ScoreSheet
            return ScoreSheet
        """
        self.assertEqual(self.check(source), ["another app's models"])

    def test_it_allows_the_kernel_selectors_services_and_its_own_app(self):
        source = """
        from accounts.models import Role, User
        from accounts.scoping import scoped
        from awards.models import Award
        from org.models import Member, Unit
        from reports.selectors import published
        from lib.text import fold
        """
        self.assertEqual(self.check(source), [])

    def test_it_reads_relative_imports(self):
        self.assertEqual(self.check("from .models import Award\n"), [])
        self.assertEqual(self.check("from ...reports.models import ScoreSheet\n"), ["another app's models"])

    def test_it_finds_a_loop_in_a_planted_tree(self):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            for app, source in {
                "alpha": "from beta.services import go\n",
                "beta": "from gamma.selectors import read\n",
                "gamma": "def f():\n    from alpha.services import back\n",
            }.items():
                (root / app).mkdir()
                (root / app / "__init__.py").write_text("")
                (root / app / "services.py").write_text(source)
            modules, violations, graph = scan(root, ("alpha", "beta", "gamma"))
        self.assertEqual(len(modules), 6)
        self.assertEqual(violations, [])
        self.assertEqual(import_loops(graph), [frozenset({"alpha", "beta", "gamma"})])

    def test_a_planted_module_is_scanned_and_flagged(self):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            for app in ("alpha", "beta"):
                (root / app / "tests").mkdir(parents=True)
                (root / app / "__init__.py").write_text("")
            (root / "alpha" / "views.py").write_text("def page():\n    pass\n")
            (root / "beta" / "selectors.py").write_text("def f():\n    from alpha.views import page\n")
            (root / "beta" / "tests" / "test_x.py").write_text("from alpha.views import page\n")
            modules, violations, _graph = scan(root, ("alpha", "beta"))
        self.assertEqual(modules, ["alpha", "alpha.views", "beta", "beta.selectors"])
        self.assertEqual(
            [str(v) for v in violations], ["beta.selectors:2 imports alpha.views (another app's views)"]
        )
