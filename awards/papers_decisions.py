"""The council's minutes (biên bản họp hội đồng) and award decisions (quyết định khen thưởng) as
papers in the Decree 30/2020/NĐ-CP layout (.docx, and PDF for decisions).

Their text is Vietnamese by law, so it is written here as such, not translated. Each mapper reads
its rows in a fixed number of queries."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from awards.models import CouncilMember, Decision, DecisionLine, Meeting, Recusal
from awards.selectors.councils import decision_lines, meeting_nominees, pass_rule, seat_order
from awards.services.certificates import certificate_heading
from awards.services.councils import meeting_counts, passes
from campaigns.papers import issuing_bodies, unit_heading_name
from documents import pdf as official_pdf
from documents.docx import build_docx
from documents.official import Block, OfficialDoc, Signer, number_line, place_date
from org import tree
from org.models import Unit

ROLES_VI = {
    CouncilMember.Role.CHAIR: "Chủ tịch Hội đồng",
    CouncilMember.Role.VICE_CHAIR: "Phó Chủ tịch Hội đồng",
    CouncilMember.Role.MEMBER: "Ủy viên",
    CouncilMember.Role.SECRETARY: "Thư ký",
}
RECUSALS_VI = {"self": "là người được đề nghị", "own_unit": "công tác tại đơn vị được đề nghị"}
DECIDE_LINE = "QUYẾT ĐỊNH:"
BOARDS = ("BAN THƯỜNG VỤ", "BAN CHẤP HÀNH")


def _dmy(date) -> str:
    return f"{date:%d/%m/%Y}" if date else "…/…/……"


def _percent(yes: int, of: int) -> str:
    if not of:
        return "-"
    value = round(yes * 100 / of, 2)
    return f"{value:g}".replace(".", ",") + "%"


def _rule_text(rules: dict) -> str:
    percent, strictly = pass_rule(rules)
    pct = f"{percent.normalize():f}".replace(".", ",")
    return f"trên {pct}%" if strictly else f"từ {pct}% trở lên"


# --- minutes -------------------------------------------------------------------------------------


def minutes_paper(meeting: Meeting) -> OfficialDoc:
    """The minutes: who sat, who was away, each list's ballot kind and threshold, per nominee the
    counts and the outcome, the recusals, and the conclusion."""
    return _minutes(meeting)[0]


def _minutes(meeting: Meeting) -> tuple[OfficialDoc, CouncilMember | None]:
    meeting = Meeting.objects.select_related("council__unit", "round").get(pk=meeting.pk)
    council, unit = meeting.council, meeting.council.unit
    seats = list(council.seats.select_related("unit").order_by(seat_order(), "full_name", "id"))
    present_ids = set(meeting.present.order_by().values_list("pk", flat=True))
    present = [s for s in seats if s.pk in present_ids]
    absent = [s for s in seats if s.pk not in present_ids and s.is_active]
    nominees = list(meeting_nominees(meeting))
    recusals = list(Recusal.objects.filter(meeting=meeting).select_related("seat", "nominee").order_by("id"))
    recused = {(r.nominee_id, r.seat_id) for r in recusals}
    counts = meeting_counts(meeting)
    closed = meeting.status == Meeting.Status.CLOSED
    chair = next((s for s in present if s.role == CouncilMember.Role.CHAIR), present[0] if present else None)
    secretary = next((s for s in present if s.role == CouncilMember.Role.SECRETARY), None)

    place = f" tại {meeting.place}" if meeting.place else ""
    blocks = [
        Block(
            "paragraph",
            f"Hôm nay, ngày {_dmy(meeting.held_on)}{place}, {council.name} họp xét khen thưởng "
            f"đợt \u201c{meeting.round.name}\u201d.",
        ),
        Block("heading", "I. THÀNH PHẦN"),
        Block(
            "paragraph",
            f"Tổng số thành viên Hội đồng: {len(present) + len(absent)}; có mặt: {len(present)}; "
            f"vắng mặt: {len(absent)}.",
        ),
    ]
    rows = [["STT", "Họ và tên", "Chức vụ", "Chức danh trong Hội đồng"]]
    rows += [[str(i), s.full_name, s.title, ROLES_VI.get(s.role, "")] for i, s in enumerate(present, start=1)]
    blocks.append(Block("table", rows=rows))
    if absent:
        blocks.append(Block("paragraph", "Vắng mặt: " + "; ".join(s.full_name for s in absent) + "."))
    if chair:
        blocks.append(Block("paragraph", f"Chủ trì cuộc họp: {chair.full_name}."))
    if secretary:
        blocks.append(Block("paragraph", f"Thư ký cuộc họp: {secretary.full_name}."))

    blocks.append(Block("heading", "II. NỘI DUNG VÀ KẾT QUẢ BIỂU QUYẾT"))
    blocks.append(
        Block(
            "paragraph",
            "Hội đồng đã xem xét hồ sơ đề nghị khen thưởng của các đơn vị và tiến hành biểu quyết; "
            "thành viên có xung đột lợi ích không tham gia biểu quyết. Kết quả như sau:",
        )
    )
    groups: dict[int, list] = {}
    for n in nominees:
        groups.setdefault(n.nomination.award_id, []).append(n)
    conclusions = []
    for i, group in enumerate(groups.values(), start=1):
        award = group[0].nomination.award
        rules = group[0].nomination.rules
        secret = bool((rules or {}).get("secret_ballot"))
        blocks.append(Block("paragraph", f"{i}. {award.name}", bold=True))
        blocks.append(
            Block(
                "paragraph",
                f"Hình thức: {'bỏ phiếu kín' if secret else 'biểu quyết công khai'}; tỷ lệ đạt: "
                f"{_rule_text(rules)} tổng số thành viên Hội đồng tham gia biểu quyết.",
            )
        )
        table = [
            ["STT", "Cá nhân, tập thể", "Đồng ý", "Không đồng ý", "Không ý kiến", "Tỷ lệ đồng ý", "Kết quả"]
        ]
        passed = 0
        for j, n in enumerate(group, start=1):
            if closed and n.votes_of is not None:
                yes, no, abstain, of = n.votes_yes or 0, n.votes_no or 0, n.votes_abstain or 0, n.votes_of
            else:
                c = counts[n.pk]
                yes, no, abstain = c["yes"], c["no"], c["abstain"]
                of = sum(1 for s in present if (n.pk, s.pk) not in recused)
            ok = passes(yes=yes, of=of, rules=n.nomination.rules)
            passed += ok
            outcome = ("Đạt" if ok else "Không đạt") if closed else "Chưa kết thúc"
            who = n.name if n.unit.name == n.name else f"{n.name} ({n.unit.name})"
            table.append([str(j), who, f"{yes}/{of}", str(no), str(abstain), _percent(yes, of), outcome])
        blocks.append(Block("table", rows=table))
        conclusions.append((award, passed, len(group)))
    if recusals:
        blocks.append(Block("paragraph", "Thành viên không tham gia biểu quyết:", bold=True))
        for r in recusals:
            blocks.append(
                Block(
                    "item",
                    f"{r.seat.full_name} đối với {r.nominee.name} ({RECUSALS_VI.get(r.reason, r.reason)});",
                )
            )

    blocks.append(Block("heading", "III. KẾT LUẬN"))
    if closed:
        for award, passed, total in conclusions:
            blocks.append(
                Block(
                    "paragraph",
                    f"{award.name}: {passed}/{total} cá nhân, tập thể đạt tỷ lệ phiếu theo quy định; "
                    "Hội đồng thống nhất đề nghị xét, quyết định khen thưởng.",
                )
            )
    else:
        blocks.append(Block("paragraph", "Cuộc họp chưa kết thúc biểu quyết.", italic=True))
    blocks.append(
        Block(
            "paragraph",
            "Biên bản đã được thông qua tại cuộc họp, các thành viên dự họp nhất trí với nội dung.",
        )
    )
    # "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG" under the unit's name, without repeating the name.
    body = council.name.upper().replace(unit.name.upper(), "").strip(" -") or "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"
    return OfficialDoc(
        parent_body=unit_heading_name(unit),
        issuing_body=body,
        number=number_line("", placeholder="/BB-HĐTĐKT"),
        place_date=place_date("", meeting.held_on),
        kind="BIÊN BẢN",
        title=f"Họp {council.name}\n({meeting.round.name})",
        blocks=blocks,
        signer=Signer("", "CHỦ TỌA", chair.full_name if chair else ""),
        recipients=[],
    ), secretary


def minutes_docx(meeting: Meeting) -> bytes:
    """The minutes as .docx, signed by the chair (right) and the secretary (left), as minutes are."""
    paper, secretary = _minutes(meeting)
    document = Document(BytesIO(build_docx(paper)))
    left = document.tables[-1].rows[0].cells[0]
    for p in list(left.paragraphs):
        p._p.getparent().remove(p._p)
    texts = ["THƯ KÝ", "", "", "", "", secretary.full_name if secretary else ""]
    for text in texts:
        para = left.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if text:
            run = para.add_run(text)
            run.bold = True
            run.font.size = Pt(14)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


# --- decisions -----------------------------------------------------------------------------------


def printed_names(decision: Decision, lines: list[DecisionLine]) -> None:
    """Set, in memory, what the papers print from other tables: the award's name, kind and
    certificate heading, the issuer's name and header lines, each line's unit and the unit above
    a collective, all as named today. `decision_issue` stores them; an issued decision keeps what
    was stored, and only rows stored without it (made outside the service) are filled here."""
    keep = decision.is_issued
    if not (keep and decision.award_name and decision.unit_name and decision.issuing_body):
        award, unit = decision.award, decision.unit
        parent_body, issuing_body = issuing_bodies(unit, authority=decision.signer_authority)
        decision.award_name, decision.award_kind = award.name, award.kind
        decision.certificate_heading = certificate_heading(award)
        decision.unit_name, decision.parent_body, decision.issuing_body = unit.name, parent_body, issuing_body
    missing = [line for line in lines if not (keep and line.unit_name)]
    # Collectives are printed with the unit above them: read those in one query.
    keys = {tree.parent_path(line.unit) for line in missing if not line.member_id} - {None}
    above = {tree.key(u): u.name for u in Unit.objects.filter(tree.keys_q(sorted(keys)))} if keys else {}
    for line in missing:
        line.unit_name = line.unit.name
        line.parent_name = "" if line.member_id else above.get(tree.parent_path(line.unit), "")


def _authority_line(decision: Decision) -> str:
    """'BAN THƯỜNG VỤ LIÊN ĐOÀN LAO ĐỘNG TỈNH QUẢNG TRỊ': who decides, above the grounds."""
    board = decision.signer_authority.upper().removeprefix("TM.").strip()
    name = decision.unit_name.upper()
    return f"{board} {name}" if board in BOARDS else name


def _whom(lines) -> str:
    persons = sum(1 for line in lines if line.member_id)
    collectives = len(lines) - persons
    parts = []
    if persons:
        parts.append(f"{persons:02d} cá nhân")
    if collectives:
        parts.append(f"{collectives:02d} tập thể")
    return " và ".join(parts) or "các cá nhân, tập thể"


def _where(line: DecisionLine) -> str:
    """A person's position and unit; a collective's unit above it."""
    if not line.member_id:
        return line.parent_name
    return ", ".join(x for x in (line.position_title, line.unit_name) if x)


def decision_paper(decision: Decision) -> OfficialDoc:
    """The decision: the deciding authority, its grounds, Article 1 with the table of recipients
    (or of the records revoked or amended), the articles on effect and execution, copies, signer.
    Names from other tables are the ones stored when it was issued (see `printed_names`)."""
    decision = Decision.objects.select_related("unit", "award", "amends__unit").get(pk=decision.pk)
    lines = list(decision_lines(decision))
    printed_names(decision, lines)
    blocks = [Block("heading", _authority_line(decision))]
    for text in (decision.grounds or "").splitlines():
        if text.strip():
            blocks.append(Block("paragraph", text.strip(), italic=True))
    for text in (decision.reason or "").splitlines():
        if text.strip():
            blocks.append(Block("paragraph", text.strip(), italic=True))
    blocks.append(Block("heading", DECIDE_LINE))
    award_name = decision.award_name
    amends = decision.amends
    ref = (
        f"Quyết định số {amends.number} ngày {_dmy(amends.signed_on)} của {amends.unit_label}"
        if amends
        else ""
    )
    executor = f"Văn phòng, bộ phận Thi đua - Khen thưởng của {decision.unit_name}"
    if decision.kind == Decision.Kind.AWARD:
        blocks.append(
            Block(
                "paragraph",
                f"Điều 1. Tặng {award_name} năm {decision.year} cho {_whom(lines)} có tên sau đây:",
            )
        )
        with_for = any(line.achievement for line in lines)
        head = ["STT", "Họ và tên / Tên tập thể", "Chức vụ, đơn vị"] + (["Thành tích"] if with_for else [])
        rows = [head]
        for i, line in enumerate(lines, start=1):
            row = [str(i), line.name, _where(line)]
            rows.append(row + ([line.achievement] if with_for else []))
        blocks.append(Block("table", rows=rows))
        blocks.append(Block("paragraph", "Điều 2. Quyết định có hiệu lực kể từ ngày ký."))
        blocks.append(
            Block(
                "paragraph",
                f"Điều 3. {executor} và các cá nhân, tập thể có tên tại Điều 1 chịu trách nhiệm thi hành "
                "Quyết định này./.",
            )
        )
    elif decision.kind == Decision.Kind.REVOKE:
        blocks.append(
            Block(
                "paragraph",
                f"Điều 1. Thu hồi {award_name} đã tặng tại {ref} đối với {_whom(lines)} có tên sau đây:",
            )
        )
        rows = [["STT", "Họ và tên / Tên tập thể", "Chức vụ, đơn vị"]]
        rows += [[str(i), line.name, _where(line)] for i, line in enumerate(lines, start=1)]
        blocks.append(Block("table", rows=rows))
        blocks.append(
            Block(
                "paragraph",
                "Điều 2. Các cá nhân, tập thể có tên tại Điều 1 nộp lại hiện vật khen thưởng đã nhận. "
                "Quyết định có hiệu lực kể từ ngày ký.",
            )
        )
        blocks.append(
            Block(
                "paragraph",
                f"Điều 3. {executor} và các cá nhân, tập thể có tên tại Điều 1 chịu trách nhiệm thi hành "
                "Quyết định này./.",
            )
        )
    else:
        blocks.append(
            Block("paragraph", f"Điều 1. Sửa đổi thông tin khen thưởng {award_name} tại {ref} như sau:")
        )
        rows = [["STT", "Đã ghi", "Nay sửa lại là"]]
        for i, line in enumerate(lines, start=1):
            old = line.corrects
            before = ", ".join(x for x in (old.name, old.position_title, old.unit_name) if x) if old else ""
            after = ", ".join(x for x in (line.name, line.position_title, line.unit_name) if x)
            rows.append([str(i), before, after])
        blocks.append(Block("table", rows=rows))
        blocks.append(
            Block(
                "paragraph",
                f"Điều 2. Các nội dung khác của {ref} giữ nguyên. Quyết định có hiệu lực kể từ ngày ký.",
            )
        )
        blocks.append(
            Block(
                "paragraph",
                f"Điều 3. {executor} và các cá nhân, tập thể có tên tại Điều 1 chịu trách nhiệm thi hành "
                "Quyết định này./.",
            )
        )
    return OfficialDoc(
        parent_body=decision.parent_body,
        issuing_body=decision.issuing_body,
        number=number_line(decision.number, placeholder="/QĐ"),
        place_date=place_date(decision.place, decision.signed_on),
        kind="QUYẾT ĐỊNH",
        title=f"Về việc {decision.title}",
        blocks=blocks,
        recipients=list(decision.recipients_copy or []),
        signer=Signer(decision.signer_authority, decision.signer_title, decision.signer_name),
    )


def decision_docx(decision: Decision) -> bytes:
    """The decision as .docx; the deciding authority and "QUYẾT ĐỊNH:" centred as Decree 30 sets."""
    paper = decision_paper(decision)
    document = Document(BytesIO(build_docx(paper)))
    centred = {_authority_line_text(paper), DECIDE_LINE}
    for para in document.paragraphs:
        if para.text.strip() in centred:
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            para.paragraph_format.first_line_indent = None
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _authority_line_text(paper: OfficialDoc) -> str:
    return paper.blocks[0].text if paper.blocks else ""


def decision_pdf(decision: Decision) -> bytes:
    """The decision as PDF: documents.pdf's header and footer, with the authority line and
    "QUYẾT ĐỊNH:" centred and the recipients' table sized to its columns."""
    official_pdf.register_fonts()
    paper = decision_paper(decision)
    out = BytesIO()
    template = SimpleDocTemplate(
        out,
        pagesize=A4,
        topMargin=official_pdf.TOP,
        bottomMargin=official_pdf.BOTTOM,
        leftMargin=official_pdf.LEFT,
        rightMargin=official_pdf.RIGHT,
        title=f"{paper.kind} {paper.number}".strip(),
        author=paper.issuing_body,
    )
    style = official_pdf.para_style
    body = style("d-body", align=TA_JUSTIFY, firstLineIndent=10 * mm, spaceAfter=5, leading=14 * 1.3)
    italic = style(
        "d-italic", align=TA_JUSTIFY, italic=True, firstLineIndent=10 * mm, spaceAfter=5, leading=18.2
    )
    centred = style("d-centred", bold=True, spaceBefore=4, spaceAfter=6)
    p = official_pdf.paragraph
    story = [
        official_pdf.official_header(paper),
        Spacer(1, 8 * mm),
        p(paper.kind, style("d-kind", bold=True)),
    ]
    story += [p(paper.title, style("d-title", bold=True)), Spacer(1, 3 * mm), official_pdf.rule_line(30 * mm)]
    story.append(Spacer(1, 3 * mm))
    for block in paper.blocks:
        if block.kind == "heading":
            story.append(p(block.text, centred))
        elif block.kind == "table":
            story += [_pdf_table(block.rows), Spacer(1, 3 * mm)]
        else:
            story.append(p(block.text, italic if block.italic else body))
    story += [Spacer(1, 4 * mm), official_pdf.official_footer(paper)]
    template.build(story)
    return out.getvalue()


def _pdf_table(rows: list[list[str]]) -> Table:
    """A grid whose number column is narrow and whose text columns share the rest."""
    width = official_pdf.TEXT_W
    number_w = 14 * mm
    rest = (width - number_w) / max(len(rows[0]) - 1, 1)
    head = official_pdf.para_style("d-th", size=12, bold=True)
    cell = official_pdf.para_style("d-td", size=12, align=TA_LEFT)
    data = [
        [official_pdf.paragraph(str(v), head if i == 0 else cell) for v in row] for i, row in enumerate(rows)
    ]
    table = Table(data, colWidths=[number_w] + [rest] * (len(rows[0]) - 1), repeatRows=1)
    table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    )
    return table


def paper_stem(decision: Decision) -> str:
    number = decision.number.replace("/", "-") if decision.number else f"du-thao-{decision.pk}"
    return f"Quyết định {number}"
