from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns.models import Movement
from campaigns.services import plans as services
from lib.testing import BaseTestCase, EnglishMixin


class MovementCatalogueTests(EnglishMixin, BaseTestCase):
    def test_names_are_unique_regardless_of_accents_and_case(self):
        services.movement_create(unit=self.dongha, name="Lao động giỏi", created_by=self.alice)
        with self.assertRaises(ValidationError):
            services.movement_create(unit=self.dongha, name="  LAO DONG GIOI ", created_by=self.alice)
        services.movement_create(unit=self.quangbinh, name="Lao động giỏi", created_by=self.charlie)
        self.assertEqual(Movement.objects.count(), 2)

    def test_renaming_keeps_the_name_unique(self):
        a = services.movement_create(unit=self.dongha, name="Xanh - Sạch - Đẹp", created_by=self.alice)
        b = services.movement_create(unit=self.dongha, name="Giỏi việc nước", created_by=self.alice)
        with self.assertRaises(ValidationError):
            services.movement_update(movement=b, updated_by=self.alice, name="xanh sach dep")
        services.movement_update(movement=a, updated_by=self.alice, name="Xanh - Sạch - Đẹp, Bảo đảm ATVSLĐ")
        a.refresh_from_db()
        self.assertEqual(a.name_folded, "xanh sach dep bao dam atvsld")

    def test_an_officer_adds_a_movement_and_sees_the_catalogue_above_but_not_other_provinces(self):
        services.movement_create(unit=self.root, name="Phong trào toàn quốc", created_by=None)
        services.movement_create(unit=self.quangbinh, name="Phong trào Quảng Bình", created_by=self.charlie)
        self.login(self.alice)
        response = self.client.post(
            reverse("campaigns:movement-create"), {"unit": self.dongha.pk, "name": "Sáng tạo"}
        )
        self.assertRedirects(response, reverse("campaigns:movement-list"))
        names = [m.name for m in self.client.get(reverse("campaigns:movement-list")).context["movements"]]
        self.assertEqual(names, ["Phong trào toàn quốc", "Sáng tạo"])
        response = self.client.post(
            reverse("campaigns:movement-create"), {"unit": self.dongha.pk, "name": "sang tao"}
        )
        self.assertContains(response, "already has a movement")

    def test_a_viewer_may_not_add_movements(self):
        self.login(self.bob)
        self.assertEqual(self.client.get(reverse("campaigns:movement-create")).status_code, 403)
