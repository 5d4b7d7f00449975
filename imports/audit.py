"""Plan imports are audited (who read which file into which unit, and the draft it became);
the text and the parse stay out of the log, they are kept on the row itself."""

from imports import models as m
from lib.audit import audit_register

audit_register(m.PlanImport, unit="unit_id", exclude_fields=["source_text", "parsed", "spans", "flags"])
