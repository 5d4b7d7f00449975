"""The default catalogue: the titles and forms of the union's award regulations, each rule with
the regulation it came from (../shared/AWARDS.md). Loaded once at the root; administrators edit
it afterwards in the browser, and a federation adds its own forms."""

from __future__ import annotations

from django.db import transaction

from awards.models import Award, AwardCondition, AwardQuota
from lib.text import fold
from org.models import Unit, UnitLevel

QD_999 = "Quyết định 999/QĐ-TLĐ ngày 29/5/2024 của Đoàn Chủ tịch Tổng LĐLĐ Việt Nam"
LUAT_2022 = "Luật Thi đua, khen thưởng 2022 và Nghị định 98/2023/NĐ-CP"
GUIDE = "Hướng dẫn đánh giá, xếp loại công đoàn cơ sở của Tổng LĐLĐ Việt Nam"

C, P, G, U, F = Award.Certificate, Award.Period, UnitLevel.GRASSROOTS, UnitLevel.UPPER, Award.Kind.FORM
PROVINCE, CONFED = UnitLevel.PROVINCE, UnitLevel.CONFEDERATION
K = AwardCondition.Kind
S = AwardQuota.Scope

# code, name, kind, period, recipients, proposers, decider level, decided outside,
# pass % , strictly more, secret, public notice days, certificate, heading, regulation, conditions, quotas
CATALOGUE: list[dict] = [
    dict(
        code="doan-vien-xuat-sac",
        name="Đoàn viên công đoàn xuất sắc",
        kind=Award.Kind.TITLE,
        recipient_kinds=["member"],
        proposer_levels=[G, UnitLevel.GROUP],
        decider_level=G,
        certificate=C.GIAY_KHEN,
        certificate_heading="GIẤY KHEN",
        regulation=QD_999,
        conditions=[
            (K.MANUAL, {}, "Đoàn viên tốt, hoàn thành nhiệm vụ được giao, tích cực tham gia các phong trào"),
        ],
    ),
    dict(
        code="to-cong-doan-vung-manh",
        name="Tổ công đoàn vững mạnh",
        kind=Award.Kind.TITLE,
        recipient_kinds=["union_group"],
        proposer_levels=[G],
        decider_level=G,
        certificate=C.GIAY_KHEN,
        certificate_heading="GIẤY KHEN",
        regulation=QD_999,
        conditions=[(K.MANUAL, {}, "Được đánh giá, xếp loại “vững mạnh” trong năm")],
    ),
    dict(
        code="cdcs-vung-manh",
        name="Công đoàn cơ sở vững mạnh",
        kind=Award.Kind.TITLE,
        recipient_kinds=["grassroots"],
        proposer_levels=[G, U],
        decider_level=U,
        certificate=C.GIAY_CHUNG_NHAN,
        certificate_heading="GIẤY CHỨNG NHẬN",
        regulation=GUIDE,
        conditions=[
            (
                K.SCORE,
                {"min_share": "0.70", "offset": 0},
                "Xếp loại “vững mạnh” theo ba nhóm tiêu chí: đại diện, bảo vệ; xây dựng tổ chức và phát triển đoàn viên; tham gia các phong trào",
            )
        ],
    ),
    dict(
        code="cdcs-vung-manh-xuat-sac",
        name="Công đoàn cơ sở vững mạnh xuất sắc",
        kind=Award.Kind.TITLE,
        recipient_kinds=["grassroots"],
        proposer_levels=[G, U],
        decider_level=U,
        certificate=C.GIAY_CHUNG_NHAN,
        certificate_heading="GIẤY CHỨNG NHẬN",
        regulation=GUIDE,
        conditions=[
            (K.SCORE, {"min_share": "0.90", "offset": 0}, "Xếp loại “vững mạnh xuất sắc” (từ 90% số điểm)")
        ],
        quotas=[(S.SHARE_OF_NOMINEES, None, "20", "cdcs-vung-manh")],
    ),
    dict(
        code="lao-dong-tien-tien",
        name="Lao động tiên tiến",
        kind=Award.Kind.TITLE,
        recipient_kinds=["person", "member"],
        proposer_levels=[G, UnitLevel.GROUP],
        decider_level=None,
        decided_outside="Thủ trưởng cơ quan, đơn vị, người sử dụng lao động",
        certificate=C.GIAY_CHUNG_NHAN,
        certificate_heading="GIẤY CHỨNG NHẬN",
        regulation=LUAT_2022,
        conditions=[
            (K.MANUAL, {}, "Hoàn thành tốt nhiệm vụ, chấp hành tốt chủ trương, chính sách, kỷ luật"),
        ],
    ),
    dict(
        code="cstd-co-so",
        name="Chiến sĩ thi đua cơ sở",
        kind=Award.Kind.TITLE,
        recipient_kinds=["person", "member"],
        proposer_levels=[G],
        decider_level=None,
        decided_outside="Thủ trưởng cơ quan, đơn vị",
        pass_percent=70,
        pass_strictly_more=False,
        secret_ballot=True,
        certificate=C.GIAY_CHUNG_NHAN,
        certificate_heading="GIẤY CHỨNG NHẬN",
        regulation=LUAT_2022,
        conditions=[
            (
                K.AWARD_THIS_YEAR,
                {"award": "lao-dong-tien-tien"},
                "Đạt danh hiệu “Lao động tiên tiến” trong năm",
            ),
            (
                K.INITIATIVE,
                {"max_level": int(G), "window": 1},
                "Có sáng kiến, giải pháp được công nhận và áp dụng tại cơ sở",
            ),
        ],
    ),
    dict(
        code="cstd-cap-tinh",
        name="Chiến sĩ thi đua cấp tỉnh, ngành",
        kind=Award.Kind.TITLE,
        recipient_kinds=["person", "member"],
        proposer_levels=[G, U],
        decider_level=PROVINCE,
        pass_percent=80,
        pass_strictly_more=False,
        secret_ballot=True,
        certificate=C.BANG_KHEN,
        certificate_heading="BẰNG CHIẾN SĨ THI ĐUA",
        regulation=LUAT_2022,
        conditions=[
            (
                K.PRIOR_AWARD,
                {"award": "cstd-co-so", "count": 3, "consecutive": True, "offset": 0},
                "Ba lần liên tục đạt danh hiệu “Chiến sĩ thi đua cơ sở”",
            ),
            (
                K.INITIATIVE,
                {"max_level": int(PROVINCE), "window": 3},
                "Có sáng kiến, giải pháp có hiệu quả, ảnh hưởng trong phạm vi tỉnh, ngành",
            ),
        ],
    ),
    dict(
        code="cstd-toan-quoc",
        name="Chiến sĩ thi đua toàn quốc",
        kind=Award.Kind.TITLE,
        recipient_kinds=["person", "member"],
        proposer_levels=[PROVINCE],
        decider_level=None,
        decided_outside="Thủ tướng Chính phủ",
        pass_percent=90,
        pass_strictly_more=False,
        secret_ballot=True,
        public_notice_days=10,
        certificate=C.BANG_KHEN,
        certificate_heading="BẰNG CHIẾN SĨ THI ĐUA TOÀN QUỐC",
        regulation=LUAT_2022,
        conditions=[
            (
                K.PRIOR_AWARD,
                {"award": "cstd-cap-tinh", "count": 2, "window": 6, "offset": 0},
                "Hai lần liên tục đạt danh hiệu “Chiến sĩ thi đua cấp tỉnh, ngành”",
            ),
            (
                K.INITIATIVE,
                {"max_level": int(CONFED), "window": 6},
                "Có sáng kiến, giải pháp có phạm vi ảnh hưởng toàn quốc",
            ),
        ],
    ),
    dict(
        code="co-thi-dua-ldld-tinh",
        name="Cờ thi đua của LĐLĐ tỉnh",
        kind=Award.Kind.TITLE,
        recipient_kinds=["collective"],
        proposer_levels=[U, G],
        decider_level=PROVINCE,
        certificate=C.CO,
        certificate_heading="CỜ THI ĐUA",
        regulation=QD_999,
        conditions=[
            (K.SCORE, {"max_rank": 1, "offset": 0}, "Dẫn đầu cụm, khối thi đua của LĐLĐ tỉnh trong năm")
        ],
    ),
    dict(
        code="co-thi-dua-tld",
        name="Cờ thi đua của Tổng LĐLĐ Việt Nam",
        kind=Award.Kind.TITLE,
        recipient_kinds=["collective"],
        proposer_levels=[PROVINCE],
        decider_level=CONFED,
        pass_percent=70,
        pass_strictly_more=False,
        certificate=C.CO,
        certificate_heading="CỜ THI ĐUA",
        regulation=QD_999,
        conditions=[
            (
                K.SCORE,
                {"max_rank": 1, "offset": 0},
                "Tập thể dẫn đầu cụm, khối thi đua của Tổng LĐLĐ Việt Nam",
            )
        ],
    ),
    dict(
        code="giay-khen",
        name="Giấy khen",
        kind=F,
        period=P.ANY,
        recipient_kinds=["person", "member", "collective"],
        proposer_levels=[G, U, UnitLevel.GROUP],
        decider_level=U,
        certificate=C.GIAY_KHEN,
        certificate_heading="GIẤY KHEN",
        regulation=QD_999,
        conditions=[
            (K.MANUAL, {}, "Thành tích xuất sắc trong một phong trào, một đợt thi đua hoặc trong năm")
        ],
    ),
    dict(
        code="bang-khen-ldld-tinh",
        name="Bằng khen của LĐLĐ tỉnh",
        kind=F,
        period=P.ANY,
        recipient_kinds=["person", "member", "collective"],
        proposer_levels=[G, U],
        decider_level=PROVINCE,
        certificate=C.BANG_KHEN,
        certificate_heading="BẰNG KHEN",
        regulation=QD_999,
        conditions=[(K.MANUAL, {}, "Thành tích xuất sắc; khen thường xuyên hằng năm hoặc khen chuyên đề")],
    ),
    dict(
        code="bang-khen-tld",
        name="Bằng khen của Tổng LĐLĐ Việt Nam",
        kind=F,
        recipient_kinds=["person", "member", "collective"],
        proposer_levels=[PROVINCE],
        decider_level=CONFED,
        pass_percent=70,
        pass_strictly_more=False,
        certificate=C.BANG_KHEN,
        certificate_heading="BẰNG KHEN",
        regulation=QD_999,
        conditions=[
            (
                K.PRIOR_AWARD,
                {"award": "bang-khen-ldld-tinh", "count": 2, "consecutive": True, "offset": 1},
                "Hai năm liên tục trước đó được tặng Bằng khen của LĐLĐ tỉnh, ngành",
            ),
        ],
        quotas=[(S.PROVINCE_THEME, 30, None, None)],
    ),
    dict(
        code="bang-khen-chuyen-de-tld",
        name="Bằng khen chuyên đề của Tổng LĐLĐ Việt Nam",
        kind=F,
        period=P.THEME,
        recipient_kinds=["person", "member", "collective"],
        proposer_levels=[PROVINCE],
        decider_level=CONFED,
        pass_percent=70,
        pass_strictly_more=False,
        certificate=C.BANG_KHEN,
        certificate_heading="BẰNG KHEN",
        regulation=QD_999,
        conditions=[
            (
                K.MANUAL,
                {},
                "Thành tích xuất sắc trong chuyên đề (“Xanh - Sạch - Đẹp, Bảo đảm ATVSLĐ”, “Giỏi việc nước, đảm việc nhà”…)",
            )
        ],
        quotas=[(S.NATION_THEME, 300, None, None), (S.PROVINCE_THEME, 4, None, None)],
    ),
    dict(
        code="bang-lao-dong-sang-tao",
        name="Bằng Lao động sáng tạo",
        kind=F,
        period=P.YEARLY,
        recipient_kinds=["person", "member", "collective"],
        proposer_levels=[PROVINCE],
        decider_level=CONFED,
        pass_percent=70,
        pass_strictly_more=False,
        certificate=C.BANG_KHEN,
        certificate_heading="BẰNG LAO ĐỘNG SÁNG TẠO",
        regulation=QD_999,
        conditions=[
            (
                K.INITIATIVE,
                {
                    "max_level": int(G),
                    "window": 1,
                    "min_value_by_level": {
                        str(int(CONFED)): 200_000_000,
                        str(int(PROVINCE)): 150_000_000,
                        str(int(U)): 100_000_000,
                        str(int(G)): 80_000_000,
                    },
                },
                "Sáng kiến, giải pháp có giá trị làm lợi được chứng minh đạt mức theo cấp công nhận (80–200 triệu đồng)",
            )
        ],
    ),
    dict(
        code="ky-niem-chuong",
        name="Kỷ niệm chương “Vì sự nghiệp xây dựng tổ chức Công đoàn”",
        kind=F,
        period=P.ANY,
        recipient_kinds=["person", "member"],
        proposer_levels=[G, U, PROVINCE],
        decider_level=CONFED,
        certificate=C.KY_NIEM_CHUONG,
        certificate_heading="GIẤY CHỨNG NHẬN KỶ NIỆM CHƯƠNG",
        regulation=QD_999,
        conditions=[
            (K.ONCE_IN_LIFE, {}, "Tặng một lần"),
            (
                K.SERVICE_YEARS,
                {"years": 20, "years_female": 15, "weights": {"part_time": 1.5, "non_state": 2}},
                "Đủ 20 năm công tác công đoàn (nữ 15 năm); kiêm nhiệm tính hệ số 1,5; doanh nghiệp ngoài nhà nước hệ số 2",
            ),
        ],
    ),
    dict(
        code="giai-thuong-nguyen-duc-canh",
        name="Giải thưởng Nguyễn Đức Cảnh",
        kind=F,
        period=P.ANY,
        recipient_kinds=["person", "member"],
        proposer_levels=[PROVINCE],
        decider_level=CONFED,
        pass_percent=70,
        pass_strictly_more=False,
        secret_ballot=True,
        public_notice_days=10,
        certificate=C.BANG_KHEN,
        certificate_heading="GIẢI THƯỞNG NGUYỄN ĐỨC CẢNH",
        regulation=QD_999,
        conditions=[
            (
                K.INITIATIVE,
                {"max_level": int(PROVINCE), "window": 5},
                "Công nhân có sáng kiến, giải pháp tiêu biểu được công nhận cấp tỉnh trở lên",
            )
        ],
    ),
    dict(
        code="gia-dinh-cnvcld-tieu-bieu",
        name="Gia đình CNVCLĐ tiêu biểu",
        kind=F,
        period=P.THEME,
        recipient_kinds=["family"],
        proposer_levels=[G, U],
        decider_level=PROVINCE,
        certificate=C.BANG_KHEN,
        certificate_heading="BẰNG KHEN",
        regulation=QD_999,
        conditions=[
            (
                K.MANUAL,
                {},
                "Gia đình công nhân, viên chức, lao động tiêu biểu (dịp Ngày Gia đình Việt Nam 28/6)",
            )
        ],
    ),
]


