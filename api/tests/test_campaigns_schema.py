from django.core.management import call_command
from django.urls import reverse

from api.tests.base import ApiTestCase


class CampaignSchemaTests(ApiTestCase):
    def test_it_describes_the_campaign_endpoints(self):
        body = self.client.get(reverse("api-schema")).content.decode()
        for path in (
            "/api/campaigns/",
            "/api/campaigns/{id}/",
            "/api/campaigns/{id}/targets/",
            "/api/campaigns/{id}/registrations/",
            "/api/campaigns/{id}/document.docx",
        ):
            self.assertIn(f"  {path}:", body)
        self.assertIn("application/vnd.openxmlformats-officedocument.wordprocessingml.document", body)

    def test_the_schema_validates_without_warnings(self):
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
