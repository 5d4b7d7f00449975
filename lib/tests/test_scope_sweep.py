"""A sweep over every URL of the project: nobody outside Alice's subtree reads or changes her data.

Every URL pattern is found by walking the resolver, so a new page or API endpoint fails
`test_every_url_pattern_is_in_the_sweep_table` until it is added to one of the tables below.
Then, for each pattern:
- charlie (officer and administrator in another province; the API through a token) GETs and
  POSTs (empty and plausible data) every URL built on Alice's objects: 403, 404 or 405 only;
  list and search pages may answer 200 but must show nothing of Alice's;
- bob (read-only at Alice's unit) is refused every write URL;
- anonymous users are sent to the login page (the API answers 401/403);
and the database is compared before and after: nothing may have changed.
Alice opening the same URLs is the control that the URLs really point at her objects.
"""

from __future__ import annotations

import datetime
import io
import shutil
import tempfile
from decimal import Decimal

import openpyxl
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token

from accounts.models import Role
from awards.models import Award
from awards.tests import factories_sweep as awards_sweep
from campaigns.models import ContestEntry, Movement, PilotModel, PilotModelPhoto
from campaigns.services import plans as plan_services
from campaigns.tests import factories_plans
from campaigns.tests.factories_documents import make_covenant, make_registration
from imports.models import ImportJob, UploadJob
from imports.plans import services as plan_import_services
from lib.testing import BaseTestCase, make_user
from lib.text import fold
from org.models import Member, Sex
from org.services.members import member_create, member_move
from reports.models import Report, ReportRequest, ScoreSheet
from reports.services import forms as form_services
from reports.services import reports as report_services
from reports.services import scoring as scoring_services
from reports.tests import factories_core, factories_scoring

MEDIA = tempfile.mkdtemp(prefix="thidua-sweep-test-")
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15"
    b"\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)

# Names of Alice's records that must never appear in a page another unit's user can open.
SECRET_DRAFT_TITLE = "Kế hoạch nháp riêng của Đông Hà"
SECRET_MOVEMENT = "Phong trào Xanh Đông Hà"
SECRET_PILOT = "Mô hình Tủ sách Lê Lợi"
SECRET_ENTRY = "Sáng kiến Máy cắt vải tự động"
SECRET_CLUSTER = "Cụm thi đua trường học Đông Hà"
SECRET_LAUNCH = "Hội trường Trường THPT Lê Lợi"
SECRET_FILE = "danh-sach-le-loi.csv"
SECRET_FORM = "Biểu mẫu báo cáo riêng của Đông Hà"
SECRET_REQUEST = "Yêu cầu báo cáo quý của Đông Hà"
SECRET_NOTE = "Nhận xét riêng của trường Lê Lợi"
SECRET_RETURN = "Trả lại: thiếu số liệu nhà máy"
SECRET_EVIDENCE = "minh-chung-le-loi.pdf"
SECRET_TABLE = "Bảng chấm điểm riêng của Đông Hà"
SECRET_REASON = "Chấm lại theo biên bản kiểm tra Lê Lợi"
SECRET_DECISION = "77/QĐ-LĐLĐĐH"
SECRET_DECISION_FILE = "qd-xep-hang-dong-ha.pdf"
GOOD = {**factories_core.GOOD, "note": "Nộp qua API"}
YEAR = factories_scoring.YEAR  # the published (frozen) ranking; YEAR + 1 is still being scored

# URL namespaces swept elsewhere or not yet built:
# - admin: Django's admin site; non-staff users never get past its login (test below).
SKIPPED_NAMESPACES = {"admin"}

# Patterns without ids: kind, fixed kwargs.
#   public  - open to anonymous users
#   page    - a list, search or form page: 200 allowed, but nothing of Alice's may show
#   static  - the same file for everyone (a blank template): 200 allowed
#   logout  - never POSTed by the sweep (it would end the session)
PLAIN_URLS: dict[str, tuple[str, dict]] = {
    "home": ("page", {}),
    "switch-language": ("public", {"code": "en"}),
    "accounts:login": ("public", {}),
    "healthz": ("public", {}),  # the load balancer's probes (lib/health.py)
    "readyz": ("public", {}),
    "accounts:logout": ("logout", {}),
    "accounts:password-change": ("page", {}),
    "accounts:password-change-done": ("page", {}),
    "accounts:user-list": ("page", {}),
    "accounts:user-create": ("page", {}),
    "org:unit-tree": ("page", {}),
    "org:unit-search": ("page", {}),
    "org:member-list": ("page", {}),
    "org:member-create": ("page", {}),
    "org:member-export": ("page", {}),
    "imports:job-create": ("page", {}),
    "imports:job-list": ("page", {}),
    "imports:template": ("static", {}),
    "campaigns:plan-list": ("page", {}),
    "campaigns:plan-create": ("page", {}),
    "campaigns:movement-list": ("page", {}),
    "campaigns:movement-create": ("page", {}),
    "campaigns:inbox": ("page", {}),
    "campaigns:registration-list": ("page", {}),
    "campaigns:pledge-template": ("static", {}),
    "campaigns:cluster-list": ("page", {}),
    "campaigns:cluster-create": ("page", {}),
    "api-schema": ("public", {}),
    "api-docs": ("public", {}),
    "api-token": ("public", {}),
    "api-logout": ("logout", {}),
    "api-unit-list": ("page", {}),
    "api-member-list": ("page", {}),
    "api-campaign-list": ("page", {}),
    "reports:form-list": ("page", {}),
    "reports:form-create": ("page", {}),
    "reports:request-list": ("page", {}),
    "reports:request-create": ("page", {}),
    "reports:report-list": ("page", {}),
    "reports:scoring-list": ("page", {}),
    "reports:scoring-create": ("page", {}),
    "api-report-forms": ("page", {}),
    "api-report-requests": ("page", {}),
    "api-reports": ("page", {}),
    "api-rollup": ("page", {}),
    "api-rankings": ("page", {}),
    "imports:plan-import": ("page", {}),
    "imports:plan-import-list": ("page", {}),
    "awards:home": ("page", {}),
    "awards:award-list": ("page", {}),
    "awards:award-create": ("page", {}),
    "awards:eligible-list": ("page", {}),
    "awards:eligible-export": ("page", {}),
    "awards:round-list": ("page", {}),
    "awards:round-create": ("page", {}),
    "awards:nomination-list": ("page", {}),
    "awards:nomination-inbox": ("page", {}),
    "awards:notice-public": ("public", {"token": awards_sweep.NOTICE_TOKEN}),
    "awards:council-list": ("page", {}),
    "awards:council-create": ("page", {}),
    "awards:decision-list": ("page", {}),
    "awards:decision-create": ("page", {}),
    "awards:certificate-list": ("page", {}),
    "awards:blank-list": ("page", {}),
    "awards:blank-create": ("page", {}),
    "awards:register": ("page", {}),
    "awards:register-export": ("page", {}),
    "awards:register-import": ("page", {}),
    "awards:register-template": ("static", {}),
    "awards:register-stats": ("page", {}),
    "awards:register-stats-export": ("page", {}),
    "verify-form": ("public", {}),
    "verify": ("public", {"code": awards_sweep.VERIFY_CODE}),
    "api-award-list": ("page", {}),
    "api-nomination-list": ("page", {}),
    "api-register-list": ("page", {}),
}

