"""Awards (khen thưởng): the catalogue with its rules as data, the register of everything ever
given, and the path from a unit's proposal through a council's vote to a signed decision.

Rules change between regulations, so conditions and quotas are rows an administrator edits;
a nomination keeps a snapshot of the rules it was made under. A decision, once issued, is never
edited: an amending or revoking decision is issued instead, and the register shows both.

One module per part of that path; every name is re-exported here, so `from awards.models import
X` works as it always did (and the migrations' `awards.models.new_verify_code` too)."""

from awards.models.catalogue import Award, AwardCondition, AwardQuota
from awards.models.common import (
    CODE_ALPHABET,
    CODE_LENGTH,
    COLLECTIVE_KINDS,
    PERSON_KINDS,
    USER,
    RecipientKind,
    new_notice_token,
    new_verify_code,
)
from awards.models.councils import BallotCast, BallotTally, Council, CouncilMember, Meeting, Recusal, Vote
from awards.models.decisions import (
    ISSUED_CHANGE,
    ISSUED_DELETE,
    Decision,
    DecisionFile,
    DecisionFileQuerySet,
    DecisionLine,
    DecisionLineQuerySet,
    DecisionQuerySet,
)
from awards.models.evidence import Initiative, ServicePeriod
from awards.models.nominations import (
    Nomination,
    NominationFile,
    NominationStep,
    Nominee,
    NoticeComment,
    PublicNotice,
    Round,
)
from awards.models.records import AwardRecord, BlankLayout, CertificateBatch
from lib.frozen import ImmutableError
from org.models import Sex, UnitLevel

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "COLLECTIVE_KINDS",
    "ISSUED_CHANGE",
    "ISSUED_DELETE",
    "PERSON_KINDS",
    "USER",
    "Award",
    "AwardCondition",
    "AwardQuota",
    "AwardRecord",
    "BallotCast",
    "BallotTally",
    "BlankLayout",
    "CertificateBatch",
    "Council",
    "CouncilMember",
    "Decision",
    "DecisionFile",
    "DecisionFileQuerySet",
    "DecisionLine",
    "DecisionLineQuerySet",
    "DecisionQuerySet",
    "ImmutableError",
    "Initiative",
    "Meeting",
    "Nomination",
    "NominationFile",
    "NominationStep",
    "Nominee",
    "NoticeComment",
    "PublicNotice",
    "RecipientKind",
    "Recusal",
    "Round",
    "ServicePeriod",
    "Sex",
    "UnitLevel",
    "Vote",
    "new_notice_token",
    "new_verify_code",
]
