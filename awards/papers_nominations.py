"""Nomination papers as `OfficialDoc`: the proposal letter (tờ trình) listing the nominees, and
each nominee's achievement report (báo cáo thành tích) for a person or for a collective; and the
whole dossier as one zip.

Like campaigns.papers, the text of these papers is Vietnamese by law, so it is written here as
such, not translated."""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

from accounts.scoping import can_read
from awards.models import Nomination, Nominee
from awards.selectors.nominations import achievement_summary, deciding_unit_for, nominees_of
from campaigns.papers import issuing_bodies
from documents.docx import build_docx
from documents.official import Block, OfficialDoc, Signer, number_line, place_date
from lib.downloads import ascii_filename
from org.models import Sex

if TYPE_CHECKING:
    from accounts.models import User

PERSON_SECTIONS = [
    ("duties", "1. Quyền hạn, nhiệm vụ được giao"),
    ("achievements", "2. Thành tích đạt được"),
    ("initiatives", "3. Sáng kiến, giải pháp, đề tài được công nhận"),
]
COLLECTIVE_SECTIONS = [
    ("overview", "1. Đặc điểm, tình hình"),
    ("results", "2. Kết quả thực hiện nhiệm vụ, các chỉ tiêu chủ yếu"),
    ("scores", "3. Kết quả chấm điểm, xếp loại thi đua"),
    ("initiatives", "4. Sáng kiến, giải pháp, mô hình hay"),
]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def _addressee(nomination: Nomination) -> str:
    decider = deciding_unit_for(unit=nomination.unit, award=nomination.award)
    if decider.pk == nomination.unit_id:
        return f"Hội đồng Thi đua - Khen thưởng {nomination.unit.name}"
    parent = nomination.unit.get_parent()
    return f"Ban Thường vụ {parent.name}" if parent else nomination.unit.name


def proposal_letter(nomination: Nomination) -> OfficialDoc:
    """The covering letter of the dossier: grounds, the request and the list of nominees."""
    nominees = nominees_of(nomination)
    award, rnd, unit = nomination.award, nomination.round, nomination.unit
    persons = sum(1 for n in nominees if n.is_person)
    collectives = len(nominees) - persons
    counted = " và ".join(
        part
        for part in (
            f"{persons:02d} cá nhân" if persons else "",
            f"{collectives:02d} tập thể" if collectives else "",
        )
        if part
    )
    theme = f" (chuyên đề “{rnd.theme}”)" if rnd.theme else ""
    blocks = [Block("paragraph", f"Kính gửi: {_addressee(nomination)}.", bold=True)]
    if award.regulation:
        blocks.append(Block("paragraph", f"Căn cứ {award.regulation};"))
    if nomination.minutes_number:
        blocks.append(
            Block(
                "paragraph",
                f"Căn cứ Biên bản họp Hội đồng Thi đua - Khen thưởng {unit.name} số {nomination.minutes_number};",
            )
        )
    blocks.append(
        Block(
            "paragraph",
            f"{unit.name} kính đề nghị xem xét, tặng “{award.name}” năm {rnd.year}{theme} cho "
            f"{counted or 'các cá nhân, tập thể'} có thành tích xuất sắc, cụ thể như sau:",
        )
    )
    rows = [["STT", "Họ và tên / Tên tập thể", "Chức vụ", "Đơn vị", "Tóm tắt thành tích"]]
    for i, n in enumerate(nominees, start=1):
        rows.append([str(i), n.name, n.position_title, n.unit.name, achievement_summary(n, limit=300)])
    blocks.append(
        Block("table", rows=rows) if nominees else Block("paragraph", "(Chưa có danh sách.)", italic=True)
    )
    blocks.append(Block("paragraph", "(Có báo cáo thành tích và hồ sơ kèm theo.)", italic=True))
    if nomination.note:
        blocks += [Block("paragraph", line) for line in _lines(nomination.note)]
    blocks.append(Block("paragraph", f"{unit.name} kính trình xem xét, quyết định./."))
    parent, issuer = issuing_bodies(unit)
    return OfficialDoc(
        parent_body=parent,
        issuing_body=issuer,
        number=number_line(nomination.letter_number, placeholder="/TTr"),
        place_date=place_date("", nomination.letter_date),
        kind="TỜ TRÌNH",
        title=f"Về việc đề nghị tặng {award.name} năm {rnd.year}",
        blocks=blocks,
        recipients=["- Như trên;", "- Lưu: VT."],
        signer=Signer("TM. BAN CHẤP HÀNH", "CHỦ TỊCH", ""),
    )


