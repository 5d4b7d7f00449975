"""The stage for council and decision tests: Đông Hà's council with four seats, a round of
Giấy khen (decided at the upper level: Đông Hà) with two nominations before the council.

Seats: An (chair, works at Đông Hà), Bình (vice-chair, Đông Hà), Cường (works at the school),
Dung (works at the factory). Nominees: Hà (school) and Đức (factory). So Cường is recused on
Hà, Dung on Đức; each nominee has three voting seats when all four are present."""

from __future__ import annotations

import datetime

from awards.models import CouncilMember, Nomination
from awards.services import councils as services
from awards.tests import factories as f

HELD_ON = datetime.date(2025, 12, 20)


def send_to_council(nomination: Nomination, at_unit) -> Nomination:
    nomination.status = Nomination.Status.AT_COUNCIL
    nomination.at_unit = at_unit
    nomination.save(update_fields=["status", "at_unit"])
    return nomination


def build(t, code: str = "giay-khen") -> None:
    """Set the stage on the test class `t` (which has the lib.testing cast)."""
    t.council = f.make_council(
        t.dongha,
        [
            ("Nguyễn Văn An", t.dongha, None),
            ("Lê Thị Bình", t.dongha, None),
            ("Phạm Văn Cường", t.school, None),
            ("Hoàng Thị Dung", t.factory, None),
        ],
    )
    seats = {s.full_name.split()[-1]: s for s in t.council.seats.all()}
    t.an, t.binh, t.cuong, t.dung = seats["An"], seats["Bình"], seats["Cường"], seats["Dung"]
    CouncilMember.objects.filter(pk=t.binh.pk).update(role=CouncilMember.Role.VICE_CHAIR)
    t.award_round = f.make_round(t.dongha, 2025, (code,))
    t.nom_school = send_to_council(f.make_nomination(t.award_round, code, t.school, members=[t.ha]), t.dongha)
    t.nom_factory = send_to_council(
        f.make_nomination(t.award_round, code, t.factory, members=[t.duc]), t.dongha
    )
    t.nominee_ha = t.nom_school.nominees.get()
    t.nominee_duc = t.nom_factory.nominees.get()


def set_rules(nomination: Nomination, **rules) -> None:
    nomination.rules = {**nomination.rules, **rules}
    nomination.save(update_fields=["rules"])


def open_meeting(t, *, present=None, nominations=None, by=None):
    return services.meeting_open(
        council=t.council,
        round=t.award_round,
        held_on=HELD_ON,
        nominations=nominations or [t.nom_school, t.nom_factory],
        present=present or [t.an, t.binh, t.cuong, t.dung],
        created_by=by or t.alice,
        place="Hội trường LĐLĐ thành phố Đông Hà",
    )


def vote(t, meeting, nominee, seat, choice: str, by=None) -> None:
    services.vote_cast(meeting=meeting, nominee=nominee, seat=seat, choice=choice, by=by or t.alice)
