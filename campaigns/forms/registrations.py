"""Forms of the registration pages: the pledge editor, a member's pledge, the pledge list upload."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.forms.lines import line_label
from campaigns.models import Movement
from campaigns.services.registrations import PledgeLine
from lib import uploads

TITLE_SUGGESTIONS = [
    "Lao động tiên tiến",
    "Lao động giỏi",
    "Chiến sĩ thi đua cơ sở",
    "Đoàn viên công đoàn xuất sắc",
    "Giỏi việc nước, đảm việc nhà",
]


class PledgesForm(forms.Form):
    """One text + number pair per plan movement and target (`text_<i>`, `count_<i>`)."""

    revision = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, lines: list[PledgeLine], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        for i, line in enumerate(lines):
            self.fields[f"text_{i}"] = forms.CharField(
                label=line_label(line),
                required=False,
                max_length=500,
                initial=line.text,
            )
            self.fields[f"count_{i}"] = forms.IntegerField(
                label=_("Number"), required=False, min_value=0, initial=line.count
            )

    def rows(self) -> list[tuple[PledgeLine, forms.BoundField, forms.BoundField]]:
        return [(line, self[f"text_{i}"], self[f"count_{i}"]) for i, line in enumerate(self.lines)]

    def cleaned_lines(self) -> list[PledgeLine]:
        return [
            PledgeLine(
                movement=line.movement,
                target=line.target,
                text=self.cleaned_data.get(f"text_{i}") or "",
                count=self.cleaned_data.get(f"count_{i}"),
            )
            for i, line in enumerate(self.lines)
        ]


class MemberPledgeForm(forms.Form):
    member = forms.IntegerField(label=_("Member"), widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title aimed for"), max_length=255)
    movement = forms.ModelChoiceField(label=_("Movement"), queryset=Movement.objects.none(), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, movements, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["movement"].queryset = movements


class PledgeImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel or CSV file"),
        help_text=_("Columns: Họ và tên, Số CCCD, Danh hiệu đăng ký and optionally Phong trào."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        uploads.check_upload(upload, kind="sheet")
        return upload


class ReminderForm(forms.Form):
    unit = forms.IntegerField(required=False)
