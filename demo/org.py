"""The demo's unit tree and members.

Quảng Trị with its real pre-2025 upper-level unions, part of Quảng Bình (so scoping can be
seen), a few hundred grassroots unions and some thousands of members. Deterministic: the same
seed gives the same data on every machine. Units go through `unit_create` (a few hundred, so
one by one is fast enough); members are bulk-inserted and the unit counts recomputed once.
"""

import datetime
import random
from dataclasses import dataclass, field

from demo import people as P
from demo import places as D
from lib.text import fold
from org.models import Member, MemberStatus, Sex, Unit, UnitKind
from org.services.counts import counts_recompute
from org.services.units import unit_create
from org.validators import VALID_PROVINCE_CODES

SEED = 2021
PROVINCE_CODES = sorted(VALID_PROVINCE_CODES)
CDCS_DEMO_CODE = "QT.DH.001"  # Công đoàn Trường THCS Nguyễn Trãi, Đông Hà
SIGNER = "Nguyễn Thị Thu Hà"  # signs the seed plan as Vice-President of the provincial federation
SIGNER_UNIT_NAME = "Công đoàn Cơ quan Liên đoàn Lao động tỉnh"
MINORITY_SHARE = {"QT.HH": 0.45, "QT.DK": 0.6}  # Vân Kiều and Pa Kô members in the mountain districts
FEMALE_SHARE = {
    "school": 0.7,
    "health": 0.65,
    "agency": 0.5,
    "company": 0.5,
    "forestry": 0.25,
    "commune": 0.4,
}


@dataclass
class Grassroots:
    unit: Unit
    profile: str
    province: str  # "QT" or "QB"
    district: str  # code of the upper-level unit
    weight: int
    targets: list[Unit] = field(default_factory=list)  # the unit and its union groups


def load_org_demo(*, members: int) -> int:
    """Build the tree and `members` members (at least one), recount the units; returns the members."""
    builder = _OrgBuilder()
    grassroots = builder.build_tree()
    n_members = builder.build_members(grassroots, max(members, 1))
    counts_recompute()
    return n_members


