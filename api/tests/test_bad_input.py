"""Bad input is answered, never a server error, and always as the schema says: the six 500s
of the outside probe (issue 11), then every path id and every query parameter of every route
of /api/schema/ with values no row or rule admits, then bodies that are not what a route
reads. Each answer's status must be documented for its operation and its body must match
the documented schema."""

from __future__ import annotations

from io import StringIO
from urllib.parse import quote

from django.core.management import call_command
from django.test import TestCase
from django.urls import URLPattern, URLResolver, reverse
from jsonschema import Draft202012Validator
from rest_framework.authtoken.models import Token

from accounts.models import User
from accounts.scoping import scoped
from api import urls as api_urls
from api.base import ApiView
from awards.models import Decision
from awards.selectors.catalogue import visible_awards
from awards.selectors.nominations import nominations_for_user
from campaigns.models import Plan
from campaigns.selectors.covenants import clusters_for_user
from lib.testing import EnglishMixin
from org.models import Member, Unit
from reports.models import Report

HUGE = "99999999999999999999"  # past 64 bits: SQLite cannot even bind it
BAD_IDS = ["true", "0", "-1", "0.5", "1e3", "null,null", HUGE, "805768396749406090559488", "%00"]
BAD_QUERY = {
    "integer": ["x", "-1", "0", "1.5", HUGE, "١٢"],
    "boolean": ["maybe", "-1"],
    "string": ["\x00", "x" * 300, "'; --"],
}


