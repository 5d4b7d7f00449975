import re

from django.urls import reverse

from api.tests.base import ApiTestCase


class SchemaTests(ApiTestCase):
    def test_it_describes_every_endpoint(self):
        r = self.client.get(reverse("api-schema"))
        self.assertEqual(r.status_code, 200)
        body = r.content.decode()
        self.assertIn("openapi: 3", body)
        for path in (
            "/api/auth/token/",
            "/api/units/",
            "/api/units/{id}/",
            "/api/members/",
            "/api/members/{id}/",
        ):
            self.assertIn(f"  {path}:", body)
        self.assertIn("female_members", body)
        self.assertIn("UnitStatusEnum", body)


class DocsTests(ApiTestCase):
    def test_it_serves_swagger_from_local_static_files(self):
        r = self.client.get(reverse("api-docs"))
        self.assertEqual(r.status_code, 200)
        html = r.content.decode()
        self.assertIn("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js", html)
        self.assertIn("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css", html)
        # Nothing is fetched from another host (no CDN, no absolute URLs in src/href).
        self.assertEqual(re.findall(r'(?:src|href)=["\']?(?:https?:)?//', html), [])
        self.assertIn('"validatorUrl": null', html)  # no badge image from validator.swagger.io
        for cdn in ("cdn.jsdelivr", "unpkg.com", "cdnjs"):
            self.assertNotIn(cdn, html)
