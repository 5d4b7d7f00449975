"""Import of old award registers (sổ khen thưởng cũ) from Excel, OpenDocument or CSV, with the
roster import's rules: every row is checked, every error is listed with its row, column, value
and reason, and nothing is saved unless the whole file is right.

The file is read lazily, CHUNK_SIZE rows at a time; each chunk costs a fixed number of queries
(units, members, issuers, provinces, lines already in the register), never one per row. Chunks
are written (bulk_create) inside one transaction while no error has been found; after the first
error the rest of the file is still checked, and the transaction is rolled back at the end.

A row names a person ("Họ và tên") or a collective ("Tên tập thể"). A person is linked to a
member by CCCD (or, without one, by name and date of birth when exactly one member of the
importing unit's subtree matches), so the line follows the person. "Đơn vị" is a unit code or
name inside the importing unit's subtree: the unit then. Lines already in the register (same
award, year, theme and recipient) are skipped, so importing a file twice adds nothing."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.scoping import can_write
from awards.models import COLLECTIVE_KINDS, PERSON_KINDS, Award, AwardRecord, RecipientKind
from awards.services.register_rows import (
    COLLECTIVE,
    HEADERS,
    PERSON,
    PROVINCE_KINDS,
    Row,
    RowParser,
    chunks,
    find_header,
    issuer_level_from_text,
)
from lib.tabular import ImportFileError, RowError, open_rows
from lib.text import fold
from org import tree
from org.models import LEVEL_OF_KIND, Member, Unit, UnitKind

if TYPE_CHECKING:
    from accounts.models import User
    from imports.models import UploadJob
    from imports.upload_jobs import Outcome

__all__ = [
    "HEADERS",
    "ImportFileError",
    "RegisterImportResult",
    "RowError",
    "import_register_file",
    "register_upload_run",
    "result_of_job",
]

CHUNK_SIZE = 2000


@dataclass
class RegisterImportResult:
    added: int = 0
    unchanged: int = 0  # already in the register
    linked: int = 0  # persons linked to a member
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0  # every error, including those past MAX_LISTED_ERRORS
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error_count


class _Rollback(Exception):
    pass


def import_register_file(
    *, path: Path, unit: Unit, imported_by: User | None, filename: str | None = None
) -> RegisterImportResult:
    """Import an old register into `unit`'s subtree: all of it, or nothing with every error.
    Raises ImportFileError only when the file cannot be read at all."""
    result = RegisterImportResult()
    with open_rows(Path(path), filename) as source:
        header = find_header(source.rows)
        if header is None:
            result.errors.append(
                RowError(
                    0,
                    "",
                    "",
                    _(
                        "No header row was found: the file needs a “Họ và tên” or “Tên tập thể” column and a “Danh hiệu / Hình thức khen thưởng” column."
                    ),
                )
            )
            result.error_count = 1
            return result
        header_row, index, written, ignored = header
        result.ignored_columns = ignored
        if "year" not in index:
            result.errors.append(
                RowError(
                    header_row, "", "", _("Required columns are missing: %(columns)s.") % {"columns": "Năm"}
                )
            )
            result.error_count = 1
            return result
        importer = _Importer(unit=unit, user=imported_by, index=index, written=written, result=result)
        try:
            with transaction.atomic():
                for chunk in chunks(source.rows, index, CHUNK_SIZE):
                    importer.process(chunk)
                if not result.ok:
                    raise _Rollback
        except _Rollback:
            result.added = result.unchanged = result.linked = 0
    result.errors.sort(key=lambda e: (e.row, e.column))
    return result


def register_upload_run(job: UploadJob) -> Outcome:
    """The worker's part of an upload on the register import page (the file is read in the sandbox)."""
    from imports.upload_jobs import Outcome

    unit = job.unit
    if job.created_by is not None and not can_write(user=job.created_by, unit=unit):
        raise PermissionDenied
    try:
        result = import_register_file(
            path=Path(job.file.path), unit=unit, imported_by=job.created_by, filename=job.original_filename
        )
    except ImportFileError as exc:
        return Outcome(ok=False, message=str(exc))
    kept = {"rows": result.rows, "error_count": result.error_count, "ignored_columns": result.ignored_columns}
    if not result.ok:
        return Outcome(ok=False, errors=[e.__dict__ for e in result.errors], result=kept)
    warning = ""
    if result.ignored_columns:
        warning = _("These columns were not imported:") + " " + ", ".join(result.ignored_columns)
    return Outcome(
        ok=True,
        next_url=f"{reverse('awards:register')}?{urlencode({'unit': unit.code})}",
        message=_(
            "%(added)s lines added to the register (%(linked)s linked to members), %(unchanged)s already there."
        )
        % {"added": result.added, "linked": result.linked, "unchanged": result.unchanged},
        result={**kept, "added": result.added, "linked": result.linked, "warning": warning},
    )