def load_default_awards(*, unit: Unit | None = None) -> int:
    """Create the default catalogue (national when `unit` is None), skipping codes that exist.
    Returns how many awards were created."""
    with transaction.atomic():
        return load_catalogue(Award, AwardCondition, AwardQuota, unit_id=unit.pk if unit else None)


def load_catalogue(award_model, condition_model, quota_model, *, unit_id: int | None = None) -> int:
    """The loader itself, given the model classes (a data migration passes its historical ones)."""
    existing = set(award_model.objects.values_list("code", flat=True))
    created = 0
    quotas_later: list[tuple] = []
    for position, entry in enumerate(CATALOGUE):
        data = dict(entry)
        conditions = data.pop("conditions", [])
        quotas = data.pop("quotas", [])
        if data["code"] in existing:
            continue
        data.setdefault("period", Award.Period.YEARLY)
        data["proposer_levels"] = [int(x) for x in data["proposer_levels"]]
        if data.get("decider_level") is not None:
            data["decider_level"] = int(data["decider_level"])
        data = {k: (str(v) if hasattr(v, "value") else v) for k, v in data.items()}
        award = award_model.objects.create(
            unit_id=unit_id, position=position, name_folded=fold(data["name"]), **data
        )
        for i, (kind, params, text) in enumerate(conditions):
            condition_model.objects.create(
                award=award, kind=str(kind), params=params, text=text, regulation=award.regulation, position=i
            )
        quotas_later.extend((award, q) for q in quotas)
        created += 1
    for award, (scope, limit, percent, of_code) in quotas_later:
        quota_model.objects.create(
            award=award,
            scope=str(scope),
            limit=limit,
            percent=percent,
            of_award=award_model.objects.filter(code=of_code).first() if of_code else None,
            regulation=award.regulation,
        )
    return created
