"""The running API against its own OpenAPI document, with schemathesis: for every operation, generated requests
(valid and invalid parameters, with and without the token) must get a documented status code, a documented content
type and a body that conforms to the schema, and never a server error. Kept small (a few examples per operation) so
it runs in seconds.

The document is read from the package, the file /api/v1/openapi.json serves (the first test checks they are the same),
and each generated request goes to the app in process (WSGI). schemathesis.pytest.from_fixture would load it from the
app directly, but it reads a pytest attribute that pytest 9 no longer has."""

import json
from importlib import resources

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings

from tests.api.test_api import issue

DOCUMENT = json.loads(resources.files("wizard.api").joinpath("openapi.json").read_text(encoding="utf-8"))
schema = schemathesis.openapi.from_dict(DOCUMENT)


@pytest.fixture
def api_app(request):
    """The demo app with round 1's results approved, and a token."""
    # In this order: the demo round opens on the demo day, the holder submits in it, then the results are approved.
    request.getfixturevalue("in_the_window")
    app = request.getfixturevalue("demo_data")
    request.getfixturevalue("approved")
    app.config["API_RATE_LIMIT"] = "100000 per minute"  # the examples come fast: no 429 here
    return app, issue(app)


def test_the_app_serves_this_document(api_app):
    app, _token = api_app
    assert app.test_client().get("/api/v1/openapi.json").get_json() == DOCUMENT


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_conforms_to_its_document(case, api_app):
    app, token = api_app
    # This test's app: every request, the checks' own probes included, goes to it.
    case.operation.schema.app = case.operation.app = app
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})
