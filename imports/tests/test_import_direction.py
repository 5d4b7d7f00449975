"""imports reads campaigns (plans, pledges); campaigns never imports imports, so the two cannot
form a loop again. lib.tabular, the library the importers share, imports no app at all."""

import ast
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[2]
APPS = {
    "accounts",
    "api",
    "awards",
    "campaigns",
    "demo",
    "documents",
    "imports",
    "org",
    "reports",
    "showcase",
}


def imported_tops(folder: Path) -> dict[str, set[str]]:
    """Each module under `folder` (tests and migrations aside) -> the top packages it imports."""
    found = {}
    for path in sorted(folder.rglob("*.py")):
        if {"tests", "migrations"} & set(path.relative_to(ROOT).parts):
            continue
        tops = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                tops |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                tops.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = tops
    return found


class ImportDirectionTests(SimpleTestCase):
    def test_campaigns_never_imports_imports(self):
        scanned = imported_tops(ROOT / "campaigns")
        self.assertGreater(len(scanned), 20, scanned)
        self.assertEqual([m for m, tops in scanned.items() if "imports" in tops], [])

    def test_lib_tabular_imports_no_app(self):
        scanned = imported_tops(ROOT / "lib" / "tabular")
        self.assertIn("lib/tabular/readers.py", scanned)
        self.assertEqual({m: tops & APPS for m, tops in scanned.items() if tops & APPS}, {})
