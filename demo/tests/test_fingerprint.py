"""The demo is the same after any refactoring: a digest of what `load_demo` writes.

Row counts per table and a hash of every row's own values (ids, foreign keys, timestamps,
password hashes, random codes and generated files left out; a foreign key to a unit is read as
the unit's code; rows sorted) are compared with the stored digest. Audit entries are hashed by
model, action and the unit code their `unit_id` points at, so the extra data the audit
registration stores is covered too. After an intended change of the demo, regenerate with
`FINGERPRINT_WRITE=1 pytest demo/tests/test_fingerprint.py`.
"""

import hashlib
import json
import os
from io import StringIO
from pathlib import Path

from auditlog.models import LogEntry
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import TestCase
from django.utils import timezone

from org.models import Unit

STORED = Path(__file__).with_name("fingerprint.json")
FRAMEWORK_APPS = {"auth", "contenttypes", "sessions", "admin"}  # not demo data
SKIPPED_FIELDS = {"password", "key", "session_key", "session_data", "name_folded", "verify_code", "sha256"}


def _own_fields(model) -> list[str]:
    """Fields whose values do not depend on ids, the clock or a salt; units by their code."""
    names = []
    for f in model._meta.concrete_fields:
        if f.many_to_one and f.related_model is Unit:
            names.append(f"{f.name}__code")  # the unit a row belongs to, by its stable code
            continue
        if f.is_relation or f.primary_key or f.name in SKIPPED_FIELDS:
            continue
        if isinstance(f, (models.DateTimeField, models.FileField, models.BinaryField)):
            continue
        if isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add):
            continue
        if isinstance(f, models.JSONField):
            continue  # may hold ids
        names.append(f.attname)
    return names


def _value(value):
    # A date the loader takes from the clock (a form published today) must not change the digest.
    return "TODAY" if value == timezone.localdate() else str(value)


def _digest(rows) -> str:
    text = "\n".join(sorted(json.dumps(r, default=_value, ensure_ascii=False) for r in rows))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def fingerprint() -> dict[str, list]:
    """{table: [row count, digest]} for every table the demo fills."""
    out: dict[str, list] = {}
    for model in apps.get_models():
        if model is LogEntry or model._meta.app_label in FRAMEWORK_APPS:
            continue
        count = model._default_manager.count()
        if count:
            fields = _own_fields(model)
            rows = model._default_manager.values_list(*fields) if fields else [()] * count
            out[model._meta.db_table] = [count, _digest(rows)]
    codes = dict(Unit.objects.values_list("pk", "code"))
    entries = LogEntry.objects.values_list("content_type__model", "action", "additional_data")
    rows = [
        (
            model,
            action,
            sorted((k, codes.get(v, v) if k == "unit_id" else v) for k, v in (data or {}).items()),
        )
        for model, action, data in entries
    ]
    out[LogEntry._meta.db_table] = [len(rows), _digest(rows)]
    return out


class DemoFingerprintTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_demo", members=300, stdout=StringIO())

    def test_the_demo_is_unchanged(self):
        found = fingerprint()
        if os.environ.get("FINGERPRINT_WRITE"):
            STORED.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
        self.assertEqual(found, json.loads(STORED.read_text()))
