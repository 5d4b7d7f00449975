"""A report form as an .xlsx to fill offline, and reading it back.

The file carries a very hidden sheet `_thidua` with the form code, form version, request,
unit and report revision, and a signature of them (`django.core.signing`), so an upload of a
tampered file, or of another unit's or another form version's file, is refused. Values are read
by the indicator code in the hidden column A, not by row number, so rows a user inserts do not
shift anything. Titles in the file are Vietnamese whatever the interface language: the file
goes to the federation's offices.
"""

from __future__ import annotations

import ast
import datetime
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation

from accounts.scoping import can_write
from lib import sandbox, uploads
from lib.spreadsheets import SafeWorkbook, set_formula, unquote
from org.models import Unit
from org.selectors.units import unit_rollup
from reports.models import FormVersion, Indicator, Report, ReportRequest, ReportVersion
from reports.services.reports import ReportInvalid, report_get_or_create, report_save, report_values
from reports.services.values import validate_values

if TYPE_CHECKING:
    from imports.models import UploadJob
    from imports.upload_jobs import Outcome

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024  # a 5 MB zip that unpacks to more is not a report form
MAX_FORM_ROWS = 20_000  # rows of the data sheet read; a form has a few hundred
SALT = "reports.xlsx.form"
META_SHEET = "_thidua"
DATA_SHEET = "Báo cáo"
CODE_COL, LABEL_COL, UOM_COL, VALUE_COL = "A", "B", "C", "D"
META_KEYS = ("form", "version", "request", "unit", "revision")
YES, NO = "Có", "Không"

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
INPUT_FILL = PatternFill("solid", fgColor="FFF9E5")
COMPUTED_FILL = PatternFill("solid", fgColor="EDEDED")
SECTION_FILL = PatternFill("solid", fgColor="DDEBF7")


# -- download ------------------------------------------------------------------------------


def _meta(*, request: ReportRequest, unit: Unit, report: Report | None) -> dict[str, str]:
    version = request.version
    return {
        "form": version.form.code,
        "version": str(version.pk),
        "request": str(request.pk),
        "unit": str(unit.pk),
        "revision": str(report.revision if report else 1),
    }


def excel_formula(expression: str, rows: dict[str, int]) -> str | None:
    """'a + b * 2' -> '=D12+D13*2' over the value cells; None when it is not simple arithmetic
    over numeric indicators in the sheet (then the file shows the formula as a note)."""
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError:
        return None
    divides = False

    def tr(node) -> str:
        nonlocal divides
        if isinstance(node, ast.Expression):
            return tr(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return repr(node.value)
        if isinstance(node, ast.Name) and node.id in rows:
            return f"{VALUE_COL}{rows[node.id]}"
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return f"-{tr(node.operand)}"
        ops = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
        if isinstance(node, ast.BinOp) and type(node.op) in ops:
            divides = divides or isinstance(node.op, ast.Div)
            return f"({tr(node.left)}{ops[type(node.op)]}{tr(node.right)})"
        raise ValueError(expression)

    try:
        text = tr(tree)
    except ValueError:
        return None
    # The app counts x / 0 as 0 (an empty base should not fail a report); so does the file.
    return f"=IFERROR({text},0)" if divides else f"={text}"


def _validation(ind: Indicator) -> DataValidation | None:
    """Data validation for a value cell, with a Vietnamese input message."""
    kind = ind.kind
    if kind == Indicator.Kind.BOOLEAN:
        dv = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True)
        dv.prompt = f"Chọn {YES} hoặc {NO}."
    elif kind in (Indicator.Kind.INTEGER, Indicator.Kind.MONEY, Indicator.Kind.PERCENT):
        low = ind.min_value if ind.min_value is not None else Decimal(0)
        high = ind.max_value
        if kind == Indicator.Kind.PERCENT:
            low, high = max(low, Decimal(0)), min(high, Decimal(100)) if high is not None else Decimal(100)
        whole = kind != Indicator.Kind.PERCENT
        dv = DataValidation(type="whole" if whole else "decimal", allow_blank=True)
        dv.formula1 = f"{low.normalize():f}"
        if high is not None:
            dv.operator, dv.formula2 = "between", f"{high.normalize():f}"
        else:
            dv.operator = "greaterThanOrEqual"
        what = {"integer": "số nguyên", "money": "số tiền (đồng)", "percent": "tỷ lệ phần trăm"}[kind]
        bound = f"từ {low.normalize():f}" + (f" đến {high.normalize():f}" if high is not None else " trở lên")
        dv.prompt = f"Nhập {what}, {bound}."
    else:
        return None
    dv.promptTitle = ind.label[:32]
    dv.showInputMessage = True
    dv.showErrorMessage = True
    dv.errorTitle = "Giá trị không hợp lệ"
    dv.error = dv.prompt
    return dv