def _section(blocks: list[Block], heading: str, text: str) -> None:
    blocks.append(Block("paragraph", f"{heading}:", bold=True))
    lines = _lines(text)
    blocks += [Block("paragraph", line) for line in lines] or [Block("paragraph", "(Không có.)", italic=True)]


def achievement_report(nominee: Nominee, *, reader: User) -> OfficialDoc:
    """The nominee's achievement report in the form for persons or for collectives.

    Sex, birth date and ethnicity come from the member's current record, so they are printed
    only for a `reader` who may read the member's current unit: a unit the member has left
    keeps the paper, not the person's data as changed since (like the register's exports)."""
    nomination = nominee.nomination
    award, a = nomination.award, nominee.achievement or {}
    blocks: list[Block] = []
    if nominee.is_person:
        member = nominee.member
        blocks.append(Block("heading", "I. SƠ LƯỢC LÝ LỊCH"))
        blocks.append(Block("item", f"Họ và tên: {nominee.name}"))
        if member is not None and can_read(user=reader, unit=member.unit):
            sex = {Sex.MALE: "Nam", Sex.FEMALE: "Nữ"}.get(member.sex, "")
            if sex:
                blocks.append(Block("item", f"Giới tính: {sex}"))
            if member.date_of_birth:
                blocks.append(Block("item", f"Ngày sinh: {member.date_of_birth:%d/%m/%Y}"))
            if member.ethnicity:
                blocks.append(Block("item", f"Dân tộc: {member.ethnicity}"))
        blocks.append(Block("item", f"Chức vụ: {a.get('position') or nominee.position_title or '…'}"))
        blocks.append(Block("item", f"Đơn vị công tác: {a.get('unit_name') or nominee.unit.name}"))
        blocks.append(Block("heading", "II. THÀNH TÍCH ĐẠT ĐƯỢC"))
        for key, heading in PERSON_SECTIONS:
            _section(blocks, heading, a.get(key, ""))
        signer = Signer("NGƯỜI BÁO CÁO THÀNH TÍCH", "", nominee.name)
        kind_line = "BÁO CÁO THÀNH TÍCH CÁ NHÂN"
    else:
        blocks.append(Block("heading", "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH"))
        blocks.append(Block("item", f"Tên tập thể: {nominee.name}"))
        if nominee.unit.address:
            blocks.append(Block("item", f"Địa chỉ: {nominee.unit.address}"))
        blocks.append(Block("heading", "II. THÀNH TÍCH ĐẠT ĐƯỢC"))
        for key, heading in COLLECTIVE_SECTIONS:
            _section(blocks, heading, a.get(key, ""))
        signer = Signer("TM. BAN CHẤP HÀNH", "CHỦ TỊCH", "")
        kind_line = "BÁO CÁO THÀNH TÍCH TẬP THỂ"
    blocks.append(Block("heading", "III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC GHI NHẬN"))
    titles = _lines(a.get("titles", ""))
    blocks += [Block("item", line) for line in titles] or [Block("paragraph", "(Chưa có.)", italic=True)]
    parent, issuer = issuing_bodies(nominee.unit)
    return OfficialDoc(
        parent_body=parent,
        issuing_body=issuer,
        number="",
        place_date=place_date("", None),
        kind=kind_line,
        title=f"Đề nghị tặng {award.name} năm {nomination.round.year}",
        blocks=blocks,
        recipients=[],
        signer=signer,
    )


def letter_stem(nomination: Nomination) -> str:
    return f"Tờ trình {nomination.award.name} {nomination.round.year} {nomination.unit.code}"


def report_stem(nominee: Nominee) -> str:
    return f"Báo cáo thành tích {nominee.name}"


def dossier_zip(nomination: Nomination, *, reader: User) -> bytes:
    """The letter and every nominee's achievement report as .docx files in one zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            ascii_filename(f"00 {letter_stem(nomination)}.docx"), build_docx(proposal_letter(nomination))
        )
        for i, nominee in enumerate(nominees_of(nomination), start=1):
            nominee.nomination = nomination
            name = ascii_filename(f"{i:02d} {report_stem(nominee)}.docx")
            zf.writestr(name, build_docx(achievement_report(nominee, reader=reader)))
    return out.getvalue()
