"""manage.py import_plan FILE [--json] [--unit CODE] [--user USERNAME]: read a plan file.

--json prints the fields read (issue 7's keys) as UTF-8 JSON; --unit saves them as a draft plan of
that unit and prints its id. Without either, a short summary of what was found and what is missing.
A file that cannot be read, or is not a plan, ends with a message on stderr, exit code 1 and nothing
saved."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from campaigns.forms import plans as plan_forms
from campaigns.selectors.plans import movements_for_unit
from imports.forms import PlanDraftForm, draft_post_data
from imports.plans import services
from imports.plans.extract import PlanFileError, check_size
from imports.plans.parser import FIELDS
from org.models import Unit


class Command(BaseCommand):
    help = "Read a plan (.docx, .pdf with text, .txt; '-' for stdin) into its fields or into a draft plan."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the plan file, or - to read text from stdin")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print the fields read as JSON"
        )
        parser.add_argument("--unit", help="code of the unit the draft plan is created in")
        parser.add_argument("--user", help="username recorded as the draft's author")

    def handle(self, *args, file: str, as_json: bool, unit: str | None, user: str | None, **options) -> None:
        target = author = None
        if unit:
            target = Unit.objects.filter(code=unit).first()
            if target is None:
                raise CommandError(_("No unit has the code %(code)s.") % {"code": unit})
        if user:
            author = User.objects.filter(username=user).first()
            if author is None:
                raise CommandError(_("No user is called %(name)s.") % {"name": user})
        data, name = self._read(file)
        try:
            doc, result = services.plan_read(data=data, name=name)
        except PlanFileError as e:
            raise CommandError(f"{file}: {e}")
        if as_json:
            self._write_json({key: result.data[key] for key in FIELDS})
        if target is not None:
            plan = self._save(data=data, name=name, unit=target, author=author)
            if as_json:  # stdout holds the JSON only
                self.stderr.write(_("Draft plan %(id)s created.") % {"id": plan.pk})
            else:
                self.stdout.write(str(plan.pk))
        elif not as_json:
            self._summary(result)

    def _read(self, file: str) -> tuple[bytes, str]:
        if file == "-":
            return sys.stdin.buffer.read(), ""
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("%(file)s: no such file.") % {"file": file})
        try:
            check_size(path.stat().st_size)  # before reading: a 50 MB file is refused unread
        except PlanFileError as e:
            raise CommandError(f"{file}: {e}")
        return path.read_bytes(), path.name

    def _write_json(self, payload: dict) -> None:
        text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
        out = getattr(self.stdout, "_out", None)
        buffer = getattr(out, "buffer", None)
        if buffer is not None:
            # UTF-8 whatever the terminal's locale says.
            out.flush()
            buffer.write(text.encode("utf-8"))
            buffer.flush()
        else:
            self.stdout.write(text, ending="")

    def _save(self, *, data: bytes, name: str, unit: Unit, author):
        """The draft, through the same forms and services as the web page; rows that cannot be
        saved as they stand (a phase without dates, a target without a number) are left out."""
        try:
            with transaction.atomic():
                plan_import = services.plan_import_create(unit=unit, uploaded_by=author, data=data, name=name)
                catalogue = movements_for_unit(unit=unit)
                parsed = plan_import.parsed["data"]
                found, new_names = services.match_movements(names=parsed["movements"], catalogue=catalogue)
                initial = services.draft_initial(plan_import=plan_import)
                phases = [p for p in initial["phases"] if p["start"] and p["end"] and p["name"]]
                targets = [t for t in initial["targets"] if t["count"]]
                for p in initial["phases"]:
                    if p not in phases:
                        self.stderr.write(
                            _("Left out phase “%(name)s”: its dates were not found.") % {"name": p["name"]}
                        )
                post = draft_post_data(
                    initial=PlanDraftForm.initial_from(initial["fields"], found),
                    formsets={"phases": phases, "duties": initial["duties"], "targets": targets},
                    add_movements=new_names,
                )
                form = PlanDraftForm(post, movements=catalogue, new_names=new_names)
                formsets = plan_forms.formsets_for(None, post, movements=catalogue)
                if not (form.is_valid() and all(fs.is_valid() for fs in formsets.values())):
                    raise ValidationError(_form_errors(form, formsets))
                phase_rows, duty_rows, row_errors = plan_forms.structure_from(formsets)
                if row_errors:
                    raise ValidationError(row_errors)
                return services.plan_import_save(
                    plan_import=plan_import,
                    saved_by=author,
                    data=form.plan_data(),
                    phases=phase_rows,
                    duties=duty_rows,
                    movements=list(form.cleaned_data["movements"]),
                    new_movements=form.new_movement_names(),
                )
        except ValidationError as e:
            raise CommandError(_("No draft was saved: %(errors)s") % {"errors": "; ".join(e.messages)})

    def _summary(self, result) -> None:
        data = result.data
        for key in FIELDS:
            value = data[key]
            if isinstance(value, list):
                shown = str(len(value))
            elif isinstance(value, dict):
                shown = " / ".join(v or "—" for v in value.values())
            else:
                shown = "—" if value in (None, "") else str(value)
            self.stdout.write(f"{key}: {shown}")
        checks = sorted(k for k, codes in result.flags.items() if codes)
        if checks:
            self.stdout.write(_("To check: %(fields)s") % {"fields": ", ".join(checks)})


def _form_errors(form, formsets) -> list[str]:
    errors = []
    for field, messages in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        errors += [f"{label}: {m}" if label else str(m) for m in messages]
    for prefix, formset in formsets.items():
        for i, row in enumerate(formset.errors):
            for field, messages in row.items():
                errors += [f"{prefix} {i + 1} {field}: {m}" for m in messages]
        errors += [str(m) for m in formset.non_form_errors()]
    return errors
