"""The database-outage page, in a real browser at both widths: calm, readable, accessible."""

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

from tests.browser.conftest import ARTIFACTS, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_database_outage_shows_the_calm_page(page, live_server, monkeypatch):
    from helpwanted.lib import outage

    outage.outage_log.last = None
    page.context.add_cookies([{"name": "sessionid", "value": "a" * 32, "url": live_server.url}])

    def refuse(self, *args, **kwargs):
        raise OperationalError("connection to server failed: Connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)
    response = page.goto("/home/")
    assert response.status == 503
    assert page.get_by_role("heading", name="We'll be back shortly").is_visible()
    page.screenshot(path=ARTIFACTS / f"outage-{page.viewport_name}.png", full_page=True)
    page.screenshot(path=f"/tmp/h8-outage-{page.viewport_name}.png", full_page=True)
    monkeypatch.undo()
    # The browser reports the page's own 503 (and the favicon's) as console errors: expected.
    assert all("503 (Service Unavailable)" in e for e in page.console_errors)
    page.console_errors.clear()
    check_page(page)
    outage.outage_log.last = None
