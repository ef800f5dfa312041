import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from helpwanted.accounts.models import User
from helpwanted.asks.models import Ask, HelpGiven, Recipient, RecipientEvent
from helpwanted.circle.models import CircleMember, HelperGrant
from helpwanted.demo.login import DEMO_EMAIL, DEMO_PASSWORD
from helpwanted.journey.models import (
    CheckIn,
    Helper,
    Opportunity,
    Reply,
    Search,
    StageChange,
    Update,
)
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.models import Person, Target

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def test_create_seeker_reads_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("HELPWANTED_PASSWORD", "a long enough sentence")
    out = StringIO()
    call_command("create_seeker", "Erin@Example.org", "--name", "Erin Blake", stdout=out)
    user = User.objects.get(email="erin@example.org")
    assert user.display_name == "Erin Blake"
    assert user.check_password("a long enough sentence")
    assert "Created seeker erin@example.org" in out.getvalue()


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("not-an-email", "a long enough sentence", "not a valid email"),
        ("alice@example.org", "a long enough sentence", "already exists"),
        ("new@example.org", "short", "at least 12 characters"),
    ],
)
def test_create_seeker_explains_what_to_fix(monkeypatch, alice, email, password, message):
    monkeypatch.setenv("HELPWANTED_PASSWORD", password)
    with pytest.raises(CommandError, match=message):
        call_command("create_seeker", email)
    assert User.objects.count() == 1


def demo_rows() -> dict[str, list[dict]]:
    """Every row the demo writes, field by field, so a second seed can be compared exactly."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (
            User,
            Person,
            Target,
            CircleMember,
            HelperGrant,
            Ask,
            Recipient,
            RecipientEvent,
            HelpGiven,
            OutboxMessage,
            Opportunity,
            Opportunity.helpers.through,
            StageChange,
            Update,
            Reply,
            CheckIn,
            Search,
            Helper,
        )
    }


def test_seeding_the_demo_twice_gives_the_same_data():
    call_command("seed_demo", stdout=StringIO())
    first = demo_rows()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert demo_rows() == first
    assert len(first["Ask"]) >= 5 and len(first["RecipientEvent"]) > len(first["Recipient"])
    assert len(first["HelpGiven"]) == 2
    maya = User.objects.get(email=DEMO_EMAIL).pk  # her job club's members have a few too
    assert 12 <= len([o for o in first["Opportunity"] if o["owner_id"] == maya]) <= 16
    assert len(first["StageChange"]) > len(first["Opportunity"])
    assert first["Update"] and first["Reply"] and len(first["CheckIn"]) >= 20
    assert first["Search"][0]["reminder_enabled"]
    assert any(h["last_digest_at"] for h in first["Helper"])
    assert any(m["kind"] == "digest" for m in first["OutboxMessage"])
    assert f"Demo login: {DEMO_EMAIL} / {DEMO_PASSWORD}" in out.getvalue()
    assert User.objects.get(email=DEMO_EMAIL).check_password(DEMO_PASSWORD)


def test_the_tick_command_runs_its_jobs():
    out = StringIO()
    call_command("tick", stdout=out)
    assert "outbox_prune: 0" in out.getvalue()


def run_check(extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "HELPWANTED_DEMO", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "-m", "helpwanted", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_check():
    result = run_check(
        {
            "HELPWANTED_PRODUCTION": "1",
            "SECRET_KEY": "x" * 20 + "a-long-and-random-production-secret-key-0123456789",
            "ALLOWED_HOSTS": "helpwanted.example.org",
            "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
        }
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_check(
        {
            "HELPWANTED_PRODUCTION": "1",
            "ALLOWED_HOSTS": "x.example.org",
            "EMAIL_URL": "smtp://localhost",
            "SECRET_KEY": "",
        }
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr
