"""Plan imports are audited (who read which file into which unit, and the draft it became);
the text and the parse stay out of the log, they are kept on the row itself."""

from imports import models as m
from lib.audit import audit_bulk_register, audit_register

audit_register(m.PlanImport, unit="unit_id", exclude_fields=["source_text", "parsed", "spans", "flags"])
# A roster import is audited as one entry on its job, naming the members it wrote by their ids.
audit_bulk_register(m.ImportJob)
