"""Public disclosure of nominees before the council: publishing, the public page (only the
allowed fields), comments with rate limiting and a closing date, moderation and the dossier."""

import datetime

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from awards.models import NoticeComment, PublicNotice
from awards.selectors.nominations import notice_candidates
from awards.services import nominations as services
from awards.services import notices
from awards.tests import factories as f
from awards.tests import factories_nominations as fn
from lib.testing import BaseTestCase, EnglishMixin

GROUND = "Lao động sáng tạo xuất sắc, đề nghị vượt cấp"
SUMMARY = "Có 5 sáng kiến cấp tỉnh, làm lợi 2 tỷ đồng"


class NoticeTestCase(EnglishMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        fn.officers(cls)
        cls.ha.phone = "0912000111"
        cls.ha.save(update_fields=["phone"])
        cls.rnd = f.make_round(
            cls.root, 2025, ("cstd-toan-quoc", "giai-thuong-nguyen-duc-canh", "bang-khen-tld")
        )
        # Chiến sĩ thi đua toàn quốc is decided by the state: the province's own council votes and
        # the province publishes its nominees.
        cls.nomination = fn.proposal(
            cls.rnd, f.award("cstd-toan-quoc"), cls.quangtri, cls.quinn, members=[cls.ha], grounds=GROUND
        )
        cls.nominee = cls.nomination.nominees.get()
        services.nominee_update(
            nominee=cls.nominee, updated_by=cls.quinn, achievement={"form": "person", "summary": SUMMARY}
        )
        services.nomination_submit(nomination=cls.nomination, submitted_by=cls.quinn)

    def setUp(self):
        super().setUp()
        cache.clear()

    def publish(self, **extra) -> PublicNotice:
        return notices.notice_publish(
            round=self.rnd,
            award=f.award("cstd-toan-quoc"),
            unit=self.quangtri,
            opens_on=extra.pop("opens_on", timezone.localdate()),
            created_by=self.quinn,
            **extra,
        )


class PublishTests(NoticeTestCase):
    def test_the_deciding_level_publishes_for_the_awards_days(self):
        self.assertEqual(self.nomination.at_unit, self.quangtri)
        candidates = notice_candidates(user=self.quinn, rnd=self.rnd)
        self.assertEqual(
            [(a.code, u, len(n)) for a, u, n in candidates], [("cstd-toan-quoc", self.quangtri, 1)]
        )
        notice = self.publish(opens_on=datetime.date(2025, 11, 1))
        self.assertEqual(notice.closes_on, datetime.date(2025, 11, 11))
        self.assertEqual(list(notice.nominees.all()), [self.nominee])
        self.assertEqual(len(notice.token), 32)

    def test_lower_levels_and_other_provinces_cannot_publish(self):
        self.assertEqual(notice_candidates(user=self.alice, rnd=self.rnd), [])
        with self.assertRaises(PermissionDenied):
            notices.notice_publish(
                round=self.rnd,
                award=f.award("cstd-toan-quoc"),
                unit=self.quangtri,
                opens_on=timezone.localdate(),
                created_by=self.charlie,
            )

    def test_an_award_without_notice_or_with_nothing_waiting_is_refused(self):
        with self.assertRaises(ValidationError):
            notices.notice_publish(
                round=self.rnd,
                award=f.award("bang-khen-tld"),
                unit=self.quangtri,
                opens_on=timezone.localdate(),
                created_by=self.quinn,
            )
        with self.assertRaises(ValidationError):
            notices.notice_publish(
                round=self.rnd,
                award=f.award("giai-thuong-nguyen-duc-canh"),
                unit=self.root,
                opens_on=timezone.localdate(),
                created_by=self.root_officer,
            )

    def test_the_confederation_publishes_nguyen_duc_canh_nominees_forwarded_to_it(self):
        f.initiative(year=2024, level=1, member=self.ha)
        ndc = fn.proposal(
            self.rnd,
            f.award("giai-thuong-nguyen-duc-canh"),
            self.quangtri,
            self.quinn,
            members=[self.ha],
            submit=True,
        )
        self.assertEqual(ndc.at_unit, self.root)
        notice = notices.notice_publish(
            round=self.rnd,
            award=f.award("giai-thuong-nguyen-duc-canh"),
            unit=self.root,
            opens_on=timezone.localdate(),
            created_by=self.root_officer,
        )
        self.assertEqual(notice.nominees.get().nomination, ndc)

    def test_the_publish_page(self):
        self.login(self.quinn)
        url = reverse("awards:notice-create", args=[self.rnd.pk])
        response = self.client.get(url)
        self.assertEqual(len(response.context["candidates"]), 1)
        key = f"{f.award('cstd-toan-quoc').pk}-{self.quangtri.pk}"
        response = self.client.post(url, {"candidate": key, "opens_on": "01/12/2025"})
        notice = PublicNotice.objects.get()
        self.assertRedirects(response, reverse("awards:notice-detail", args=[notice.pk]))
        self.login(self.bob)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.login(self.charlie)
        self.assertEqual(
            self.client.get(url).status_code, 200
        )  # the confederation's round: nothing to publish
        self.assertEqual(self.client.get(reverse("awards:notice-detail", args=[notice.pk])).status_code, 404)


class PublicPageTests(NoticeTestCase):
    def test_only_the_award_names_units_and_summary_are_shown(self):
        notice = self.publish()
        comment = notices.notice_comment_add(
            notice=notice,
            author_name="Trần Văn Dân",
            contact="0988777666",
            text="Chị Hà rất xứng đáng.",
            nominee=self.nominee,
        )
        notices.notice_comment_moderate(comment=comment, by=self.quinn, accept=True, answer="Cảm ơn ý kiến.")
        notices.notice_comment_add(
            notice=notice, author_name="Ẩn danh", contact="x@y.vn", text="Ý kiến chưa duyệt"
        )
        response = Client().get(reverse("awards:notice-public", args=[notice.token]))
        self.assertEqual(response.status_code, 200)
        text = response.content.decode()
        for shown in (
            "Chiến sĩ thi đua toàn quốc",
            "Nguyễn Thị Thu Hà",
            "Liên đoàn Lao động tỉnh Quảng Trị",
            SUMMARY,
            "Chị Hà rất xứng đáng.",
            "Cảm ơn ý kiến.",
            "Trần Văn Dân",
            "Công đoàn Trường THPT Lê Lợi",
        ):
            self.assertIn(shown, text)
        for hidden in (
            "045190000001",
            "01/05/1980",
            "1980",
            "0912000111",
            "0988777666",
            "x@y.vn",
            "Ý kiến chưa duyệt",
            GROUND,
            "needed",
            "quinn",
        ):
            self.assertNotIn(hidden, text)
        self.assertEqual(set(response.context["rows"][0]), {"pk", "name", "unit", "summary"})

    def test_before_it_opens_the_list_is_not_shown_and_an_unknown_token_is_404(self):
        notice = self.publish(opens_on=timezone.localdate() + datetime.timedelta(days=3))
        response = Client().get(reverse("awards:notice-public", args=[notice.token]))
        self.assertNotIn("Nguyễn Thị Thu Hà", response.content.decode())
        response = Client().post(
            reverse("awards:notice-public", args=[notice.token]), {"author_name": "A", "text": "B"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Client().get(reverse("awards:notice-public", args=["khong-co"])).status_code, 404)

    def test_a_comment_is_held_for_moderation(self):
        notice = self.publish()
        url = reverse("awards:notice-public", args=[notice.token])
        response = Client().post(
            url,
            {
                "author_name": "Lê Văn Tư",
                "contact": "0900",
                "text": "Ý kiến chờ duyệt của ông Tư",
                "nominee": self.nominee.pk,
            },
        )
        self.assertRedirects(response, url)
        comment = NoticeComment.objects.get()
        self.assertEqual(
            (comment.status, comment.nominee, comment.contact),
            (NoticeComment.Status.PENDING, self.nominee, "0900"),
        )
        self.assertNotIn("Ý kiến chờ duyệt của ông Tư", Client().get(url).content.decode())

    def test_a_trap_field_filled_by_a_bot_keeps_nothing(self):
        notice = self.publish()
        url = reverse("awards:notice-public", args=[notice.token])
        Client().post(url, {"author_name": "Bot", "text": "spam", "website": "http://spam"})
        self.assertFalse(NoticeComment.objects.exists())

    def test_comments_are_rate_limited_per_address(self):
        notice = self.publish()
        url = reverse("awards:notice-public", args=[notice.token])
        client = Client(REMOTE_ADDR="203.0.113.7")
        for i in range(5):
            self.assertEqual(client.post(url, {"author_name": "A", "text": f"Ý kiến {i}"}).status_code, 302)
        response = client.post(url, {"author_name": "A", "text": "Ý kiến 6"})
        self.assertEqual(response.status_code, 429)
        self.assertEqual(NoticeComment.objects.count(), 5)
        other = Client(REMOTE_ADDR="203.0.113.8")
        self.assertEqual(other.post(url, {"author_name": "B", "text": "Khác"}).status_code, 302)

    def test_comments_close_after_the_closing_date(self):
        notice = self.publish(opens_on=timezone.localdate() - datetime.timedelta(days=20))
        url = reverse("awards:notice-public", args=[notice.token])
        response = Client().get(url)
        self.assertFalse(response.context["is_open"])
        self.assertIn("Nguyễn Thị Thu Hà", response.content.decode())
        self.assertNotIn('data-testid="public-comment-form"', response.content.decode())
        self.assertEqual(Client().post(url, {"author_name": "A", "text": "Muộn"}).status_code, 403)
        with self.assertRaises(ValidationError):
            notices.notice_comment_add(notice=notice, author_name="A", text="Muộn")
        self.assertFalse(NoticeComment.objects.exists())


class ModerationTests(NoticeTestCase):
    def test_officers_accept_with_an_answer_and_the_dossier_lists_every_comment(self):
        notice = self.publish()
        accepted = notices.notice_comment_add(
            notice=notice, author_name="Dân", contact="0911", text="Đồng tình", nominee=self.nominee
        )
        rejected = notices.notice_comment_add(
            notice=notice, author_name="Khách", contact="", text="Nội dung không phù hợp"
        )
        url = reverse("awards:notice-comment-moderate", args=[accepted.pk])
        self.login(self.bob)
        self.assertEqual(self.client.post(url, {"decision": "accept", "answer": "x"}).status_code, 404)
        self.login(self.charlie)
        self.assertEqual(self.client.post(url, {"decision": "accept", "answer": "x"}).status_code, 404)
        self.login(self.quinn)
        self.client.post(url, {"decision": "accept", "answer": ""})
        accepted.refresh_from_db()
        self.assertEqual(
            accepted.status, NoticeComment.Status.PENDING
        )  # an accepted comment needs its answer
        self.client.post(url, {"decision": "accept", "answer": "Hội đồng ghi nhận."})
        self.client.post(
            reverse("awards:notice-comment-moderate", args=[rejected.pk]), {"decision": "reject"}
        )
        accepted.refresh_from_db()
        rejected.refresh_from_db()
        self.assertEqual(
            (accepted.status, accepted.moderated_by), (NoticeComment.Status.ACCEPTED, self.quinn)
        )
        self.assertEqual(rejected.status, NoticeComment.Status.REJECTED)

        response = self.client.get(reverse("awards:nomination-detail", args=[self.nomination.pk]))
        self.assertEqual(list(response.context["comments"]), [accepted, rejected])
        self.assertContains(response, "Hội đồng ghi nhận.")
        self.assertContains(response, "0911")  # officers see the contact, to answer
        response = self.client.get(reverse("awards:notice-detail", args=[notice.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.context["comments"]), 2)

    def test_the_public_page_does_not_query_per_nominee_or_comment(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        notice = self.publish()
        url = reverse("awards:notice-public", args=[notice.token])

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                Client().get(url)
            return len(ctx.captured_queries)

        before = count()
        for i in range(4):
            c = notices.notice_comment_add(
                notice=notice, author_name=f"Người {i}", text="Đồng ý", nominee=self.nominee
            )
            notices.notice_comment_moderate(comment=c, by=self.quinn, accept=True, answer="Cảm ơn")
        self.assertEqual(count(), before)
