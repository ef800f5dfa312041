"""The three ways in: a real SMTP conversation with `inbound_smtp`, the pipe command's exit
codes (a real `helpwanted inbound` process), and two deliveries of one message at once."""

import io
import os
import smtplib
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import OperationalError

from helpwanted.mail.inbound.process import inbound_process
from helpwanted.mail.management.commands.inbound_smtp import make_controller
from helpwanted.mail.models import InboundMessage
from tests.concurrency import twice
from tests.mail.conftest import reply_from
from tests.processes import ROOT, database_url
from tests.smtp import free_port


@pytest.fixture
def listener():
    port = free_port()
    controller = make_controller("127.0.0.1", port)
    controller.start()
    yield port
    controller.stop()


@pytest.mark.django_db(transaction=True)
def test_a_real_smtp_conversation_refuses_an_unknown_key_and_records_a_good_reply_once(
    asked, listener
):
    raw = reply_from(asked, "Happy to! Thursday 4pm works.")
    domain = asked.reply_to.rpartition("@")[2]
    with smtplib.SMTP("127.0.0.1", listener, timeout=10) as client:
        client.ehlo("mx.example.org")
        assert client.mail("bob@example.org")[0] == 250
        code, reason = client.rcpt(f"reply+{'b' * 32}@{domain}")
        assert code == 550 and b"unknown or has expired" in reason
        code, reason = client.rcpt(f"someone@{domain}")
        assert code == 550
        client.rset()
        # The same message twice (a sending server's retry): both accepted, recorded once.
        client.sendmail("bob@example.org", [asked.reply_to], raw)
        client.sendmail("bob@example.org", [asked.reply_to], raw)
    assert InboundMessage.objects.count() == 1
    message = InboundMessage.objects.get()
    assert message.status == "suggested" and message.text == "Happy to! Thursday 4pm works."
    assert message.mail_from == "bob@example.org"


@pytest.mark.django_db(transaction=True)
def test_the_listener_refuses_a_revoked_links_key_at_rcpt(asked, listener):
    from helpwanted.circle.actions import grant_revoke

    grant_revoke(member=asked.bob.member)
    with smtplib.SMTP("127.0.0.1", listener, timeout=10) as client:
        client.ehlo("mx.example.org")
        client.mail("bob@example.org")
        assert client.rcpt(asked.reply_to)[0] == 550
    assert not InboundMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_listener_says_too_big_for_a_message_over_the_cap(asked, settings):
    settings.INBOUND_MAX_BYTES = 4000
    port = free_port()
    controller = make_controller("127.0.0.1", port)
    controller.start()
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            with pytest.raises(smtplib.SMTPException):
                client.sendmail("bob@example.org", [asked.reply_to], reply_from(asked, "x" * 9000))
    finally:
        controller.stop()
    assert not InboundMessage.objects.exists()


def _pipe(raw: bytes, rcpt: str, sender: str = "bob@example.org", **env: str):
    return subprocess.run(
        [sys.executable, "-m", "helpwanted", "inbound", "--rcpt", rcpt, "--sender", sender],
        input=raw,
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "DJANGO_SETTINGS_MODULE": "helpwanted.settings",
            **env,
        },
        capture_output=True,
        timeout=60,
    )


@pytest.mark.django_db(transaction=True)
def test_the_pipe_command_answers_0_67_and_75_as_an_mta_expects(asked, tmp_path):
    raw = reply_from(asked, "Yes, happy to!")
    unknown = _pipe(raw, "reply+" + "c" * 32 + "@" + asked.reply_to.rpartition("@")[2])
    assert unknown.returncode == 67, unknown.stderr
    taken = _pipe(raw, asked.reply_to)
    assert taken.returncode == 0, taken.stderr
    assert taken.stdout.strip() == b"suggested"
    again = _pipe(raw, asked.reply_to)
    assert again.returncode == 0 and again.stdout.strip() == b"duplicate"
    assert InboundMessage.objects.count() == 1
    down = _pipe(raw, asked.reply_to, DATABASE_URL="postgres://nobody@127.0.0.1:1/none")
    assert down.returncode == 75, down.stderr


@pytest.mark.django_db
def test_the_pipe_command_says_try_again_later_when_the_database_fails(asked, monkeypatch):
    def broken(*args: object) -> str:
        raise OperationalError("database is locked")

    monkeypatch.setattr("helpwanted.mail.management.commands.inbound.inbound_process", broken)
    stdin = io.TextIOWrapper(io.BytesIO(reply_from(asked, "Yes")))
    monkeypatch.setattr(sys, "stdin", stdin)
    with pytest.raises(SystemExit) as exit_:
        call_command("inbound", rcpt=asked.reply_to, sender="bob@example.org")
    assert exit_.value.code == 75


@pytest.mark.django_db(transaction=True)
def test_the_same_message_arriving_at_two_app_servers_at_once_is_recorded_once(asked):
    raw = reply_from(asked, "Yes, happy to!")
    outcomes = twice(inbound_process, raw, asked.reply_to, "bob@example.org")
    assert sorted(outcomes) == ["duplicate", "suggested"]
    assert InboundMessage.objects.count() == 1
    from helpwanted.asks.models import RecipientEvent

    assert RecipientEvent.objects.filter(note="replied by email").count() == 1
