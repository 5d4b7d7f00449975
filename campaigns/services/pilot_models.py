"""Pilot models (mô hình điểm), their photos, and innovation contest entries: what units record
under a plan and what PILOT_MODEL / CONTEST_ENTRY targets count."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.scoping import can_write
from campaigns.models import ContestEntry, Movement, PilotModel, PilotModelPhoto, Plan
from org import tree
from org.models import Unit

if TYPE_CHECKING:
    from accounts.models import User

PHOTO_EXTENSIONS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP", ".gif": "GIF"}
PHOTO_MAX_BYTES = 5 * 1024 * 1024


def _check_unit(*, plan: Plan, unit: Unit, user: User) -> None:
    """Records go to an issued plan, from a unit of its subtree that the user may change."""
    if plan.status != Plan.Status.ISSUED:
        raise ValidationError(_("Only an issued plan can receive pilot models and contest entries."))
    if not tree.is_descendant(unit, plan.unit):
        raise ValidationError(_("The unit is not under the unit that issued the plan."))
    if not can_write(user=user, unit=unit):
        raise PermissionDenied


@transaction.atomic
def pilot_model_create(
    *,
    plan: Plan,
    unit: Unit,
    name: str,
    created_by: User,
    movement: Movement | None = None,
    description: str = "",
    status: str = PilotModel.Status.PLANNED,
    started_on: datetime.date | None = None,
) -> PilotModel:
    _check_unit(plan=plan, unit=unit, user=created_by)
    pilot = PilotModel(
        plan=plan,
        unit=unit,
        movement=movement,
        name=name.strip(),
        description=description.strip(),
        status=status,
        started_on=started_on,
        created_by=created_by,
    )
    pilot.full_clean()
    pilot.save()
    return pilot


@transaction.atomic
def pilot_model_update(
    *,
    pilot: PilotModel,
    updated_by: User,
    name: str,
    movement: Movement | None = None,
    description: str = "",
    started_on: datetime.date | None = None,
) -> PilotModel:
    """Change a pilot model's description (its unit and plan stay)."""
    if not can_write(user=updated_by, unit=pilot.unit):
        raise PermissionDenied
    pilot.name = name.strip()
    pilot.movement = movement
    pilot.description = description.strip()
    pilot.started_on = started_on
    pilot.full_clean()
    pilot.save(update_fields=["name", "movement", "description", "started_on"])
    return pilot


@transaction.atomic
def pilot_model_set_status(*, pilot: PilotModel, status: str, changed_by: User) -> PilotModel:
    if not can_write(user=changed_by, unit=pilot.unit):
        raise PermissionDenied
    if status not in PilotModel.Status.values:
        raise ValidationError(_("Unknown status."))
    pilot.status = status
    pilot.save(update_fields=["status"])
    return pilot


def photo_validate(upload: UploadedFile) -> None:
    """An image by extension, at most 5 MB, and through the upload gate (content sniffed by
    Pillow's header, pixel count against decompression bombs)."""
    from lib import uploads

    ext = Path(upload.name or "").suffix.lower()
    if ext not in PHOTO_EXTENSIONS:
        raise ValidationError(_("Upload a photo in JPEG, PNG, WebP or GIF format."))
    if upload.size is None or upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(_("A photo may be at most 5 MB."))
    try:
        uploads.check_upload(upload, kind="photo")
    except uploads.UploadRefused as exc:
        if exc.reason in ("disguised", "damaged", "type"):
            raise ValidationError(_("The file is not a readable image.")) from None
        raise ValidationError(str(exc)) from None


@transaction.atomic
def pilot_photo_add(
    *, pilot: PilotModel, upload: UploadedFile, caption: str = "", added_by: User
) -> PilotModelPhoto:
    if not can_write(user=added_by, unit=pilot.unit):
        raise PermissionDenied
    photo_validate(upload)
    photo = PilotModelPhoto(pilot_model=pilot, caption=caption.strip())
    ext = Path(upload.name).suffix.lower()
    photo.image.save(f"pilot-{pilot.pk}{ext}", upload, save=False)
    photo.save()
    return photo


@transaction.atomic
def contest_entry_create(
    *,
    plan: Plan,
    unit: Unit,
    title: str,
    created_by: User,
    authors: str = "",
    submitted_on: datetime.date | None = None,
) -> ContestEntry:
    _check_unit(plan=plan, unit=unit, user=created_by)
    entry = ContestEntry(
        plan=plan,
        unit=unit,
        title=title.strip(),
        authors=authors.strip(),
        submitted_on=submitted_on,
        created_by=created_by,
    )
    entry.full_clean()
    entry.save()
    return entry
