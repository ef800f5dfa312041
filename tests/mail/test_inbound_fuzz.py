"""Fuzzing the way in: whatever arrives, no exception escapes inbound_process, and the pipe
command's exit code is the one an MTA needs (0 taken, 65 too big, 67 unknown address)."""

import io
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpwanted.mail.inbound.parse import read_message, reply_text
from helpwanted.mail.inbound.process import Outcome, inbound_process
from tests.mail.conftest import reply_from

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "replies"
SAMPLES = [p.read_bytes() for p in sorted(CORPUS.glob("*.eml"))]
OUTCOMES = set(Outcome)

header_names = st.sampled_from(
    ["Subject", "From", "Message-ID", "Content-Type", "Content-Transfer-Encoding",
     "Auto-Submitted", "Authentication-Results", "Precedence", "X-Weird", "To", "Date"]
)  # fmt: skip
eight_bit = st.binary(min_size=0, max_size=300)


@st.composite
def hostile_messages(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["random", "truncated", "eight_bit", "huge_header", "mime"]))
    if kind == "random":
        return draw(st.binary(max_size=3000))
    if kind == "truncated":
        sample = draw(st.sampled_from(SAMPLES))
        return sample[: draw(st.integers(0, len(sample)))]
    if kind == "eight_bit":
        headers = draw(st.lists(st.tuples(header_names, eight_bit), max_size=8))
        head = b"".join(name.encode() + b": " + value + b"\r\n" for name, value in headers)
        return head + b"\r\n" + draw(st.binary(max_size=500))
    if kind == "huge_header":
        size = draw(st.integers(1000, 200_000))
        name = draw(header_names).encode()
        return name + b": " + b"x" * size + b"\r\nFrom: bob@example.org\r\n\r\nYes!\r\n"
    boundary = draw(st.text("abc=_-", min_size=0, max_size=10)).encode()
    parts = draw(st.lists(st.binary(max_size=200), max_size=5))
    body = b"".join(b"--" + boundary + b"\r\n" + part + b"\r\n" for part in parts)
    ctype = draw(st.sampled_from([b"multipart/mixed", b"multipart/alternative", b"text/html",
                                  b"multipart/report", b"message/rfc822"]))  # fmt: skip
    return (
        b"From: bob@example.org\r\nContent-Type: " + ctype + b'; boundary="' + boundary
        + b'"\r\n\r\n' + body
    )  # fmt: skip


@given(raw=hostile_messages())
@settings(max_examples=300, deadline=None)
def test_reading_and_stripping_never_raise(raw):
    read = read_message(raw)
    assert isinstance(reply_text(read.text), str)


@pytest.mark.django_db
@given(raw=hostile_messages())
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_no_exception_escapes_inbound_process(asked, raw, django_settings_override):
    assert inbound_process(raw, asked.reply_to, "bob@example.org") in OUTCOMES
    too_big = len(raw) > 150_000
    assert inbound_process(raw, "reply+nonsense@elsewhere", "") == (
        "too_big" if too_big else "unknown"
    )


@pytest.fixture
def django_settings_override(settings):
    settings.INBOUND_LIMIT_PER_KEY = 10_000
    settings.INBOUND_LIMIT_PER_SENDER = 10_000
    settings.INBOUND_MAX_BYTES = 150_000


def _exit_code(raw: bytes, rcpt: str, monkeypatch) -> int:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    try:
        call_command("inbound", rcpt=rcpt, sender="bob@example.org", stdout=io.StringIO())
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


@pytest.mark.django_db
@given(raw=hostile_messages())
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_the_pipe_commands_exit_code_is_right_for_any_message(
    asked, raw, monkeypatch, django_settings_override
):
    expected = 65 if len(raw) > 150_000 else 0
    assert _exit_code(raw, asked.reply_to, monkeypatch) == expected
    unknown = 65 if len(raw) > 150_000 else 67
    assert _exit_code(raw, "reply+" + "d" * 32 + "@nowhere.example", monkeypatch) == unknown


@pytest.mark.django_db
def test_a_good_reply_through_the_pipe_command_exits_0(asked, monkeypatch):
    assert _exit_code(reply_from(asked, "Yes!"), asked.reply_to, monkeypatch) == 0
