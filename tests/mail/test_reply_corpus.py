"""The corpus of hand-written replies (tests/fixtures/replies): each is stripped to exactly its
expected text, through the whole of inbound_process (parse, convert HTML, cut, strip)."""

from pathlib import Path

import pytest

from helpwanted.mail.inbound.parse import html_to_text, read_message, reply_text
from helpwanted.mail.inbound.process import inbound_process
from helpwanted.mail.models import InboundMessage

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "replies"
FIXTURES = sorted(p.stem for p in CORPUS.glob("*.eml"))


def _raw(name: str, reply_to: str = "reply+KEY@helpwanted.example") -> bytes:
    return (
        (CORPUS / f"{name}.eml")
        .read_bytes()
        .replace(b"reply+KEY@helpwanted.example", reply_to.encode())
    )


def test_the_corpus_covers_the_big_clients_and_four_languages():
    assert len(FIXTURES) >= 14
    for client in ("gmail", "outlook", "apple-mail", "thunderbird"):
        assert any(name.startswith(client) for name in FIXTURES), client
    for language in ("de", "es", "fr"):
        assert any(name.endswith(f"-{language}") for name in FIXTURES), language


@pytest.mark.parametrize("name", FIXTURES)
def test_each_reply_is_stripped_to_the_helpers_own_words(name):
    expected = (CORPUS / f"{name}.txt").read_text(encoding="utf-8")
    assert reply_text(read_message(_raw(name)).text) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["gmail-en-plain", "outlook-de", "apple-mail-mac-html"])
def test_a_corpus_reply_is_recorded_as_expected_through_inbound_process(asked, name):
    assert inbound_process(_raw(name, asked.reply_to), asked.reply_to, "bob@example.org") == (
        "suggested"
    )
    expected = (CORPUS / f"{name}.txt").read_text(encoding="utf-8")
    assert InboundMessage.objects.get().text == expected


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("Happy to! Thursday 4pm works.", "yes"),
        ("Sure, count me in.", "yes"),
        ("Gerne, am Donnerstag.", "yes"),
        ("¡Sí, con gusto!", "yes"),
        ("Oui, avec plaisir.", "yes"),
        ("Sorry, I can't help with this one.", "no"),
        ("Leider nicht.", "no"),
        ("I can't, but you should talk to Priya in recruiting.", "suggest"),
        ("Not right now, ask me again in January?", "not_now"),
        ("Ahora no puedo, quizás más adelante.", "not_now"),
        ("Let me think about it.", ""),
    ],
)
def test_plain_cues_suggest_an_answer_and_unclear_ones_suggest_none(text, answer):
    from helpwanted.mail.inbound.parse import suggest_answer

    assert suggest_answer(text) == answer


def test_html_becomes_text_with_blockquotes_quoted_and_scripts_gone():
    html = "<p>Yes!</p><script>alert(1)</script><blockquote><p>Quoted</p></blockquote>"
    assert html_to_text(html) == "Yes!\n> Quoted"