# Patterns taking ids: kind, {kwarg: attribute name(s) of Alice's objects}, fixed kwargs.
#   read  - bob (viewer) may open it; POST must not change anything
#   form  - bob may GET it; his POST must be refused
#   write - bob is refused both GET and POST
# A url name with several patterns (different kwargs) has one row each: "name (what)".
PLANS = ["draft_plan", "issued_plan", "qt_plan", "derived_plan"]
REPORTS = ["submitted_report", "returned_report"]
UNITS = ["school", "factory"]
SHEETS = ["frozen_sheet", "open_sheet", "draft_sheet"]
ID_URLS: dict[str, tuple[str, dict, dict]] = {
    "accounts:user-detail": ("write", {"pk": "dung"}, {}),
    "accounts:user-edit": ("write", {"pk": "dung"}, {}),
    "accounts:user-deactivate": ("write", {"pk": "dung"}, {}),
    "accounts:user-token-revoke": ("write", {"pk": "dung"}, {}),
    "accounts:role-grant": ("write", {"pk": "dung"}, {}),
    "accounts:role-revoke": ("write", {"pk": "dung_role"}, {}),
    "org:unit-detail": ("read", {"pk": ["dongha", "school"]}, {}),
    "org:unit-children": ("read", {"pk": "dongha"}, {}),
    "org:unit-history": ("read", {"pk": "school"}, {}),
    "org:unit-as-of": ("read", {"pk": "dongha"}, {}),
    "org:unit-audit": ("read", {"pk": "dongha"}, {}),
    "org:unit-create": ("write", {"pk": "dongha"}, {}),
    "org:unit-edit": ("write", {"pk": "school"}, {}),
    "org:unit-move": ("write", {"pk": "school"}, {}),
    "org:unit-merge": ("write", {"pk": "school"}, {}),
    "org:unit-split": ("write", {"pk": "school"}, {}),
    "org:unit-dissolve": ("write", {"pk": "factory"}, {}),
    "org:member-detail": ("read", {"pk": ["ha", "tam"]}, {}),
    "org:member-audit": ("read", {"pk": "ha"}, {}),
    "org:member-edit": ("write", {"pk": "ha"}, {}),
    "org:member-move": ("write", {"pk": "ha"}, {}),
    "org:member-status": ("write", {"pk": "ha"}, {}),
    "imports:job-detail": ("read", {"pk": "job"}, {}),
    "imports:job-progress": ("read", {"pk": "job"}, {}),
    "imports:job-errors": ("read", {"pk": "job"}, {"fmt": "csv"}),
    "imports:job-file": ("read", {"pk": "job"}, {}),
    "imports:job-rerun": ("write", {"pk": "job"}, {}),
    "imports:upload-job": ("write", {"pk": "upload_job"}, {}),
    "imports:upload-job-progress": ("write", {"pk": "upload_job"}, {}),
    "imports:upload-job-rerun": ("write", {"pk": "upload_job"}, {}),
    "campaigns:plan-detail": ("read", {"pk": PLANS}, {}),
    "campaigns:plan-edit": ("write", {"pk": ["draft_plan", "derived_plan"]}, {}),
    "campaigns:plan-issue": ("write", {"pk": "draft_plan"}, {}),
    "campaigns:plan-amend": ("write", {"pk": "issued_plan"}, {}),
    "campaigns:plan-close": ("write", {"pk": "issued_plan"}, {}),
    "campaigns:plan-derive": ("write", {"pk": "qt_plan"}, {}),
    "campaigns:plan-compare": ("read", {"pk": "derived_plan"}, {}),
    "campaigns:launch-create": ("write", {"pk": ["issued_plan", "qt_plan"]}, {}),
    "campaigns:plan-docx": ("read", {"pk": PLANS}, {}),
    "campaigns:plan-pdf": ("read", {"pk": "draft_plan"}, {}),
    "campaigns:registration-start": ("form", {"plan_pk": ["issued_plan", "qt_plan"]}, {}),
    "campaigns:registration-status": ("read", {"plan_pk": ["issued_plan", "qt_plan"]}, {}),
    "campaigns:registration-remind": ("write", {"plan_pk": ["issued_plan", "qt_plan"]}, {}),
    "campaigns:registration-detail": ("read", {"pk": "registration"}, {}),
    "campaigns:registration-edit": ("write", {"pk": "registration"}, {}),
    "campaigns:registration-submit": ("write", {"pk": "registration"}, {}),
    "campaigns:registration-reopen": ("write", {"pk": "registration"}, {}),
    "campaigns:pledge-add": ("write", {"pk": "registration"}, {}),
    "campaigns:pledge-remove": ("write", {"pk": "registration", "pledge_pk": "member_pledge"}, {}),
    "campaigns:pledge-import": ("write", {"pk": "registration"}, {}),
    "campaigns:registration-docx": ("read", {"pk": "registration"}, {}),
    "campaigns:registration-pdf": ("read", {"pk": "registration"}, {}),
    "campaigns:cluster-detail": ("read", {"pk": "cluster"}, {}),
    "campaigns:cluster-edit": ("write", {"pk": "cluster"}, {}),
    "campaigns:cluster-rotate": ("write", {"pk": "cluster"}, {}),
    "campaigns:covenant-create": ("write", {"pk": "cluster"}, {}),
    "campaigns:covenant-detail": ("read", {"pk": "covenant"}, {}),
    "campaigns:covenant-open": ("write", {"pk": "covenant"}, {}),
    "campaigns:covenant-sign": ("write", {"pk": "covenant"}, {}),
    "campaigns:covenant-docx": ("read", {"pk": "covenant"}, {}),
    "campaigns:covenant-pdf": ("read", {"pk": "covenant"}, {}),
    "campaigns:dashboard": ("read", {"pk": PLANS}, {}),
    "campaigns:target-export": ("read", {"pk": ["issued_plan", "qt_plan"]}, {}),
    "campaigns:registration-export": ("read", {"pk": ["issued_plan", "qt_plan"]}, {}),
    "campaigns:target-detail": ("read", {"pk": ["issued_target", "draft_target"]}, {}),
    "campaigns:pilot-list": ("read", {"pk": ["issued_plan", "draft_plan"]}, {}),
    "campaigns:pilot-create": ("write", {"pk": ["issued_plan", "qt_plan"]}, {}),
    "campaigns:pilot-detail": ("read", {"pk": "pilot"}, {}),
    "campaigns:pilot-edit": ("write", {"pk": "pilot"}, {}),
    "campaigns:pilot-status": ("write", {"pk": "pilot"}, {}),
    "campaigns:pilot-photo-add": ("write", {"pk": "pilot"}, {}),
    "campaigns:pilot-photo": ("read", {"pk": "photo"}, {}),
    "campaigns:contest-list": ("read", {"pk": ["issued_plan", "qt_plan"]}, {}),
    "campaigns:contest-create": ("write", {"pk": ["issued_plan", "qt_plan"]}, {}),
    "api-unit-detail": ("read", {"pk": ["dongha", "school"]}, {}),
    "api-member-detail": ("read", {"pk": ["ha", "duc"]}, {}),
    "api-campaign-detail": ("read", {"pk": PLANS}, {}),
    "api-campaign-targets": ("read", {"pk": PLANS}, {}),
    "api-campaign-registrations": ("read", {"pk": PLANS}, {}),
    "api-campaign-document": ("read", {"pk": PLANS}, {}),
    "reports:form-detail": ("read", {"pk": "report_form"}, {}),
    "reports:form-edit": ("write", {"pk": "draft_form_version"}, {}),
    "reports:form-publish": ("write", {"pk": "draft_form_version"}, {}),
    "reports:form-new-version": ("write", {"pk": "form_version"}, {}),
    "reports:request-detail": ("read", {"pk": "report_request"}, {}),
    "reports:report-fill": ("write", {"report_pk": ["returned_report", "submitted_report"]}, {}),
    "reports:report-fill (request, unit)": ("write", {"pk": "report_request", "unit_pk": UNITS}, {}),
    "reports:report-detail": ("read", {"pk": REPORTS}, {}),
    "reports:report-review": ("write", {"pk": "submitted_report"}, {}),
    "reports:evidence-add": ("write", {"pk": "returned_report"}, {}),
    "reports:evidence-file": ("read", {"pk": "evidence"}, {}),
    "reports:rollup": ("read", {"pk": "report_request"}, {}),
    "reports:rollup-prefill": ("write", {"pk": "report_request"}, {}),
    "reports:indicator-trend": ("read", {"pk": "report_form"}, {"code": "helped"}),
    "reports:report-xlsx": ("read", {"pk": REPORTS}, {}),
    "reports:report-xlsx (request, unit)": ("read", {"request_pk": "report_request", "unit_pk": UNITS}, {}),
    "reports:report-xlsx-upload": ("write", {"pk": REPORTS}, {}),
    "reports:report-xlsx-upload (request, unit)": (
        "write",
        {"request_pk": "report_request", "unit_pk": UNITS},
        {},
    ),
    "reports:review-docx": ("read", {"pk": "report_request"}, {}),
    "reports:review-xlsx": ("read", {"pk": "report_request"}, {}),
    "reports:scoring-detail": ("read", {"pk": ["table", "draft_table"]}, {}),
    "reports:scoring-edit": ("write", {"pk": "draft_table"}, {}),
    "reports:scoring-publish": ("write", {"pk": "draft_table"}, {}),
    "reports:scoring-new-version": ("write", {"pk": "table"}, {}),
    "reports:score-sheet": ("write", {"pk": "table"}, {"year": YEAR + 1}),
    "reports:score-sheet-detail": ("read", {"pk": SHEETS}, {}),
    "reports:score-self-assess": ("write", {"pk": "draft_sheet"}, {}),
    "reports:score-change": ("write", {"pk": "open_score"}, {}),
    "reports:ranking": ("read", {"pk": "cluster"}, {}),
    "reports:ranking-publish": ("write", {"pk": "cluster"}, {}),
    "reports:ranking-export": ("read", {"pk": "cluster"}, {}),
    "reports:ranking-decision": ("read", {"pk": "publication"}, {}),
    "api-report-detail": ("read", {"pk": REPORTS}, {}),
    "imports:plan-import-detail": ("write", {"pk": "plan_import"}, {}),
    # awards: catalogue and eligibility
    "awards:award-detail": ("read", {"pk": "own_award"}, {}),
    "awards:award-edit": ("write", {"pk": "own_award"}, {}),
    "awards:award-active": ("write", {"pk": "own_award"}, {}),
    "awards:award-delete": ("write", {"pk": "own_award"}, {}),
    "awards:condition-create": ("write", {"pk": "own_award"}, {}),
    "awards:quota-create": ("write", {"pk": "own_award"}, {}),
    "awards:condition-edit": ("write", {"pk": "own_condition"}, {}),
    "awards:condition-delete": ("write", {"pk": "own_condition"}, {}),
    "awards:quota-edit": ("write", {"pk": "own_quota"}, {}),
    "awards:quota-delete": ("write", {"pk": "own_quota"}, {}),
    "awards:member-eligibility": ("read", {"pk": "ha"}, {}),
    "awards:unit-eligibility": ("read", {"pk": ["school", "dongha"]}, {}),
    "awards:member-initiative-create": ("write", {"pk": "ha"}, {}),
    "awards:service-create": ("write", {"pk": "ha"}, {}),
    "awards:unit-initiative-create": ("write", {"pk": "school"}, {}),
    "awards:initiative-edit": ("write", {"pk": "initiative"}, {}),
    "awards:initiative-delete": ("write", {"pk": "initiative"}, {}),
    "awards:service-edit": ("write", {"pk": "service_period"}, {}),
    "awards:service-delete": ("write", {"pk": "service_period"}, {}),
    # awards: rounds, nominations, public notices
    "awards:round-detail": ("read", {"pk": "award_round"}, {}),
    "awards:round-close": ("write", {"pk": "award_round"}, {}),
    "awards:nomination-create": ("write", {"pk": "award_round"}, {}),
    "awards:notice-create": ("write", {"pk": "award_round"}, {}),
    "awards:nomination-detail": ("read", {"pk": ["nomination", "draft_nomination"]}, {}),
    "awards:nomination-minutes": ("read", {"pk": "nomination"}, {}),
    "awards:nomination-letter": ("read", {"pk": "nomination"}, {}),
    "awards:nomination-dossier": ("read", {"pk": "nomination"}, {}),
    "awards:nomination-review": ("write", {"pk": "nomination"}, {}),
    "awards:nomination-withdraw": ("write", {"pk": "nomination"}, {}),
    "awards:nomination-edit": ("write", {"pk": "draft_nomination"}, {}),
    "awards:nomination-submit": ("write", {"pk": "draft_nomination"}, {}),
    "awards:nominee-add": ("write", {"pk": "draft_nomination"}, {}),
    "awards:nomination-file-add": ("write", {"pk": "draft_nomination"}, {}),
    "awards:nominee-edit": ("write", {"pk": "draft_nominee"}, {}),
    "awards:nominee-remove": ("write", {"pk": "draft_nominee"}, {}),
    "awards:nominee-report": ("read", {"pk": "nominee"}, {}),
    "awards:nomination-file": ("read", {"pk": "nomination_file"}, {}),
    "awards:nomination-file-remove": ("write", {"pk": "nomination_file"}, {}),
    "awards:notice-detail": ("read", {"pk": "notice"}, {}),
    "awards:notice-comment-moderate": ("write", {"pk": "notice_comment"}, {}),
    # awards: councils, meetings, decisions
    "awards:council-detail": ("read", {"pk": "council"}, {}),
    "awards:seat-add": ("write", {"pk": "council"}, {}),
    "awards:seat-deactivate": ("write", {"pk": "seat"}, {}),
    "awards:meeting-create": ("write", {"pk": "council"}, {}),
    "awards:meeting-detail": ("read", {"pk": ["meeting", "closed_meeting"]}, {}),
    "awards:meeting-present": ("write", {"pk": "meeting"}, {}),
    "awards:meeting-vote": ("write", {"pk": "meeting", "seat_pk": "seat"}, {}),
    "awards:meeting-close": ("write", {"pk": "meeting"}, {}),
    "awards:meeting-minutes": ("read", {"pk": ["meeting", "closed_meeting"]}, {}),
    "awards:decision-from-meeting": ("write", {"pk": "closed_meeting"}, {}),
    "awards:decision-detail": ("read", {"pk": ["decision", "draft_decision"]}, {}),
    "awards:decision-edit": ("write", {"pk": ["draft_decision", "decision"]}, {}),
    "awards:decision-line-add": ("write", {"pk": "draft_decision"}, {}),
    "awards:decision-line-update": ("write", {"pk": "draft_decision", "line_pk": "draft_line"}, {}),
    "awards:decision-line-remove": ("write", {"pk": "draft_decision", "line_pk": "draft_line"}, {}),
    "awards:decision-issue": ("write", {"pk": "draft_decision"}, {}),
    "awards:decision-discard": ("write", {"pk": "draft_decision"}, {}),
    "awards:decision-correct": ("write", {"pk": "decision"}, {}),
    "awards:decision-docx": ("read", {"pk": ["decision", "draft_decision"]}, {}),
    "awards:decision-pdf": ("read", {"pk": ["decision", "draft_decision"]}, {}),
    # awards: certificates and blanks
    "awards:certificate-decision": ("read", {"pk": "decision"}, {}),
    "awards:certificate-batch-create": ("write", {"pk": "decision"}, {}),
    "awards:certificate-batch-detail": ("read", {"pk": "batch"}, {}),
    "awards:certificate-batch-progress": ("read", {"pk": "batch"}, {}),
    "awards:certificate-batch-download": ("read", {"pk": "batch"}, {}),
    "awards:certificate-pdf": ("read", {"pk": ["award_record", "unit_record"]}, {}),
    "awards:certificate-blank": ("read", {"pk": "award_record", "layout_pk": "blank_layout"}, {}),
    "awards:blank-edit": ("write", {"pk": "blank_layout"}, {}),
    "awards:blank-delete": ("write", {"pk": "blank_layout"}, {}),
    "awards:blank-preview": ("read", {"pk": "blank_layout"}, {}),
    # awards: the register
    "awards:register-person": ("read", {"pk": ["ha", "tam"]}, {}),
    "awards:register-unit": ("read", {"pk": ["school", "dongha"]}, {}),
    "awards:register-record": ("read", {"pk": ["award_record", "unit_record"]}, {}),
    # awards API
    "api-award-detail": ("read", {"pk": "own_award"}, {}),
    "api-award-eligible": ("read", {"pk": "own_award"}, {}),
    "api-nomination-detail": ("read", {"pk": ["nomination", "draft_nomination"]}, {}),
    "api-decision-detail": ("read", {"pk": ["decision", "draft_decision"]}, {}),
}