def _cell_value(ind: Indicator, value):
    if value is None:
        return None
    if ind.kind == Indicator.Kind.BOOLEAN:
        return YES if value else NO
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def form_xlsx(*, request: ReportRequest, unit: Unit, report: Report | None) -> bytes:
    """The request's form for `unit` as .xlsx, prefilled with the report's current values."""
    version = (
        FormVersion.objects.select_related("form__unit")
        .prefetch_related("sections", "indicators")
        .get(pk=request.version_id)
    )
    request.version = version
    values = report_values(report) if report else {}
    wb = SafeWorkbook()
    ws = wb.active
    ws.title = DATA_SHEET
    ws.column_dimensions[CODE_COL].hidden = True
    ws.column_dimensions[LABEL_COL].width = 60
    ws.column_dimensions[UOM_COL].width = 14
    ws.column_dimensions[VALUE_COL].width = 22
    bold = Font(bold=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = Alignment(wrap_text=True, vertical="center")

    requester = request.unit
    ws["B1"] = (requester.short_name or requester.name).upper()
    ws["C1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws.merge_cells("C1:D1")
    ws["B2"] = (unit.short_name or unit.name).upper()
    ws["C2"] = "Độc lập - Tự do - Hạnh phúc"
    ws.merge_cells("C2:D2")
    for ref in ("B1", "C1", "B2", "C2"):
        ws[ref].font, ws[ref].alignment = bold, center
    ws["B4"] = f"BÁO CÁO {version.form.name.upper()}"
    ws["B5"] = request.period or request.title
    ws["B6"] = f"Hạn gửi: {request.due_on:%d/%m/%Y}"
    ws["B7"] = f"Đơn vị báo cáo: {unit.name} (mã {unit.code})"
    for ref, font in (
        ("B4", Font(bold=True, size=14)),
        ("B5", Font(italic=True)),
        ("B6", None),
        ("B7", bold),
    ):
        ws.merge_cells(f"{ref}:D{ref[1:]}")
        ws[ref].alignment = center
        if font:
            ws[ref].font = font
    header = 9
    for col, text in zip("ABCD", ("Mã", "Nội dung", "Đơn vị tính", "Số liệu"), strict=True):
        cell = ws[f"{col}{header}"]
        cell.value, cell.font, cell.alignment, cell.border = text, bold, center, BOX

    indicators = list(version.indicators.all())
    sections = {s.pk: s for s in version.sections.all()}
    order = sorted(
        indicators,
        key=lambda i: (
            sections[i.section_id].position if i.section_id else -1,
            i.section_id or 0,
            i.position,
            i.pk,
        ),
    )
    # Rows first, so formulas can name cells below them too.
    rows: dict[str, int] = {}
    layout: list[tuple[int, object]] = []
    row, current_section = header + 1, None
    for ind in order:
        if ind.section_id and ind.section_id != current_section:
            current_section = ind.section_id
            layout.append((row, sections[ind.section_id]))
            row += 1
        rows[ind.code] = row
        layout.append((row, ind))
        row += 1
    numeric_rows = {
        code: r
        for code, r in rows.items()
        if next(i for i in indicators if i.code == code).kind
        in (Indicator.Kind.INTEGER, Indicator.Kind.MONEY, Indicator.Kind.PERCENT)
    }
    for r, item in layout:
        if not isinstance(item, Indicator):
            ws[f"{LABEL_COL}{r}"] = item.title
            ws.merge_cells(f"{LABEL_COL}{r}:{VALUE_COL}{r}")
            ws[f"{LABEL_COL}{r}"].font, ws[f"{LABEL_COL}{r}"].fill = bold, SECTION_FILL
            continue
        ind = item
        ws[f"{CODE_COL}{r}"] = ind.code
        label = ws[f"{LABEL_COL}{r}"]
        label.value = ind.label + (" (*)" if ind.required and not ind.formula else "")
        label.alignment, label.border = wrap, BOX
        uom = ws[f"{UOM_COL}{r}"]
        uom.value, uom.alignment, uom.border = ind.unit_of_measure or None, center, BOX
        cell = ws[f"{VALUE_COL}{r}"]
        cell.border = BOX
        if ind.kind in (Indicator.Kind.INTEGER, Indicator.Kind.MONEY):
            cell.number_format = "#,##0"
        elif ind.kind == Indicator.Kind.PERCENT:
            cell.number_format = "0.00"
        if ind.formula:
            formula = excel_formula(ind.formula, numeric_rows)
            if formula:
                set_formula(cell, formula)  # built from indicator codes only, never from user text
            else:
                cell.value = _cell_value(ind, values.get(ind.code))
            cell.fill = COMPUTED_FILL
            note = f"Tự tính theo công thức: {ind.formula}"
            cell.comment = Comment(note if formula else f"{note} (hệ thống tính khi tải lên)", "thidua")
            continue  # stays locked
        cell.value = _cell_value(ind, values.get(ind.code))
        cell.fill = INPUT_FILL
        cell.protection = Protection(locked=False)
        dv = _validation(ind)
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(cell)
        if ind.help_text:
            cell.comment = Comment(ind.help_text, "thidua")
    ws[f"{LABEL_COL}{row + 1}"] = "(*) Số liệu bắt buộc. Chỉ nhập vào các ô màu vàng ở cột “Số liệu”."
    ws[f"{LABEL_COL}{row + 1}"].font = Font(italic=True, size=9)
    ws.protection.sheet = True
    ws.protection.formatRows = False  # users may resize rows to read long labels
    ws.protection.formatColumns = False

    meta = _meta(request=request, unit=unit, report=report)
    hidden = wb.create_sheet(META_SHEET)
    for i, key in enumerate(META_KEYS, start=1):
        hidden[f"A{i}"], hidden[f"B{i}"] = key, meta[key]
    hidden[f"A{len(META_KEYS) + 1}"] = "signature"
    hidden[f"B{len(META_KEYS) + 1}"] = signing.dumps(meta, salt=SALT)
    hidden.sheet_state = "veryHidden"
    hidden.protection.sheet = True
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


# -- upload --------------------------------------------------------------------------------


@dataclass
class CellError:
    cell: str  # "D12", or "" for the file or a rule between figures
    label: str
    value: str
    message: str

    def __str__(self) -> str:
        return f"{self.cell}: {self.message}" if self.cell else self.message


@dataclass
class Upload:
    raw: dict = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)  # code -> "D12"
    revision: int | None = None
    errors: list[CellError] = field(default_factory=list)
    version: ReportVersion | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def _file_error(message: str) -> Upload:
    return Upload(errors=[CellError("", "", "", message)])


def _not_xlsx() -> str:
    return _("This is not an Excel .xlsx file. Download the form again and fill it in Excel.")


def check_upload(data_or_upload, name: str = "") -> None:
    """The upload gate for a report form: a file that is no .xlsx gets this page's own message."""
    try:
        if isinstance(data_or_upload, bytes):
            uploads.check_bytes(data_or_upload, kind="report_xlsx", name=name)
        else:
            uploads.check_upload(data_or_upload, kind="report_xlsx")
    except uploads.UploadRefused as exc:
        if exc.reason in ("type", "disguised", "damaged"):
            raise ValidationError(_not_xlsx()) from None
        raise ValidationError(str(exc)) from None


def _open_workbook(data: bytes):
    """The workbook, or an error message when the bytes are not an .xlsx file."""
    not_xlsx = _not_xlsx()
    if len(data) > MAX_UPLOAD_BYTES:
        return None, _("The file is larger than %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        return None, not_xlsx
    if "xl/workbook.xml" not in names or unpacked > MAX_UNPACKED_BYTES:
        return None, not_xlsx
    try:
        return load_workbook(BytesIO(data), read_only=True, data_only=False), None
    except Exception:  # openpyxl raises many kinds on a damaged file; all mean the same to the user
        return None, not_xlsx


_PLAIN = (str, int, float, bool, Decimal, datetime.date, datetime.time, datetime.timedelta)


def _plain(value):
    return value if value is None or isinstance(value, _PLAIN) else str(value)


def _form_cells(data: bytes) -> dict:
    """In the sandbox: what xlsx_read needs of the file, as plain data (no database here)."""
    wb, error = _open_workbook(data)
    if error:
        return {"error": error}
    try:
        if META_SHEET not in wb.sheetnames or DATA_SHEET not in wb.sheetnames:
            return {"meta": None, "rows": []}
        meta = {
            # Codes and names were written through lib.spreadsheets: a leading "-" came back quoted.
            str(unquote(r[0])): "" if r[1] is None else str(unquote(r[1]))
            for r in wb[META_SHEET].iter_rows(max_col=2, values_only=True)
            if r and r[0]
        }
        col = ord(VALUE_COL) - ord("A")
        rows = []
        for number, row in enumerate(wb[DATA_SHEET].iter_rows(max_col=col + 1, values_only=True), start=1):
            code = unquote(row[0]) if row else None
            if isinstance(code, str):
                value = unquote(row[col]) if len(row) > col else None  # our quoted text, as it was
                rows.append((number, code, _plain(value)))
                if len(rows) >= MAX_FORM_ROWS:
                    break
        return {"meta": meta, "rows": rows}
    finally:
        wb.close()


def xlsx_read(*, data: bytes, request: ReportRequest, unit: Unit) -> Upload:
    """The raw values of an uploaded form by indicator code, with the cell of each; or the
    errors that make the file unusable (not .xlsx, not ours, tampered, another unit's). The file
    passes the upload gate and is read in the sandbox."""
    try:
        check_upload(data, "form.xlsx")
        read = sandbox.call(_form_cells, data)
    except ValidationError as exc:
        return _file_error(exc.messages[0])
    except sandbox.SandboxError as exc:
        return _file_error(str(exc))
    if read.get("error"):
        return _file_error(read["error"])
    cells = read["meta"]
    if cells is None:
        return _file_error(
            _("This file is not a report form downloaded from this system. Download the form and fill it in.")
        )
    try:
        meta = signing.loads(cells.get("signature", ""), salt=SALT)
    except signing.BadSignature:
        meta = None
    if not isinstance(meta, dict) or any(cells.get(k) != meta.get(k) for k in META_KEYS):
        return _file_error(
            _("The file's identification has been changed, so it cannot be trusted. Download the form again.")
        )
    expected = {"form": request.version.form.code, "version": str(request.version_id)}
    expected |= {"request": str(request.pk), "unit": str(unit.pk)}
    if any(meta[k] != v for k, v in expected.items()):
        return _file_error(
            _(
                "This file is for another unit, report or form version. Download the form for "
                "this report and fill it in."
            )
        )
    codes = set(request.version.indicators.values_list("code", flat=True))
    upload = Upload(revision=int(meta["revision"]))
    for number, code, value in read["rows"]:
        if code in codes and code not in upload.raw:
            upload.raw[code] = value.strip() if isinstance(value, str) else value
            upload.cells[code] = f"{VALUE_COL}{number}"
    return upload


def report_upload_xlsx(
    *, request: ReportRequest, unit: Unit, data: bytes, by, submit: bool = False
) -> Upload:
    """Read, check and save an uploaded form as a new version of the unit's report.

    Every error is returned, by cell; nothing is saved unless all figures pass."""
    upload = xlsx_read(data=data, request=request, unit=unit)
    if not upload.ok:
        return upload
    members = unit_rollup(unit=unit)["members"]
    checked = validate_values(version=request.version, raw=upload.raw, members=members)
    if not checked.ok:
        upload.errors = [
            CellError(upload.cells.get(e.code, ""), e.label, e.value, e.message) for e in checked.errors
        ]
        return upload
    try:
        with transaction.atomic():
            report = report_get_or_create(request=request, unit=unit)
            upload.version = report_save(
                report=report,
                raw=upload.raw,
                by=by,
                revision=upload.revision,
                submit=submit,
                source=ReportVersion.Source.XLSX,
            )
    except ReportInvalid as exc:
        upload.errors = [
            CellError(upload.cells.get(e.code, ""), e.label, e.value, e.message) for e in exc.checked.errors
        ]
    except ValidationError as exc:
        upload.errors = [CellError("", "", "", m) for m in exc.messages]
    return upload


def report_upload_run(job: UploadJob) -> Outcome:
    """The worker's part of an upload on the report form page."""
    from imports.upload_jobs import Outcome

    params = job.params
    request = ReportRequest.objects.select_related("version__form", "unit").get(pk=params["request"])
    unit = Unit.objects.get(pk=params["unit"])
    if job.created_by is not None and not can_write(user=job.created_by, unit=unit):
        raise PermissionDenied
    upload = report_upload_xlsx(
        request=request,
        unit=unit,
        data=Path(job.file.path).read_bytes(),
        by=job.created_by,
        submit=bool(params.get("submit")),
    )
    if not upload.ok:
        return Outcome(ok=False, errors=[e.__dict__ for e in upload.errors])
    report = upload.version.report
    try:
        next_url = reverse("reports:report-detail", kwargs={"pk": report.pk})
    except NoReverseMatch:
        next_url = reverse("reports:report-xlsx-upload", kwargs={"pk": report.pk})
    return Outcome(
        ok=True,
        next_url=next_url,
        message=_("The figures from the file have been saved."),
        result={"report": report.pk, "version": upload.version.pk},
    )


def errors_of_job(job: UploadJob) -> list[CellError]:
    """A failed upload job's errors, as the upload page lists them."""
    return [CellError(**e) for e in job.errors]
