"""The plan reader's whole result on every sample plan, held against a stored JSON file, so that
a change to the parser's structure provably changes none of its output.

To accept an intended change in what the parser reads, regenerate the files:
`GOLDEN_WRITE=1 DJANGO_SETTINGS_MODULE=config.settings.test python -m pytest imports/tests/test_plan_golden.py`
and review the diff.
"""

import json
import os
from pathlib import Path

from django.test import SimpleTestCase

from imports.plans.extract import extract
from imports.plans.parser import parse
from imports.plans.text import text_doc
from imports.tests.plan_samples import builders

SAMPLES = Path(__file__).parent / "plan_samples"
GOLDEN = SAMPLES / "golden"


def _documents() -> dict:
    """Name -> Doc of every sample: the text plans, and the built .docx and .pdf."""
    docs = {p.stem: text_doc(p.read_text(encoding="utf-8")) for p in sorted(SAMPLES.glob("*.txt"))}
    docs["built_docx"] = extract(builders.plan_docx(), "ke-hoach.docx")
    docs["built_pdf"] = extract(builders.plan_pdf(), "ke-hoach.pdf")
    return docs


def _result_json(doc) -> str:
    result = parse(doc)
    whole = {
        "data": result.data,
        "extra": result.extra,
        "spans": result.spans,
        "flags": result.flags,
        "is_plan": result.is_plan,
        "as_json": result.as_json(),
    }
    return json.dumps(whole, ensure_ascii=False, indent=1, sort_keys=True, default=str) + "\n"


class PlanGoldenTests(SimpleTestCase):
    def test_every_sample_parses_as_stored(self):
        docs = _documents()
        self.assertGreaterEqual(len(docs), 7)  # the five text plans, the .docx, the .pdf
        for name, doc in docs.items():
            with self.subTest(sample=name):
                got = _result_json(doc)
                path = GOLDEN / f"{name}.json"
                if os.environ.get("GOLDEN_WRITE"):
                    path.write_text(got, encoding="utf-8")
                self.assertEqual(got, path.read_text(encoding="utf-8"))