# Query strings the id URLs need to open at all (the control below checks Alice gets in).
# Values naming no attribute of the test (a year) are sent as they are.
ID_URL_QUERY: dict[str, dict] = {
    "campaigns:covenant-create": {"plan": "qt_plan"},
    "reports:ranking-export": {"year": YEAR},
}

# Charlie's own pages (or plain pages) asked about Alice's ids in the query string or the form:
# (method, url name, kwargs of charlie's objects, parameters naming Alice's objects).
# Each must be refused with 403 or 404.
CROSS_REQUESTS: list[tuple[str, str, dict, dict]] = [
    ("get", "org:member-list", {}, {"unit": "school"}),
    ("get", "org:member-export", {}, {"unit": "dongha"}),
    ("get", "org:member-export", {}, {"unit": "dongha", "format": "csv"}),
    ("get", "campaigns:cluster-create", {}, {"unit": "dongha"}),
    ("get", "campaigns:dashboard", {"pk": "qb_plan"}, {"unit": "school"}),
    ("get", "campaigns:target-export", {"pk": "qb_plan"}, {"unit": "dongha"}),
    ("get", "campaigns:registration-export", {"pk": "qb_plan"}, {"unit": "dongha"}),
    ("get", "campaigns:target-detail", {"pk": "qb_target"}, {"unit": "dongha"}),
    ("get", "campaigns:pilot-list", {"pk": "qb_plan"}, {"unit": "school"}),
    ("get", "campaigns:contest-list", {"pk": "qb_plan"}, {"unit": "factory"}),
    ("get", "campaigns:registration-status", {"plan_pk": "qb_plan"}, {"unit": "dongha"}),
    ("post", "campaigns:registration-remind", {"plan_pk": "qb_plan"}, {"unit": "dongha"}),
    ("post", "campaigns:registration-start", {"plan_pk": "qb_plan"}, {"unit": "school"}),
    ("get", "campaigns:covenant-create", {"pk": "qb_cluster"}, {"plan": "draft_plan"}),
    ("post", "campaigns:covenant-create", {"pk": "qb_cluster"}, {"plan": "issued_plan"}),
    ("post", "campaigns:covenant-sign", {"pk": "qb_covenant"}, {"unit": "school"}),
    (
        "post",
        "campaigns:pledge-add",
        {"pk": "qb_registration"},
        {"member": "ha", "title": "Lao động tiên tiến"},
    ),
    ("post", "campaigns:plan-derive", {"pk": "qb_plan"}, {"unit": "dongha"}),
    ("get", "api-unit-list", {}, {"parent": "dongha"}),
    ("get", "api-member-list", {}, {"unit": "school"}),
    ("get", "api-campaign-list", {}, {"unit": "dongha"}),
    ("get", "api-campaign-targets", {"pk": "qb_plan"}, {"unit": "dongha"}),
    ("get", "reports:rollup", {"pk": "qb_request"}, {"unit": "dongha"}),
    ("get", "reports:indicator-trend", {"pk": "qb_form", "code": "helped"}, {"unit": "school"}),
    ("post", "reports:rollup-prefill", {"pk": "qb_request"}, {"down": "report_request"}),
    ("post", "reports:rollup-prefill", {"pk": "report_request"}, {"down": "qb_request"}),
    ("get", "reports:review-docx", {"pk": "qb_request"}, {"unit": "dongha"}),
    ("get", "reports:review-xlsx", {"pk": "qb_request"}, {"unit": "school"}),
    ("get", "reports:report-fill", {"pk": "qb_request", "unit_pk": "school"}, {}),
    ("get", "reports:report-fill", {"pk": "report_request", "unit_pk": "port"}, {}),
    ("post", "reports:report-fill", {"pk": "report_request", "unit_pk": "port"}, {"f-helped": "1"}),
    ("get", "reports:report-xlsx", {"request_pk": "report_request", "unit_pk": "port"}, {}),
    ("post", "reports:report-xlsx-upload", {"request_pk": "report_request", "unit_pk": "port"}, {}),
    ("get", "reports:ranking", {"pk": "qb_cluster"}, {"table": "table", "year": YEAR}),
    ("get", "reports:ranking-export", {"pk": "qb_cluster"}, {"table": "table", "year": YEAR}),
    (
        "post",
        "reports:ranking-publish",
        {"pk": "qb_cluster"},
        {"table": "table", "year": YEAR + 1, "decision_number": "1/QĐ"},
    ),
    ("post", "reports:score-sheet", {"pk": "qb_table", "year": YEAR + 1}, {"unit": "school"}),
    ("post", "reports:score-sheet", {"pk": "table", "year": YEAR + 1}, {"unit": "port"}),
    ("get", "api-rollup", {}, {"unit": "dongha"}),
    ("get", "api-rollup", {}, {"request": "report_request"}),
    ("get", "api-rollup", {}, {"form": "report_form"}),
    ("get", "api-rollup", {}, {"form": "report_form", "unit": "dongha"}),
    ("get", "api-rollup", {}, {"request": "qb_request", "unit": "school"}),
    ("get", "api-report-detail", {"pk": "submitted_report"}, {}),
    ("get", "api-rankings", {}, {"cluster": "cluster", "year": YEAR}),
    # Saving a report for Alice's unit, or for charlie's own unit to Alice's request (JSON).
    ("json", "api-reports", {}, {"request": "report_request", "unit": "school", "values": GOOD}),
    ("json", "api-reports", {}, {"request": "qb_request", "unit": "school", "values": GOOD}),
    ("json", "api-reports", {}, {"request": "report_request", "unit": "port", "values": GOOD}),
    (
        "json",
        "api-reports",
        {},
        {"request": "report_request", "unit": "factory", "values": GOOD, "submit": True},
    ),
    # awards: charlie's pages naming Alice's units, members, awards and rounds
    ("get", "awards:eligible-list", {}, {"award": "own_award", "unit": "quangbinh"}),
    ("get", "awards:eligible-list", {}, {"award": "giay_khen", "unit": "school"}),
    ("get", "awards:eligible-export", {}, {"award": "own_award", "unit": "quangbinh"}),
    ("get", "awards:eligible-export", {}, {"award": "giay_khen", "unit": "school"}),
    ("post", "awards:round-create", {}, {"unit": "school", "name": "x", "year": "2025"}),
    ("post", "awards:nominee-add", {"pk": "qb_nomination"}, {"member": "ha"}),
    ("get", "awards:register", {}, {"unit": "school"}),
    ("get", "awards:register-export", {}, {"unit": "dongha"}),
    ("get", "awards:register-stats", {}, {"unit": "dongha"}),
    ("get", "api-register-list", {}, {"unit": "school"}),
    ("get", "api-register-list", {}, {"award": "own_award"}),
    ("get", "api-award-eligible", {"pk": "giay_khen"}, {"unit": "school"}),
    ("json", "api-nomination-list", {}, {"round": "award_round", "award": "giay_khen", "unit": "port"}),
    ("json", "api-nomination-list", {}, {"round": "qb_round", "award": "giay_khen", "unit": "school"}),
]