class _OrgBuilder:
    """Draws the tree and then the members from one random stream, in a fixed order."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.cccds: set[str] = set()
        self.card_seq = 0

    # -- tree --------------------------------------------------------------------------------

    def date(self, start_year: int, end_year: int) -> datetime.date:
        start = datetime.date(start_year, 1, 1).toordinal()
        end = datetime.date(end_year, 12, 31).toordinal()
        return datetime.date.fromordinal(self.rng.randint(start, end))

    def build_tree(self) -> list[Grassroots]:
        code, name, short, address = D.CONFEDERATION
        root = _upper_union(
            None, code, name, short, UnitKind.CONFEDERATION, address, datetime.date(1929, 7, 28)
        )
        grassroots: list[Grassroots] = []
        for prov, districts, others, founded in (
            ("QT", D.QT_DISTRICTS, D.QT_OTHER_UPPER, datetime.date(1989, 7, 1)),
            ("QB", D.QB_DISTRICTS, D.QB_OTHER_UPPER, datetime.date(1989, 7, 1)),
        ):
            code, name, short, address = D.PROVINCES[prov]
            province = _upper_union(root, code, name, short, UnitKind.PROVINCE, address, founded)
            province_name = name.removeprefix("Liên đoàn Lao động ")
            for suffix, dname, dshort, _place, communes in districts:
                grassroots += self.build_district(
                    province, prov, province_name, suffix, dname, dshort, communes
                )
            for suffix, kind, uname, ushort, units in others:
                upper = _upper_union(
                    province, f"{prov}.{suffix}", uname, ushort, kind, address, self.date(1990, 2005)
                )
                for i, (gname, sector, profile) in enumerate(units, start=1):
                    grassroots.append(self.add_grassroots(upper, prov, i, gname, sector, profile, address))
        self.add_groups(grassroots)
        return grassroots

    def build_district(
        self,
        province: Unit,
        prov: str,
        province_name: str,
        suffix: str,
        name: str,
        short: str,
        communes: list[str],
    ) -> list[Grassroots]:
        place = name.removeprefix("Liên đoàn Lao động ")  # "huyện Vĩnh Linh"
        code = f"{prov}.{suffix}"
        upper = _upper_union(
            province, code, name, short, UnitKind.DISTRICT, f"{place}, {province_name}", self.date(1990, 1997)
        )
        rng = self.rng
        out: list[Grassroots] = []

        def add(gname: str, sector: str, profile: str, where: str = "") -> None:
            address = f"{where + ', ' if where else ''}{place}, {province_name}"
            out.append(self.add_grassroots(upper, prov, len(out) + 1, gname, sector, profile, address))

        if code == "QT.DH":
            add("Công đoàn Trường THCS Nguyễn Trãi", "public_service", "school", "Phường 1")
        area = place.split(" ", 1)[0]  # huyện / thị xã / thành phố
        add(f"Công đoàn Cơ quan UBND {place}", "state", "agency")
        add(
            f"Công đoàn Cơ quan {'Thành ủy' if area == 'thành' else 'Thị ủy' if area == 'thị' else 'Huyện ủy'} "
            f"{place.split(' ', 1 if area == 'huyện' else 2)[-1]}",
            "state",
            "agency",
        )
        add(f"Công đoàn Phòng Giáo dục và Đào tạo {place}", "state", "agency")
        for commune in communes:
            where = _commune_place(commune)
            options = [
                (f"Công đoàn Trường Mầm non {commune}", "public_service", "school"),
                (f"Công đoàn Trường Tiểu học {commune}", "public_service", "school"),
                (f"Công đoàn Trường THCS {commune}", "public_service", "school"),
                (f"Công đoàn Trạm Y tế {where}", "public_service", "health"),
                (f"Công đoàn cơ sở {where}", "state", "commune"),
            ]
            for gname, sector, profile in rng.sample(options, 1 + (rng.randint(0, 1) if prov == "QT" else 0)):
                add(gname, sector, profile, where)
        for _ in range(rng.randint(2, 4)):
            company = (
                f"Công đoàn {rng.choice(D.COMPANY_FORMS)} {rng.choice(D.COMPANY_TRADES)} "
                f"{rng.choice(D.COMPANY_NAMES)}"
            )
            if any(g.unit.name == company for g in out):
                continue
            add(company, "non_state", "company", _commune_place(rng.choice(communes)))
        return out

    def add_grassroots(
        self, upper: Unit, prov: str, i: int, name: str, sector: str, profile: str, address: str
    ) -> Grassroots:
        unit = unit_create(
            parent=upper,
            code=f"{upper.code}.{i:03d}",
            name=name,
            kind=UnitKind.GRASSROOTS,
            sector=sector,
            address=address,
            established_on=self.date(1976, 2018),
        )
        low, high = D.SIZES[profile]
        weight = 40 if unit.code == CDCS_DEMO_CODE else self.rng.randint(low, high)
        return Grassroots(
            unit=unit, profile=profile, province=prov, district=upper.code, weight=weight, targets=[unit]
        )

    def add_groups(self, grassroots: list[Grassroots]) -> None:
        """A few union groups under the larger schools, hospitals and companies."""
        candidates = [
            g
            for g in grassroots
            if g.profile in D.GROUP_NAMES and g.weight >= 35 and "Trạm Y tế" not in g.unit.name
        ]
        chosen = [g for g in grassroots if g.unit.code == CDCS_DEMO_CODE]
        chosen += self.rng.sample(candidates, min(len(candidates), 14))
        for g in chosen:
            for j, gname in enumerate(D.GROUP_NAMES[g.profile], start=1):
                group = unit_create(
                    parent=g.unit,
                    code=f"{g.unit.code}.T{j}",
                    name=gname,
                    kind=UnitKind.GROUP,
                    sector=g.unit.sector,
                    address=g.unit.address,
                    established_on=g.unit.established_on,
                )
                g.targets.append(group)

    # -- members -----------------------------------------------------------------------------

    def build_members(self, grassroots: list[Grassroots], total: int) -> int:
        total -= 1  # the signer is added by hand
        weights = sum(g.weight for g in grassroots)
        sizes = [total * g.weight // weights for g in grassroots]
        for i in range(total - sum(sizes)):  # hand out the rounding remainder
            sizes[i % len(sizes)] += 1
        rows: list[Member] = []
        for g, size in zip(grassroots, sizes, strict=True):
            for _ in range(size):
                rows.append(self.make_member(g))
        signer_unit = next(g for g in grassroots if g.unit.name == SIGNER_UNIT_NAME)
        signer = self.make_member(signer_unit)
        signer.unit = signer_unit.unit
        signer.full_name, signer.sex, signer.status = SIGNER, Sex.FEMALE, MemberStatus.ACTIVE
        signer.name_folded = fold(SIGNER)
        signer.position, signer.ethnicity = "Phó Chủ tịch LĐLĐ tỉnh", "Kinh"
        signer.date_of_birth = datetime.date(1972, 8, 15)
        signer.cccd = self.cccd("045", signer.date_of_birth, female=True)
        rows.append(signer)
        Member.objects.bulk_create(rows, batch_size=1000)
        return len(rows)

    def cccd(self, province_code: str, born: datetime.date, *, female: bool) -> str:
        century = 0 if born.year < 2000 else 2
        while True:
            value = f"{province_code}{century + female}{born.year % 100:02d}{self.rng.randint(0, 999999):06d}"
            if value not in self.cccds:
                self.cccds.add(value)
                return value

    def make_member(self, g: Grassroots) -> Member:
        rng = self.rng
        female = rng.random() < FEMALE_SHARE[g.profile]
        minority = rng.random() < MINORITY_SHARE.get(g.district, 0.0)
        if minority:
            family = rng.choice(P.MINORITY_FAMILY)
            middle = "Thị" if female else "Văn"
            given = rng.choice(P.MINORITY_GIVEN_FEMALE if female else P.MINORITY_GIVEN_MALE)
            ethnicity = rng.choice(["Vân Kiều", "Vân Kiều", "Pa Kô"])
        else:
            family = rng.choices([f for f, _ in P.FAMILY_NAMES], [w for _, w in P.FAMILY_NAMES])[0]
            middle = rng.choice(P.MIDDLE_FEMALE if female else P.MIDDLE_MALE)
            given = rng.choice(P.GIVEN_FEMALE if female else P.GIVEN_MALE)
            ethnicity = "Kinh"
        full_name = f"{family} {middle} {given}"
        born = self.date(1965, 2003)
        home = "045" if g.province == "QT" else "044"
        origin = rng.choices(
            [home, "044" if home == "045" else "045", rng.choice(PROVINCE_CODES)], [85, 10, 5]
        )[0]
        joined = self.date(max(born.year + 20, 1990), 2023)
        positions = P.POSITIONS[g.profile]
        status = MemberStatus.ACTIVE
        changed = None
        if rng.random() < 0.03:
            status = rng.choice([MemberStatus.LEFT, MemberStatus.MOVED, MemberStatus.DECEASED])
            changed = self.date(2021, 2024)
        card = ""
        if rng.random() < 0.85:
            self.card_seq += 1
            card = f"{g.province}{self.card_seq:07d}"
        unit = g.targets[0] if len(g.targets) == 1 or rng.random() < 0.4 else rng.choice(g.targets[1:])
        return Member(
            unit=unit,
            full_name=full_name,
            name_folded=fold(full_name),
            date_of_birth=born,
            sex=Sex.FEMALE if female else Sex.MALE,
            cccd=self.cccd(origin, born, female=female),
            phone=f"{rng.choice(P.PHONE_PREFIXES)}{rng.randint(0, 9999999):07d}"
            if rng.random() < 0.9
            else "",
            position=rng.choices([p for p, _ in positions], [w for _, w in positions])[0],
            ethnicity=ethnicity,
            joined_on=joined,
            card_number=card,
            status=status,
            status_changed_on=changed,
        )


def _upper_union(
    parent: Unit | None, code: str, name: str, short: str, kind: str, address: str, founded: datetime.date
) -> Unit:
    """A federation or an upper-level union of the demo tree: all are state-sector bodies."""
    return unit_create(
        parent=parent,
        code=code,
        name=name,
        short_name=short,
        kind=kind,
        sector="state",
        address=address,
        established_on=founded,
    )


def _commune_place(commune: str) -> str:
    """'Vĩnh Thái' -> 'xã Vĩnh Thái'; wards keep their name; towns become 'thị trấn ...'."""
    if commune.startswith("Phường"):
        return commune
    if commune in D.WARDS:
        return f"phường {commune}"
    return f"thị trấn {commune}" if commune in D.TOWNS else f"xã {commune}"