def result_of_job(job: UploadJob) -> RegisterImportResult:
    """A failed upload job's errors, as the import page lists them."""
    errors = [RowError(**e) for e in job.errors]
    return RegisterImportResult(
        rows=job.result.get("rows", 0),
        errors=errors,
        error_count=job.result.get("error_count", len(errors)),
        ignored_columns=job.result.get("ignored_columns", []),
    )


class _Importer(RowParser):
    """Checks and writes chunks of rows; keeps only what spans chunks (caches, seen lines)."""

    def __init__(self, *, unit: Unit, user: User | None, index: dict, written: dict, result) -> None:
        awards = Award.objects.filter(
            Q(unit__isnull=True)
            | tree.ancestors_q(unit, field="unit", include_self=True)
            | tree.subtree_q(unit, field="unit")
        )
        super().__init__(index=index, written=written, result=result, awards=awards)
        self.unit = unit
        self.user = user
        self.content_type = ContentType.objects.get_for_model(AwardRecord)
        self.units_by_code: dict[str, tuple | None] = {}
        self.units_by_name: dict[str, list[tuple]] = {}
        self.issuers: dict[str, tuple | None] = {}
        self.provinces: dict[str, int | None] = {}
        self.seen: dict[tuple, int] = {}  # line key -> the first row holding it
        self.own = (unit.pk, unit.path, unit.name, unit.kind, unit.sector)

    # -- one chunk ---------------------------------------------------------------------------

    def process(self, chunk: list[tuple[int, list]]) -> None:
        rows = [self.parse(number, cells) for number, cells in chunk]
        self.result.rows += len(rows)
        self.link_members(rows)
        self.resolve_units(rows)
        for row in rows:
            self.check_award_kind(row)
        issuers = self.resolve_issuers(rows)
        existing = self.existing_keys(rows)
        new = [row for row in rows if self.check_duplicate(row, existing)]
        if not self.result.ok:
            return  # keep checking the later chunks, but write nothing more
        self.write(new, issuers)

    # -- lookups, a few queries per chunk ---------------------------------------------------

    def link_members(self, rows: list[Row]) -> None:
        """Persons to members of the importing subtree: by CCCD, else by name and date of birth
        when exactly one member matches. A CCCD held outside the subtree is treated like one on
        no roster (the line keeps the name), so the import tells nothing about who holds it."""
        persons = [r for r in rows if r.kind == PERSON and r.name_folded]
        cccds = {r.cccd for r in persons if r.cccd}
        by_cccd = {}
        if cccds:
            found = Member.objects.filter(tree.subtree_q(self.unit, field="unit"), cccd__in=cccds)
            for pk, cccd, unit_id, name, sex in found.values_list(
                "pk", "cccd", "unit_id", "full_name", "sex"
            ):
                by_cccd[cccd] = (pk, unit_id, name, sex)
        wanted = [r for r in persons if not r.cccd and r.born]
        by_name: dict[tuple[str, datetime.date], list[tuple]] = {}
        if wanted:
            found = Member.objects.filter(
                tree.subtree_q(self.unit, field="unit"),
                name_folded__in={r.name_folded for r in wanted},
                date_of_birth__in={r.born for r in wanted},
            ).values_list("pk", "name_folded", "date_of_birth", "unit_id", "full_name", "sex")
            for pk, folded, born, unit_id, name, sex in found:
                by_name.setdefault((folded, born), []).append((pk, unit_id, name, sex))
        for row in persons:
            if row.cccd:
                hit = by_cccd.get(row.cccd)
                if hit is None:
                    continue  # a person not (or no longer) on the roster: the line keeps the name
                pk, unit_id, name, sex = hit
                if fold(name) != row.name_folded:
                    self.error(
                        row,
                        "full_name",
                        row.name,
                        _("The name does not match the member with this CCCD (%(name)s).") % {"name": name},
                    )
                else:
                    row.member = (pk, unit_id, name, sex)
            elif row.born:
                hits = by_name.get((row.name_folded, row.born), [])
                if len(hits) == 1:
                    row.member = hits[0]
            if row.member is not None:
                if row.sex and row.member[3] and row.sex != row.member[3]:
                    self.error(
                        row,
                        "sex",
                        row.sex,
                        _("The sex does not match the member's record (%(name)s).") % {"name": row.member[2]},
                    )
                row.sex = row.sex or row.member[3]

    def resolve_units(self, rows: list[Row]) -> None:
        """The unit then of every row: its code, else its name in the importing subtree; without
        one, the member's unit, the unit named like the collective, or the importing unit."""
        codes = {r.unit_code for r in rows if r.unit_code} | {r.unit_text for r in rows if r.unit_text}
        codes -= set(self.units_by_code)
        if codes:
            self.units_by_code.update(dict.fromkeys(codes))
            for unit in Unit.objects.filter(code__in=codes).values_list(
                "pk", tree.key_field(), "name", "kind", "sector", "code"
            ):
                self.units_by_code[unit[5]] = unit[:5]
        names = {fold(r.unit_text) for r in rows if r.unit_text} | {
            r.name_folded for r in rows if r.kind == COLLECTIVE and not r.unit_text and not r.unit_code
        }
        names = {n for n in names if n and n not in self.units_by_name}
        if names:
            for n in names:
                self.units_by_name[n] = []
            found = Unit.objects.filter(tree.subtree_q(self.unit), name_folded__in=names)
            for unit in found.values_list("pk", tree.key_field(), "name", "kind", "sector", "name_folded"):
                self.units_by_name[unit[5]].append(unit[:5])
        member_units = {r.member[1] for r in rows if r.member and not (r.unit_code or r.unit_text)}
        by_pk = {}
        if member_units:
            for unit in Unit.objects.filter(pk__in=member_units).values_list(
                "pk", tree.key_field(), "name", "kind", "sector"
            ):
                by_pk[unit[0]] = unit
        for row in rows:
            self.resolve_unit(row, by_pk)

    def resolve_unit(self, row: Row, by_pk: dict) -> None:
        if row.unit_code or row.unit_text:
            column = "unit_code" if row.unit_code else "unit"
            text = row.unit_code or row.unit_text
            unit = self.units_by_code.get(text)
            if unit is None and not row.unit_code:
                named = self.units_by_name.get(fold(text), [])
                if len(named) > 1:
                    self.error(row, column, text, _("Several units have this name; write the unit code."))
                    return
                unit = named[0] if named else None
            if unit is None:
                self.error(
                    row,
                    column,
                    text,
                    _("No unit of %(unit)s has this code or name.") % {"unit": self.unit.name},
                )
                return
            if not tree.is_descendant(unit[1], self.unit):
                self.error(
                    row, column, text, _("This unit is not within %(unit)s.") % {"unit": self.unit.name}
                )
                return
            row.unit = unit
        elif row.member is not None:
            row.unit = by_pk.get(row.member[1])
        elif row.kind == COLLECTIVE:
            named = self.units_by_name.get(row.name_folded, [])
            row.unit = named[0] if len(named) == 1 else self.own
        else:
            row.unit = self.own

    def check_award_kind(self, row: Row) -> None:
        award = row.award
        if award is None:
            return
        if row.kind == PERSON and not award.for_persons:
            self.error(
                row, "award", award.name, _("%(award)s is not given to persons.") % {"award": award.name}
            )
        elif row.kind == COLLECTIVE and not award.for_collectives:
            self.error(
                row, "award", award.name, _("%(award)s is not given to collectives.") % {"award": award.name}
            )

    def resolve_issuers(self, rows: list[Row]) -> dict[str, tuple | None]:
        """Issuers written as a unit of the tree (code or name) above or inside the importing unit."""
        texts = {r.issuer_text for r in rows if r.issuer_text} - set(self.issuers)
        if texts:
            self.issuers.update(dict.fromkeys(texts))
            folded = {fold(t): t for t in texts}
            inside = tree.ancestors_q(self.unit, include_self=True) | tree.subtree_q(self.unit)
            found = Unit.objects.filter(inside & (Q(code__in=texts) | Q(name_folded__in=folded)))
            for pk, kind, code, name_folded in found.values_list("pk", "kind", "code", "name_folded"):
                for key in (code, folded.get(name_folded)):
                    if key in texts and self.issuers.get(key) is None:
                        self.issuers[key] = (pk, kind)
        return self.issuers

    def existing_keys(self, rows: list[Row]) -> set[tuple]:
        """Keys of the lines of this chunk already in the register (one query)."""
        ready = [r for r in rows if r.valid and r.award and r.year and r.unit]
        if not ready:
            return set()
        match = Q(member_id__in={r.member[0] for r in ready if r.member}) | Q(
            unit_id__in={r.unit[0] for r in ready}, name_folded__in={r.name_folded for r in ready}
        )
        found = AwardRecord.objects.filter(
            match, award_id__in={r.award.pk for r in ready}, year__in={r.year for r in ready}
        ).values_list("award_id", "year", "theme", "member_id", "name_folded", "unit_id")
        keys = set()
        for award_id, year, theme, member_id, name_folded, unit_id in found:
            if member_id:
                keys.add((award_id, year, fold(theme), "m", member_id))
            keys.add((award_id, year, fold(theme), "n", name_folded, unit_id))
        return keys

    def check_duplicate(self, row: Row, existing: set[tuple]) -> bool:
        """Whether the row is a new line: twice in the file is an error; already in the
        register is skipped (counted as unchanged)."""
        if not (row.valid and row.award and row.year and row.unit):
            return False
        base = (row.award.pk, row.year, fold(row.theme))
        keys = [(*base, "n", row.name_folded, row.unit[0])]
        if row.member:
            keys.insert(0, (*base, "m", row.member[0]))
        for key in keys:
            first = self.seen.get(key)
            if first is not None:
                column = "full_name" if row.kind == PERSON else "collective_name"
                self.error(
                    row,
                    column,
                    row.name,
                    _("The same award of the same year is also on row %(row)s.") % {"row": first},
                )
                return False
        for key in keys:
            self.seen[key] = row.number
        if any(key in existing for key in keys):
            self.result.unchanged += 1
            return False
        return True

    def province_of(self, paths: Iterable[str]) -> None:
        """Fill the province cache for the given unit paths (one query)."""
        wanted = {p for path in paths for p in tree.ancestor_paths(path, include_self=True)} - set(
            self.provinces
        )
        if not wanted:
            return
        self.provinces.update(dict.fromkeys(wanted))
        for unit in Unit.objects.filter(tree.keys_q(sorted(wanted)), kind__in=PROVINCE_KINDS):
            self.provinces[tree.key(unit)] = unit.pk

    # -- writing -----------------------------------------------------------------------------

    def write(self, rows: list[Row], issuers: dict[str, tuple | None]) -> None:
        if not rows:
            return
        self.province_of(r.unit[1] for r in rows)
        records = [self.record(row, issuers) for row in rows]
        AwardRecord.objects.bulk_create(records, batch_size=500)
        self.result.added += len(records)
        self.result.linked += sum(1 for r in records if r.member_id)
        LogEntry.objects.bulk_create([self.log_entry(r) for r in records], batch_size=500)

    def record(self, row: Row, issuers: dict[str, tuple | None]) -> AwardRecord:
        unit_pk, path, unit_name, unit_kind, sector = row.unit
        award = row.award
        issuer = issuers.get(row.issuer_text) if row.issuer_text else None
        if issuer is not None:
            issuer_level = int(LEVEL_OF_KIND[UnitKind(issuer[1])])
        elif row.issuer_text:
            found, level = issuer_level_from_text(row.issuer_text)
            issuer_level = level if found else award.decider_level
        else:
            issuer_level = award.decider_level
        province = next(
            (
                self.provinces[p]
                for p in reversed(tree.ancestor_paths(path, include_self=True))
                if self.provinces.get(p)
            ),
            None,
        )
        return AwardRecord(
            award=award,
            award_name=award.name,
            year=row.year,
            theme=row.theme,
            recipient_kind=self.recipient_kind(row, unit_kind),
            member_id=row.member[0] if row.member else None,
            unit_id=unit_pk,
            name=row.name,
            name_folded=row.name_folded,
            unit_name=unit_name,
            position_title=row.position_title,
            sex=row.sex if row.kind == PERSON else "",
            sector=sector or "",
            province_id=province,
            issuer_id=issuer[0] if issuer else None,
            issuer_name=row.issuer_text,
            issuer_level=issuer_level,
            decision_number=row.decision_number,
            decided_on=row.decided_on,
            source=AwardRecord.Source.IMPORT,
            note=row.note,
            created_by=self.user,
        )  # verify_code: the field's default runs per instance, here at construction

    @staticmethod
    def recipient_kind(row: Row, unit_kind: str) -> str:
        kinds = row.award.recipient_kinds
        if row.kind == PERSON:
            preferred = RecipientKind.MEMBER if row.member else RecipientKind.PERSON
            if preferred in kinds:
                return preferred
            return next(k for k in PERSON_KINDS if k in kinds)
        preferred = {
            UnitKind.GRASSROOTS: RecipientKind.GRASSROOTS,
            UnitKind.GROUP: RecipientKind.UNION_GROUP,
        }.get(unit_kind, RecipientKind.COLLECTIVE)
        if preferred in kinds:
            return preferred
        if RecipientKind.COLLECTIVE in kinds:
            return RecipientKind.COLLECTIVE
        return next(k for k in COLLECTIVE_KINDS if k in kinds)

    def log_entry(self, record: AwardRecord) -> LogEntry:
        """The audit entry django-auditlog would write (bulk_create sends no signals)."""
        changes = {
            "award": ["None", record.award.name],
            "year": ["None", str(record.year)],
            "name": ["None", record.name],
            "unit": ["None", str(record.unit_id)],
            "member": ["None", str(record.member_id)],
            "decision_number": ["None", record.decision_number],
            "source": ["None", record.source],
        }
        return LogEntry(
            content_type=self.content_type,
            object_pk=str(record.pk),
            object_id=record.pk,
            object_repr=str(record),
            action=LogEntry.Action.CREATE,
            changes=changes,
            actor=self.user,
            actor_email=getattr(self.user, "email", None) or None,
            additional_data={"unit_id": record.unit_id},
        )