# Apps whose rows the sweep compares before and after; and the columns a read may touch.
CHECKED_APPS = ("accounts", "org", "imports", "campaigns", "reports", "awards", "auditlog")
READ_SIDE_EFFECTS = {
    "accounts.user": {"last_login"},
    # Opening an issued plan marks it opened in the inbox of the reader's units.
    "campaigns.plandelivery": {"opened_at", "opened_by"},
}


def walk_patterns(resolver=None, prefix: str = "", namespace: str = ""):
    """(name with namespace, route, pattern) for every URL pattern of the project."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(filter(None, [namespace, p.namespace]))
            yield from walk_patterns(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield name, prefix + str(p.pattern), p


def url_name(key: str) -> str:
    """The url name of a sweep table row ("name (what)" for names with several patterns)."""
    return key.split(" ")[0]


def url_kwargs(pattern: URLPattern) -> set[str]:
    return set(pattern.pattern.regex.groupindex)


def body_text(response) -> str:
    """The response as text: HTML, JSON, CSV, or the cells of an .xlsx."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # a zip: .xlsx (or .docx, which list pages never send)
        try:
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        except Exception:
            return ""
        return " ".join(
            str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
        )
    return content.decode("utf-8", errors="replace")


@override_settings(MEDIA_ROOT=MEDIA)
class ScopeSweepTests(BaseTestCase):
    maxDiff = None

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        shutil.rmtree(MEDIA, ignore_errors=True)

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        alice = cls.alice
        # Charlie is also an administrator of his province: the strongest outsider.
        Role.objects.create(user=cls.charlie, unit=cls.quangbinh, kind=Role.Kind.ADMIN)
        cls.charlie_token = Token.objects.create(user=cls.charlie).key

        # Members and a member move inside Đông Hà.
        cls.tam = member_create(unit=cls.school, full_name="Phạm Văn Tâm", sex=Sex.MALE, cccd="045090000004")
        member_move(
            member=cls.tam, to_unit=cls.factory, moved_on=datetime.date(2024, 3, 1), reason="Chuyển công tác"
        )
        # An account and its role in Đông Hà.
        cls.dung = make_user("dung", cls.school, Role.Kind.VIEWER, full_name="Đinh Thị Dung")
        cls.dung_role = Role.objects.get(user=cls.dung)
        # An import job with its file and an error naming a member.
        cls.job = ImportJob.objects.create(
            unit=cls.school,
            created_by=alice,
            file=SimpleUploadedFile(SECRET_FILE, "Họ và tên\nNguyễn Thị Thu Hà\n".encode()),
            original_filename=SECRET_FILE,
            status=ImportJob.Status.FAILED,
            rows=1,
            error_count=1,
            errors=[{"row": 2, "column": "Số CCCD", "value": "045190000001", "message": "Trùng CCCD"}],
        )

        # Plans: Quảng Trị's issued plan sent to Đông Hà, Đông Hà's own plan built from it,
        # an issued plan of Đông Hà sent below, and a draft.
        cls.movement = Movement.objects.create(
            unit=cls.dongha, name=SECRET_MOVEMENT, name_folded=fold(SECRET_MOVEMENT)
        )
        cls.qt_plan = factories_plans.make_plan(unit=cls.quangtri, by=alice, issue=True, deliver_below=True)
        cls.derived_plan = plan_services.plan_derive(
            parent_plan=cls.qt_plan, unit=cls.dongha, created_by=alice
        )
        cls.issued_plan = factories_plans.make_plan(
            unit=cls.dongha, by=alice, issue=True, deliver_below=True, movements=[cls.movement]
        )
        cls.draft_plan = factories_plans.make_plan(unit=cls.dongha, by=alice, title=SECRET_DRAFT_TITLE)
        cls.issued_target = cls.issued_plan.targets.order_by("pk").first()
        cls.draft_target = cls.draft_plan.targets.order_by("pk").first()
        plan_services.launch_create(
            plan=cls.issued_plan,
            unit=cls.school,
            held_on=datetime.date(2021, 3, 5),
            place=SECRET_LAUNCH,
            created_by=alice,
        )
        # A draft registration of the school with a collective and a member pledge.
        cls.registration = make_registration(cls.issued_plan, cls.school, members=[cls.ha], submitted=False)
        cls.member_pledge = cls.registration.member_pledges.get()
        # A pledge list whose reading stopped (its worker died): it can be run again.
        cls.upload_job = UploadJob.objects.create(
            kind=UploadJob.Kind.PLEDGES,
            unit=cls.school,
            created_by=alice,
            file=SimpleUploadedFile(
                SECRET_FILE, "Họ và tên,Số CCCD\nNguyễn Thị Thu Hà,045190000001\n".encode()
            ),
            original_filename=SECRET_FILE,
            params={
                "registration": cls.registration.pk,
                "back": reverse("campaigns:pledge-import", args=[cls.registration.pk]),
            },
            status=UploadJob.Status.FAILED,
            message="Worker stopped",
            errors=[{"row": 2, "column": "Số CCCD", "value": "045190000001", "message": "Trùng CCCD"}],
        )
        # A cluster of Đông Hà with an open covenant the school signed.
        cls.covenant = make_covenant(
            cls.issued_plan, defined_by=cls.dongha, members=[cls.school, cls.factory], signed=[cls.school]
        )
        cls.cluster = cls.covenant.cluster
        cls.cluster.name = SECRET_CLUSTER
        cls.cluster.save(update_fields=["name"])
        # A pilot model with a photo, and a contest entry.
        cls.pilot = PilotModel.objects.create(
            plan=cls.issued_plan, unit=cls.school, name=SECRET_PILOT, status=PilotModel.Status.IN_PROGRESS
        )
        cls.photo = PilotModelPhoto.objects.create(
            pilot_model=cls.pilot, image=SimpleUploadedFile("p.png", PNG)
        )
        ContestEntry.objects.create(plan=cls.issued_plan, unit=cls.factory, title=SECRET_ENTRY)

        # Charlie's own world in Quảng Bình, for requests that name Alice's ids in parameters.
        cls.qb_plan = factories_plans.make_plan(unit=cls.quangbinh, by=cls.charlie, issue=True)
        cls.qb_target = cls.qb_plan.targets.order_by("pk").first()
        cls.qb_registration = make_registration(cls.qb_plan, cls.port, submitted=False)
        cls.qb_covenant = make_covenant(
            cls.qb_plan, defined_by=cls.quangbinh, members=[cls.donghoi, cls.port], signed=[]
        )
        cls.qb_cluster = cls.qb_covenant.cluster

        cls.make_reports()
        cls.make_scoring()
        # A plan read from a file into Đông Hà, not saved yet.
        cls.plan_import = plan_import_services.plan_import_create(
            unit=cls.dongha,
            uploaded_by=alice,
            text=f"KẾ HOẠCH\n{SECRET_DRAFT_TITLE}\nI. MỤC ĐÍCH, YÊU CẦU\n1. x.",
        )

        awards_sweep.build(
            cls, media_file=lambda path: SimpleUploadedFile(path.split("/")[-1], b"%PDF-1.4 x")
        )
        cls.giay_khen = Award.objects.get(code="giay-khen")
        for obj in (cls.dongha, cls.school, cls.factory, cls.ha, cls.tam):
            obj.refresh_from_db()

    @classmethod
    def make_reports(cls) -> None:
        """Đông Hà's form (published, and a draft next version), its request to the school and the
        factory; the school's report submitted with evidence, the factory's returned. Charlie's
        own form and request in Quảng Bình."""
        alice = cls.alice
        cls.form_version = factories_core.make_version(unit=cls.dongha, by=alice, code="DH-BC")
        cls.report_form = cls.form_version.form
        cls.report_form.name = SECRET_FORM
        cls.report_form.save(update_fields=["name"])
        cls.draft_form_version = form_services.form_new_version(version=cls.form_version, by=alice)
        cls.report_request = factories_core.make_request(
            version=cls.form_version,
            unit=cls.dongha,
            by=alice,
            level=None,
            unit_ids=[cls.school.pk, cls.factory.pk],
        )
        ReportRequest.objects.filter(pk=cls.report_request.pk).update(title=SECRET_REQUEST)
        raw = {**factories_core.GOOD, "note": SECRET_NOTE}
        for unit in (cls.school, cls.factory):
            report_services.report_fill(
                request=cls.report_request, unit=unit, raw=raw, by=alice, revision=None, submit=True
            )
        cls.submitted_report = Report.objects.get(request=cls.report_request, unit=cls.school)
        cls.returned_report = Report.objects.get(request=cls.report_request, unit=cls.factory)
        report_services.report_review(
            report=cls.returned_report, accept=False, comment=SECRET_RETURN, by=alice
        )
        cls.evidence = report_services.evidence_add(
            report=cls.submitted_report,
            upload=SimpleUploadedFile(SECRET_EVIDENCE, b"%PDF-1.4 minh chung"),
            by=alice,
        )
        assert cls.report_request.recipient_rows.count() == 2
        assert cls.returned_report.status == Report.Status.RETURNED

        cls.qb_form_version = factories_core.make_version(unit=cls.quangbinh, by=cls.charlie, code="QB-BC")
        cls.qb_form = cls.qb_form_version.form
        cls.qb_request = factories_core.make_request(
            version=cls.qb_form_version,
            unit=cls.quangbinh,
            by=cls.charlie,
            level=None,
            unit_ids=[cls.port.pk],
        )

    @classmethod
    def make_scoring(cls) -> None:
        """Đông Hà's scoring table for its cluster: YEAR ranked and published with a decision file;
        in YEAR + 1 the school's sheet submitted and one score changed, the factory's a draft.
        A draft next version of the table; charlie's own table for his cluster."""
        alice = cls.alice
        cls.table = factories_scoring.make_table(unit=cls.dongha, clusters=[cls.cluster])
        cls.table.name = SECRET_TABLE
        cls.table.save(update_fields=["name"])
        c4 = cls.table.criteria.get(code="c4")

        def sheet(unit, year, points, *, submit=True):
            sheet = scoring_services.sheet_get_or_create(
                table=cls.table, unit=unit, year=year, cluster=cls.cluster
            )
            scoring_services.sheet_self_assess(sheet=sheet, entries={c4.pk: (points, SECRET_NOTE)}, by=alice)
            if submit:
                scoring_services.sheet_submit(sheet=sheet, by=alice)
            return sheet

        cls.frozen_sheet = sheet(cls.school, YEAR, Decimal("50"))
        sheet(cls.factory, YEAR, Decimal("40"))
        cls.publication = scoring_services.ranking_publish(
            table=cls.table,
            cluster=cls.cluster,
            year=YEAR,
            decision_number=SECRET_DECISION,
            decision_file=SimpleUploadedFile(SECRET_DECISION_FILE, b"%PDF-1.4 quyet dinh"),
            by=alice,
        )
        cls.open_sheet = sheet(cls.school, YEAR + 1, Decimal("55"))
        cls.open_score = cls.open_sheet.scores.get(criterion=c4)
        scoring_services.score_change(
            score=cls.open_score, new_points=Decimal("45"), reason=SECRET_REASON, by=alice, by_unit=cls.dongha
        )
        cls.draft_sheet = sheet(cls.factory, YEAR + 1, Decimal("30"), submit=False)
        cls.draft_table = scoring_services.scoring_table_new_version(
            table=cls.table, effective_from=datetime.date(YEAR + 2, 1, 1), by=alice
        )
        for obj in (cls.frozen_sheet, cls.open_sheet, cls.draft_sheet):
            obj.refresh_from_db()
        assert cls.frozen_sheet.status == ScoreSheet.Status.FROZEN
        assert cls.open_sheet.status == ScoreSheet.Status.REVIEWED

        cls.qb_table = factories_scoring.make_table(unit=cls.quangbinh, clusters=[cls.qb_cluster])

    # -- helpers -------------------------------------------------------------------------------

    def secrets(self) -> list[str]:
        return [
            self.ha.full_name,
            self.ha.cccd,
            self.duc.full_name,
            self.duc.cccd,
            self.tam.full_name,
            self.dung.full_name,
            self.dongha.name,
            self.school.name,
            self.factory.name,
            SECRET_DRAFT_TITLE,
            SECRET_MOVEMENT,
            SECRET_PILOT,
            SECRET_ENTRY,
            SECRET_CLUSTER,
            SECRET_LAUNCH,
            SECRET_FILE,
            SECRET_FORM,
            SECRET_REQUEST,
            SECRET_NOTE,
            SECRET_RETURN,
            SECRET_EVIDENCE,
            SECRET_TABLE,
            SECRET_REASON,
            SECRET_DECISION,
            SECRET_DECISION_FILE,
            awards_sweep.SECRET_AWARD,
            awards_sweep.SECRET_GROUND,
            awards_sweep.SECRET_COMMENT,
            awards_sweep.SECRET_DECISION_NUMBER,
        ]

    def value(self, ref):
        """The id of the test's object named `ref`; anything else (a year, a code) as it is."""
        return getattr(self, ref).pk if isinstance(ref, str) and hasattr(self, ref) else ref

    def id_urls(self) -> list[tuple[str, str, str]]:
        """(url name, kind, url) for every id pattern, once per object in its table row."""
        out = []
        for key, (kind, refs, fixed) in ID_URLS.items():
            name = url_name(key)
            combos = [dict(fixed)]
            for kwarg, ref in refs.items():
                combos = [
                    {**c, kwarg: self.value(r)}
                    for c in combos
                    for r in ([ref] if isinstance(ref, str) else ref)
                ]
            query = "&".join(f"{k}={self.value(v)}" for k, v in ID_URL_QUERY.get(name, {}).items())
            out += [(name, kind, reverse(name, kwargs=c) + (f"?{query}" if query else "")) for c in combos]
        return out

    def plain_urls(self) -> list[tuple[str, str, str]]:
        return [(name, kind, reverse(name, kwargs=fixed)) for name, (kind, fixed) in PLAIN_URLS.items()]

    def payloads(self) -> list[dict]:
        """Empty data, and data naming Alice's objects by id and by code."""
        common = {
            "name": "Tên mới",
            "full_name": "Người lạ",
            "title": "Tiêu đề mới",
            "status": "left",
            "sex": "female",
            "cccd": "045190000099",
            "year": "2021",
            "revision": "0",
            "kind": Role.Kind.OFFICER,
            "username": "intruder",
            "signer_name": "Charlie",
            "signer_title": "Chủ tịch",
            "held_on": "05/03/2021",
            "effective_on": "01/01/2025",
            "on": "01/01/2025",
            "moved_on": "01/01/2025",
            "decision_number": "1/QĐ",
            "reason": "x",
            "note": "x",
            "text": "x",
            "place": "x",
            "deliver_below": "on",
            "target": str(self.factory.pk),
        }
        by_id = {
            **common,
            "unit": str(self.school.pk),
            "member": str(self.ha.pk),
            "plan": str(self.issued_plan.pk),
            "to_unit": str(self.factory.pk),
            "new_parent": str(self.school.pk),
            "into_unit": str(self.school.pk),
            "others": [str(self.factory.pk)],
            "members": [str(self.school.pk), str(self.factory.pk)],
            "children_to": str(self.school.pk),
            "members_to": str(self.school.pk),
        }
        by_code = {
            **common,
            "unit": self.school.code,
            "to_unit": self.factory.code,
            "new_parent": self.school.code,
            "into_unit": self.school.code,
            "others": self.factory.code,
            "children_to": self.school.code,
            "members_to": self.school.code,
        }
        return [{}, by_id, by_code]

    def snapshot(self, *, allow_reads: bool = True) -> dict:
        """Every row of the checked apps, minus the columns a mere read may touch."""
        from django.apps import apps

        out = {}
        for label in CHECKED_APPS:
            for model in apps.get_app_config(label).get_models():
                key = model._meta.label_lower
                skip = READ_SIDE_EFFECTS.get(key, set()) if allow_reads else {"last_login"}
                fields = [f.attname for f in model._meta.concrete_fields if f.name not in skip]
                out[key] = list(model._base_manager.order_by("pk").values_list(*fields))
        return out

    def assertUnchanged(self, before: dict, after: dict) -> None:
        changed = [k for k in before if before[k] != after[k]]
        self.assertEqual(changed, [], f"rows changed: {changed}")

    def api_client(self, user) -> Client:
        token = Token.objects.get_or_create(user=user)[0].key
        return Client(HTTP_AUTHORIZATION=f"Token {token}")

    def client_for(self, name: str, user) -> Client:
        """A token client for the API (no session), the logged-in test client for pages."""
        return self.api_client(user) if name.startswith("api-") else self.client

    def check_outsider(self, failures: list, response, label: str, *, strict: bool) -> None:
        status = response.status_code
        login = resolve_url(settings.LOGIN_URL)
        if status == 302 and response["Location"].startswith(login):
            failures.append(f"{label} -> redirect to login for a logged-in user")
        elif strict:
            if status not in (403, 404, 405):
                failures.append(f"{label} -> {status}")
        elif status == 200:
            text = body_text(response)
            leaked = [s for s in self.secrets() if s in text]
            if leaked:
                failures.append(f"{label} -> 200 showing {leaked}")
        elif status not in (302, 400, 403, 404, 405):
            failures.append(f"{label} -> {status}")

    # -- tests ---------------------------------------------------------------------------------

    def test_every_url_pattern_is_in_the_sweep_table(self):
        unmapped, wrong = [], []
        for name, route, pattern in walk_patterns():
            if route.split("/")[0] in SKIPPED_NAMESPACES:
                continue
            rows = [
                (set(refs) | set(fixed))
                for key, (_k, refs, fixed) in ID_URLS.items()
                if url_name(key) == name
            ]
            if rows:
                if url_kwargs(pattern) not in rows:
                    wrong.append(f"{name}: kwargs {sorted(url_kwargs(pattern))}")
            elif name in PLAIN_URLS:
                if set(PLAIN_URLS[name][1]) != url_kwargs(pattern):
                    wrong.append(f"{name}: kwargs {sorted(url_kwargs(pattern))}")
            else:
                unmapped.append(f"add pattern {name or route!r} ({route}) to the sweep table")
        self.assertEqual(unmapped + wrong, [])

    def test_alice_reaches_every_object_url(self):
        """The control: the URLs point at objects Alice may open (else a 404 would prove nothing)."""
        # The account pages are for administrators: Alice administers Đông Hà for this test.
        Role.objects.create(user=self.alice, unit=self.dongha, kind=Role.Kind.ADMIN)
        self.login(self.alice)
        failures = []
        for name, _kind, url in self.id_urls():
            client = self.client_for(name, self.alice)
            status = client.get(url).status_code
            if status in (401, 403, 404):
                failures.append(f"alice GET {url} ({name}) -> {status}")
        self.assertEqual(failures, [])

    def test_alice_sees_her_reports_in_the_lists(self):
        """The control for the report lists: they do show these names to someone in scope."""
        self.login(self.alice)
        expected = {
            "reports:form-list": [SECRET_FORM],
            "reports:request-list": [SECRET_REQUEST],
            "reports:scoring-list": [SECRET_TABLE],
            "api-report-forms": [SECRET_FORM],
        }
        for name, names in expected.items():
            with self.subTest(name=name):
                response = self.client_for(name, self.alice).get(reverse(name))
                self.assertEqual(response.status_code, 200)
                text = body_text(response)
                self.assertEqual([n for n in names if n not in text], [])
        query = {"cluster": self.cluster.pk, "year": YEAR}
        response = self.api_client(self.alice).get(reverse("api-rankings"), query)
        self.assertEqual([r["unit"] for r in response.json()], [self.school.pk, self.factory.pk])
        response = self.api_client(self.alice).get(reverse("api-rollup"), {"request": self.report_request.pk})
        self.assertEqual(response.json()["submitted"], 1)

    def test_charlie_can_neither_read_nor_change_alices_records(self):
        self.login(self.charlie)
        before = self.snapshot()
        failures: list[str] = []
        for name, _kind, url in self.id_urls():
            client = self.client_for(name, self.charlie)
            self.check_outsider(failures, client.get(url), f"GET {url} ({name})", strict=True)
            for data in self.payloads():
                response = client.post(url, data)
                self.check_outsider(
                    failures, response, f"POST {url} ({name}) {sorted(data)[:3]}", strict=True
                )
        self.assertEqual(failures, [])
        self.assertUnchanged(before, self.snapshot())

    def test_charlie_sees_nothing_of_alices_in_lists_and_searches(self):
        self.login(self.charlie)
        before = self.snapshot()
        failures: list[str] = []
        # Searches that would find Alice's records, spelled unlike them (pages echo the query).
        queries = [{}, {"q": "nguyen thi thu ha"}, {"q": "0451900000"}, {"q": "le loi"}, {"q": "dong ha"}]
        queries += [{"q": "nhap rieng"}, {"q": "xanh"}, {"format": "csv"}]
        for name, kind, url in self.plain_urls():
            if kind == "public":
                continue
            client = self.client_for(name, self.charlie)
            if kind == "static":
                self.assertEqual(client.get(url).status_code, 200, url)
                continue
            for params in queries:
                self.check_outsider(failures, client.get(url, params), f"GET {url} {params}", strict=False)
            if kind == "logout":
                continue
            for data in self.payloads():
                self.check_outsider(
                    failures, client.post(url, data), f"POST {url} {sorted(data)[:3]}", strict=False
                )
        self.assertEqual(failures, [])
        self.assertUnchanged(before, self.snapshot())
        self.assertEqual(Member.objects.get(pk=self.ha.pk).full_name, "Nguyễn Thị Thu Hà")

    def test_charlie_cannot_name_alices_ids_in_parameters(self):
        self.login(self.charlie)
        before = self.snapshot()
        failures: list[str] = []
        for method, name, kwargs, params in CROSS_REQUESTS:
            url = reverse(name, kwargs={k: self.value(v) for k, v in kwargs.items()})
            data = {
                k: (str(self.value(v)) if isinstance(v, str) and hasattr(self, v) else v)
                for k, v in params.items()
            }
            client = self.client_for(name, self.charlie)
            if method == "json":
                response = client.post(url, data, content_type="application/json")
            else:
                response = getattr(client, method)(url, data)
            if response.status_code not in (403, 404):
                failures.append(f"{method.upper()} {url} {params} -> {response.status_code}")
        self.assertEqual(failures, [])
        self.assertUnchanged(before, self.snapshot())

    def test_bob_the_viewer_cannot_change_anything(self):
        self.login(self.bob)
        before = self.snapshot()
        failures: list[str] = []
        for name, kind, url in self.id_urls():
            client = self.client_for(name, self.bob)
            if kind == "write":
                status = client.get(url).status_code
                if status not in (403, 404, 405):
                    failures.append(f"GET {url} ({name}) -> {status}")
            for data in self.payloads():
                response = client.post(url, data)
                status = response.status_code
                if kind in ("write", "form") and status not in (403, 404, 405):
                    failures.append(f"POST {url} ({name}) {sorted(data)[:3]} -> {status}")
                if status == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL)):
                    failures.append(f"POST {url} ({name}) -> redirect to login")
        for name, kind, url in self.plain_urls():
            if kind in ("public", "logout"):
                continue
            for data in self.payloads()[1:]:
                self.client_for(name, self.bob).post(url, data)
        self.assertEqual(failures, [])
        self.assertUnchanged(before, self.snapshot())

    def test_the_report_api_saves_nothing_for_charlie_or_bob(self):
        """A well-formed report for Alice's request and unit: 404 for charlie and for bob (a viewer)."""
        before = self.snapshot()
        url = reverse("api-reports")
        body = {"request": self.report_request.pk, "values": GOOD, "submit": True}
        for user in (self.charlie, self.bob):
            for unit in (self.school, self.factory, self.dongha):
                with self.subTest(user=user.username, unit=unit.name):
                    response = self.api_client(user).post(
                        url, {**body, "unit": unit.pk}, content_type="application/json"
                    )
                    self.assertEqual(response.status_code, 404)
        self.assertUnchanged(before, self.snapshot())
        # The control: the same body from Alice saves the factory's corrected report.
        response = self.api_client(self.alice).post(
            url, {**body, "unit": self.factory.pk}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.returned_report.refresh_from_db()
        self.assertEqual(self.returned_report.status, Report.Status.SUBMITTED)

    def test_anonymous_users_are_sent_to_login(self):
        login = resolve_url(settings.LOGIN_URL)
        before = self.snapshot(allow_reads=False)
        failures: list[str] = []
        urls = [(n, k, u) for n, k, u in self.plain_urls() if k not in ("public", "logout")] + self.id_urls()
        for name, _kind, url in urls:
            for method in ("get", "post"):
                response = getattr(Client(), method)(url, self.payloads()[1] if method == "post" else {})
                status = response.status_code
                if name.startswith("api-"):
                    ok = status in (401, 403)
                else:
                    ok = status == 405 or (status == 302 and response["Location"].startswith(login))
                if not ok:
                    failures.append(f"anonymous {method.upper()} {url} -> {status}")
        self.assertEqual(failures, [])
        self.assertUnchanged(before, self.snapshot(allow_reads=False))

    def test_only_the_public_urls_open_without_login(self):
        # A public page answers 200 to an anonymous GET: a redirect could be the login page, so
        # it would pass for the wrong reason. The two public URLs that are not pages say so here.
        not_pages = {"switch-language": 302, "api-token": 405}  # redirects back; POST only
        login = resolve_url(settings.LOGIN_URL)
        for name, kind, url in self.plain_urls():
            if kind == "public":
                with self.subTest(name=name):
                    response = Client().get(url)
                    self.assertEqual(response.status_code, not_pages.get(name, 200))
                    if response.status_code == 302:
                        self.assertFalse(response["Location"].startswith(login))

    def test_the_admin_site_is_closed_to_non_staff_users(self):
        self.login(self.charlie)
        for url in (
            reverse("admin:index"),
            reverse("admin:org_member_change", args=[self.ha.pk]),
            reverse("admin:campaigns_plan_change", args=[self.draft_plan.pk]),
        ):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertTrue(response["Location"].startswith(reverse("admin:login")), url)

    def test_charlie_cannot_reach_alices_members_through_a_roster_import(self):
        """A roster naming Alice's member (by CCCD) or Alice's unit (by code) fails as a whole."""
        self.login(self.charlie)
        rows = [
            "Họ và tên,Giới tính,Số CCCD,Mã đơn vị",
            f"Người Đổi Tên,Nam,{self.ha.cccd},",
            f"Người Mới,Nữ,045190000077,{self.school.code}",
        ]
        upload = SimpleUploadedFile("ds.csv", "\n".join(rows).encode())
        response = self.client.post(
            reverse("imports:job-create"), {"unit": self.quangbinh.code, "file": upload}
        )
        self.assertEqual(response.status_code, 302)
        job = ImportJob.objects.exclude(pk=self.job.pk).get()
        self.assertEqual(job.status, ImportJob.Status.FAILED)
        self.assertEqual({e["row"] for e in job.errors}, {2, 3})
        self.ha.refresh_from_db()
        self.assertEqual((self.ha.full_name, self.ha.unit_id), ("Nguyễn Thị Thu Hà", self.school.pk))
        self.assertFalse(Member.objects.filter(cccd="045190000077").exists())

    def test_charlie_cannot_pledge_for_alices_members_by_file(self):
        self.login(self.charlie)
        rows = [
            "Họ và tên,Số CCCD,Danh hiệu đăng ký",
            f"{self.ha.full_name},{self.ha.cccd},Lao động tiên tiến",
        ]
        upload = SimpleUploadedFile("cam-ket.csv", "\n".join(rows).encode())
        url = reverse("campaigns:pledge-import", args=[self.qb_registration.pk])
        response = self.client.post(url, {"file": upload}, follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.request["PATH_INFO"], url)  # back on the page, with the errors
        self.assertEqual([e.row for e in response.context["result"].errors], [2])
        self.assertFalse(self.qb_registration.member_pledges.exists())