def openapi_to_jsonschema(node):
    """OpenAPI 3.0's `nullable` and boolean exclusive bounds in JSON Schema's words, so that
    jsonschema can judge bodies."""
    if isinstance(node, list):
        return [openapi_to_jsonschema(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: openapi_to_jsonschema(v) for k, v in node.items() if k not in ("readOnly", "writeOnly")}
    for bound, exclusive in (("maximum", "exclusiveMaximum"), ("minimum", "exclusiveMinimum")):
        if isinstance(node.get(exclusive), bool):
            if node.pop(exclusive):
                node[exclusive] = node.pop(bound)
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


class SchemaCheckedTestCase(EnglishMixin, TestCase):
    """Requests as the demo's provincial officer, their answers checked against /api/schema/."""

    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_demo", members=300, stdout=StringIO())
        cls.tinh = User.objects.get(username="tinh.quangtri")

    def setUp(self) -> None:
        super().setUp()
        token, _ = Token.objects.get_or_create(user=self.tinh)
        self.client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
        if not hasattr(type(self), "spec"):
            r = self.client.get(reverse("api-schema") + "?format=json")
            self.assertEqual(r.status_code, 200)
            type(self).spec = r.json()
            type(self).components = openapi_to_jsonschema(r.json()["components"])

    def assertAnswersAsDocumented(self, method: str, template: str, response) -> None:
        where = f"{method.upper()} {template} -> {response.status_code} {response.content[:300]!r}"
        self.assertLess(response.status_code, 500, where)
        documented = self.spec["paths"][template][method]["responses"]
        self.assertIn(str(response.status_code), documented, f"undocumented status: {where}")
        content = documented[str(response.status_code)].get("content", {})
        if "application/json" not in content:
            return
        self.assertEqual(response["Content-Type"], "application/json", where)
        schema = {**content["application/json"]["schema"], "components": self.components}
        errors = [e.message for e in Draft202012Validator(schema).iter_errors(response.json())]
        self.assertEqual(errors, [], f"body does not match the schema: {where}")


class IssueProbeTests(SchemaCheckedTestCase):
    """The six calls that answered 500 in the outside probe, and the two 400 bodies."""

    def test_a_path_id_that_is_not_a_number_is_not_found(self):
        for template in (
            "/api/campaigns/{id}/",
            "/api/campaigns/{id}/registrations/",
            "/api/campaigns/{id}/targets/",
        ):
            r = self.client.get(template.format(id="true"))
            self.assertEqual(r.status_code, 404, template)
            self.assertAnswersAsDocumented("get", template, r)

    def test_a_filter_id_past_64_bits_is_refused(self):
        for key in ("award", "round"):
            r = self.client.get("/api/nominations/", {key: HUGE})
            self.assertEqual(r.status_code, 400, key)
            self.assertEqual(list(r.json()), [key])
            self.assertAnswersAsDocumented("get", "/api/nominations/", r)

    def test_a_ranking_for_year_zero_is_refused(self):
        cluster = clusters_for_user(user=self.tinh).first()
        self.assertIsNotNone(cluster, "the demo has clusters the provincial officer can read")
        r = self.client.get("/api/rankings/", {"cluster": cluster.pk, "year": 0})
        self.assertEqual(r.status_code, 400)
        self.assertEqual(list(r.json()), ["year"])
        self.assertAnswersAsDocumented("get", "/api/rankings/", r)
        r = self.client.get("/api/rankings/", {"cluster": cluster.pk, "year": 2021})
        self.assertAnswersAsDocumented("get", "/api/rankings/", r)
        self.assertEqual(r.status_code, 200)

    def test_a_rollup_of_a_form_past_64_bits_is_not_found(self):
        r = self.client.get("/api/rollup/", {"form": "805768396749406090559488"})
        self.assertEqual(r.status_code, 404)
        self.assertAnswersAsDocumented("get", "/api/rollup/", r)

    def test_a_body_that_is_not_json_is_refused_in_the_documented_shape(self):
        for template in ("/api/nominations/", "/api/reports/"):
            for body in ("\x00", "{", "[]", "null", '"text"'):
                r = self.client.post(template, body, content_type="application/json")
                self.assertEqual(r.status_code, 400, (template, body))
                self.assertTrue(r.json()["errors"], (template, body))
                self.assertAnswersAsDocumented("post", template, r)

    def test_ids_past_64_bits_in_a_body_are_refused(self):
        r = self.client.post(
            "/api/nominations/",
            {"round": HUGE, "award": HUGE, "unit": HUGE, "nominees": [{"member": HUGE}]},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 400, r.content)
        self.assertAnswersAsDocumented("post", "/api/nominations/", r)
        r = self.client.post(
            "/api/reports/", {"request": HUGE, "unit": HUGE, "values": {}}, content_type="application/json"
        )
        self.assertEqual(r.status_code, 400, r.content)
        self.assertEqual({e["indicator"] for e in r.json()["errors"]}, {"request", "unit"})
        self.assertAnswersAsDocumented("post", "/api/reports/", r)

    def test_a_figure_the_database_cannot_hold_is_refused(self):
        officer = User.objects.get(username="cdcs.demo")
        self.client.defaults["HTTP_AUTHORIZATION"] = (
            f"Token {Token.objects.get_or_create(user=officer)[0].key}"
        )
        row = next(r for r in self.client.get("/api/report-requests/").json() if r["unit"])
        form = next(f for f in self.client.get("/api/report-forms/").json() if f["id"] == row["form"])
        kinds = {i["kind"]: i["code"] for i in reversed(form["indicators"]) if not i["formula"]}

        def post(values: dict):
            body = {"request": row["id"], "unit": row["unit"], "values": values}
            return self.client.post("/api/reports/", body, content_type="application/json")

        for values in ({kinds["integer"]: "1e30"}, {kinds["money"]: "Infinity"}, {kinds["text"]: "a\x00b"}):
            r = post(values)
            self.assertEqual(r.status_code, 400, r.content)
            self.assertEqual([e["indicator"] for e in r.json()["errors"]], list(values))
            self.assertAnswersAsDocumented("post", "/api/reports/", r)
        r = post({kinds["integer"]: None, kinds["text"]: "Tốt"})  # null: no figure, as the schema says
        self.assertEqual(r.status_code, 201, r.content)
        self.assertAnswersAsDocumented("post", "/api/reports/", r)


class EveryRouteTests(SchemaCheckedTestCase):
    """Every GET operation of the schema, every parameter spoilt in turn."""

    def real_ids(self) -> dict[str, int]:
        """An object the provincial officer may read for each kind of path, so that a spoilt query
        parameter is judged by the view rather than lost in a 404 for its path."""
        plans = scoped(Plan.objects.exclude(status=Plan.Status.DRAFT), user=self.tinh)
        rows = {
            "awards": visible_awards(user=self.tinh),
            "campaigns": plans,
            "decisions": scoped(Decision.objects.all(), user=self.tinh),
            "members": scoped(Member.objects.all(), user=self.tinh),
            "nominations": nominations_for_user(user=self.tinh),
            "reports": scoped(Report.objects.all(), user=self.tinh),
            "units": scoped(Unit.objects.all(), user=self.tinh, unit_field=""),
        }
        return {key: qs.order_by("-pk").values_list("pk", flat=True).first() for key, qs in rows.items()}

    def good_query(self) -> dict[str, str]:
        """Values for the required parameters (the rankings' cluster and year)."""
        return {"cluster": str(clusters_for_user(user=self.tinh).first().pk), "year": "2021"}

    def get_operations(self):
        for template, item in self.spec["paths"].items():
            if "get" in item and template not in (reverse("api-schema"), reverse("api-docs")):
                yield template, item["get"]

    def required_query(self, operation: dict) -> dict[str, str]:
        """Good values for the operation's required query parameters, so that only the one spoilt
        part of a request is wrong."""
        return {
            p["name"]: self.good_query()[p["name"]]
            for p in operation.get("parameters", [])
            if p["in"] == "query" and p.get("required")
        }

    def fill(self, template: str, ids: dict[str, int], value: str | None = None) -> str:
        if "{id}" not in template:
            return template
        resource = template.split("/")[2]
        return template.replace("{id}", quote(value, safe="%") if value is not None else str(ids[resource]))

    def test_it_covers_the_routes_with_real_objects(self):
        ids = self.real_ids()
        self.assertNotIn(None, ids.values(), ids)  # the demo has one of each to read
        templates = [t for t, _ in self.get_operations()]
        self.assertGreaterEqual(len(templates), 20)
        self.assertIn("/api/campaigns/{id}/document.docx", templates)

    def test_a_path_id_that_names_nothing_is_404_everywhere(self):
        ids = self.real_ids()
        for template, operation in self.get_operations():
            if "{id}" not in template:
                continue
            for value in BAD_IDS:
                with self.subTest(template=template, id=value):
                    required = self.required_query(operation)
                    r = self.client.get(self.fill(template, ids, value), required)
                    self.assertEqual(r.status_code, 404, r.content[:200])
                    self.assertAnswersAsDocumented("get", template, r)

    def test_a_spoilt_query_parameter_is_answered_as_documented(self):
        ids = self.real_ids()
        for template, operation in self.get_operations():
            url = self.fill(template, ids)
            good = self.required_query(operation)
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "query":
                    continue
                schema = parameter["schema"]
                values = BAD_QUERY["string"] if "enum" in schema else BAD_QUERY.get(schema.get("type"), [])
                if "enum" in schema:
                    values = ["nonsense", *values]
                for value in values:
                    with self.subTest(template=template, parameter=parameter["name"], value=value):
                        r = self.client.get(url, {**good, parameter["name"]: value})
                        self.assertAnswersAsDocumented("get", template, r)
                        if "enum" in schema or schema.get("type") in ("integer", "boolean"):
                            # Not what the schema admits: refused (404 for an id naming nothing).
                            self.assertIn(r.status_code, (400, 404), r.content[:200])

    def test_an_empty_parameter_is_the_same_as_none(self):
        ids = self.real_ids()
        for template, operation in self.get_operations():
            url = self.fill(template, ids)
            good = self.required_query(operation)
            optional = [
                p for p in operation.get("parameters", []) if p["in"] == "query" and not p.get("required")
            ]
            if not optional:
                continue
            with self.subTest(template=template):
                for parameter in optional:
                    self.assertTrue(parameter.get("allowEmptyValue"), parameter["name"])
                plain = self.client.get(url, good)
                empty = self.client.get(url, {**good, **{p["name"]: "" for p in optional}})
                self.assertAnswersAsDocumented("get", template, empty)
                self.assertEqual(empty.status_code, plain.status_code)
                if plain["Content-Type"] == "application/json":
                    bodies = [r.json() for r in (plain, empty)]
                    for body in bodies:
                        if isinstance(body, dict):  # the link to the next page repeats the query
                            body.pop("next", None)
                    self.assertEqual(bodies[1], bodies[0])

    def test_without_a_token_every_route_answers_401_as_documented(self):
        ids = self.real_ids()
        self.client.defaults.pop("HTTP_AUTHORIZATION")
        for template, _operation in self.get_operations():
            with self.subTest(template=template):
                r = self.client.get(self.fill(template, ids))
                self.assertEqual(r.status_code, 401)
                self.assertAnswersAsDocumented("get", template, r)


class EveryViewIsAnApiViewTests(TestCase):
    def test_every_route_parses_its_path_ids(self):
        def views(patterns):
            for p in patterns:
                if isinstance(p, URLResolver):
                    yield from views(p.url_patterns)
                elif isinstance(p, URLPattern):
                    yield p, getattr(p.callback, "cls", None)

        checked = 0
        for pattern, cls in views(api_urls.urlpatterns):
            if pattern.name in ("api-schema", "api-docs"):
                continue
            self.assertTrue(cls is not None and issubclass(cls, ApiView), f"{pattern.pattern} ({cls})")
            checked += 1
        self.assertGreaterEqual(checked, 15)
