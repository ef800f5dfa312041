"""Reading a reply: pure functions, no Django. Tested with tables, a corpus and hypothesis.

- `read_message` turns raw bytes into the few things we use, never raising.
- `reply_text` cuts at our "reply above this line" marker, then lets mail-parser-reply strip
  quote headers ("On … wrote:", "Am … schrieb …:", "El … escribió:", "Le … a écrit :",
  Outlook's "From:/Sent:" block) and signatures.
- `noise_reason` says why a message is automatic (out of office, a bounce, a list), or "".
- `suggest_answer` reads plain cues ("happy to", "not right now") into one of the four answers,
  only ever a suggestion for the seeker to confirm.
"""

import email
import email.policy
import re
from dataclasses import dataclass
from email.message import Message
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

from mailparser_reply import EmailReplyParser  # type: ignore[import-untyped]

# The line every email that takes replies carries above everything else. Clients quote it
# below the helper's words ("> ## Reply above this line ##"), so everything from the first line
# that contains it down is the quoted original.
MARKER = "Reply above this line"
TEXT_CAP = 5000  # characters of a reply kept; more is in the raw copy
LANGUAGES = ["en", "de", "es", "fr", "nl", "it", "pl", "sv", "da", "ja"]
_PARSER = EmailReplyParser(languages=LANGUAGES)


@dataclass
class Read:
    message_id: str
    from_address: str
    subject: str
    text: str  # the body as plain text (HTML converted), before stripping
    attachment_dropped: bool
    noise: str  # why it is automatic, or ""
    dmarc_failed: bool


def _header(message: Message, name: str) -> str:
    """A header as a plain one-line string, whatever state it is in ("" when absent or broken)."""
    try:
        value = message.get(name)
    except Exception:  # the email package's lazy header parsing can fail on hostile input
        try:
            raw = message._headers  # type: ignore[attr-defined]
            value = next((v for k, v in raw if k.lower() == name.lower()), None)
        except Exception:
            return ""
    if value is None:
        return ""
    try:
        text = str(value)
    except Exception:
        return ""
    return " ".join(text.replace("\x00", "").split())


def _all_headers(message: Message, name: str) -> list[str]:
    try:
        return [" ".join(str(v).split()) for v in message.get_all(name, [])]
    except Exception:
        return []


def _decode(part: Message) -> str:
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        return ""
    if not isinstance(payload, bytes):
        return ""
    charset = "utf-8"
    try:
        charset = part.get_content_charset() or "utf-8"
    except Exception:  # noqa: S110  a broken charset parameter: utf-8 with replacement
        pass
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name
        return payload.decode("utf-8", errors="replace")


def _body(message: Message) -> tuple[str, bool]:
    """The first text/plain part (or the first text/html one, as text), and whether anything
    else (an attachment, an image) was left behind."""
    plain = html = None
    dropped = False
    try:
        parts = list(message.walk())
    except Exception:
        parts = [message]
    for part in parts[:200]:
        try:
            if part.is_multipart():
                continue
            ctype = part.get_content_type()
            disposition = (part.get_content_disposition() or "").lower()
        except Exception:
            dropped = True
            continue
        if disposition == "attachment" or not ctype.startswith("text/"):
            dropped = True
        elif ctype == "text/plain" and plain is None:
            plain = _decode(part)
        elif ctype == "text/html" and html is None:
            html = _decode(part)
        elif ctype not in ("text/plain", "text/html"):
            dropped = True
    if plain is not None and plain.strip():
        return plain, dropped
    if html is not None:
        return html_to_text(html), dropped
    return plain or "", dropped


def read_message(raw: bytes) -> Read:
    """What we need from a raw message. Never raises: hostile input gives empty fields."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.compat32)
    except Exception:
        message = Message()
    subject = _header(message, "Subject")
    try:
        subject = str(email.header.make_header(email.header.decode_header(subject)))
    except Exception:  # noqa: S110  keep the undecoded subject
        pass
    text, dropped = _body(message)
    return Read(
        message_id=_header(message, "Message-ID")[:900],
        from_address=_address(_header(message, "From")),
        subject=" ".join(subject.split())[:300],
        text=text.replace("\x00", ""),
        attachment_dropped=dropped,
        noise=noise_reason(message, subject),
        dmarc_failed=any(
            re.search(r"\bdmarc\s*=\s*fail\b", value, re.IGNORECASE)
            for value in _all_headers(message, "Authentication-Results")
        ),
    )


def _address(value: str) -> str:
    try:
        addresses = [a for _, a in getaddresses([value]) if "@" in a]
    except Exception:
        addresses = [parseaddr(value)[1]]
    return (addresses[0] if addresses else "").strip().lower()[:320]


# --- Loops and noise ----------------------------------------------------------------------

_NOREPLY = re.compile(
    r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?|auto-?reply|autoresponder)"
    r"([+\-._].*)?@",
    re.IGNORECASE,
)
# Out-of-office subjects as the big clients write them, in the languages the parser knows.
_OUT_OF_OFFICE = re.compile(
    r"^\s*(?:(?:re|aw|sv|antw|r|rif|odp)\s*:\s*)*(?:"
    r"out of (?:the )?office|automatic reply|auto(?:matic)?[- ]?(?:reply|response)|autoreply"
    r"|away from (?:the|my) (?:office|desk)|on (?:vacation|holiday|leave)|i am away|i'm away"
    r"|abwesenheit|abwesenheitsnotiz|automatische antwort|nicht im büro"
    r"|respuesta automática|respuesta automatica|fuera de la oficina|ausente"
    r"|réponse automatique|reponse automatique|absence du bureau|absent(?:e)? du bureau"
    r"|afwezig|automatisch antwoord|risposta automatica|fuori ufficio"
    r"|odpowiedź automatyczna|autosvar|frånvaro|fravær|不在|自動応答"
    r")",
    re.IGNORECASE,
)


def noise_reason(message: Message, subject: str) -> str:
    """Why this message is automatic and must be dropped without a word back, or ""."""
    auto = _header(message, "Auto-Submitted").lower()
    if auto and auto.split(";")[0].strip() != "no":
        return f"Auto-Submitted: {auto[:40]}"
    precedence = _header(message, "Precedence").lower()
    if precedence in ("bulk", "list", "junk", "auto_reply"):
        return f"Precedence: {precedence}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Reply"):
        if _header(message, name):
            return name
    if _header(message, "List-Id") or _header(message, "List-Unsubscribe"):
        return "a mailing list"
    try:
        content_type = message.get_content_type()
    except Exception:
        content_type = ""
    if content_type == "multipart/report":
        return "a delivery report"
    sender = _address(_header(message, "From"))
    if not sender:
        return "no sender"
    if _NOREPLY.match(sender):
        return "an automatic sender"
    if _OUT_OF_OFFICE.match(subject):
        return "an out-of-office reply"
    return ""


def is_automatic_sender(address: str) -> bool:
    return bool(_NOREPLY.match(address.strip().lower()))


# --- HTML to text ---------------------------------------------------------------------------

_BLOCKS = {
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
    "pre", "hr", "section", "article", "header", "footer",
}  # fmt: skip
_SKIP = {"script", "style", "head", "title", "template"}


class _Text(HTMLParser):
    """HTML to plain text with the stdlib: block elements break lines, blockquotes become
    "> " quotes (so the reply parser sees them as quoted), scripts and styles vanish."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.quote = 0
        self.skip = 0

    def _break(self) -> None:
        if self.lines[-1].strip():
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag == "blockquote":
            self._break()
            self.quote += 1
        elif tag == "br":
            self.lines.append("")
        elif tag in _BLOCKS:
            self._break()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.lines.append("")
        elif tag in _BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "blockquote":
            self._break()
            self.quote = max(0, self.quote - 1)
        elif tag in _BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        text = " ".join(data.replace("\xa0", " ").split())
        if not text:
            return
        if not self.lines[-1]:
            self.lines[-1] = "> " * self.quote
        elif not self.lines[-1].endswith(" "):
            text = " " + text
        self.lines[-1] += text


def html_to_text(html: str) -> str:
    parser = _Text()
    try:
        parser.feed(html[:2_000_000])
        parser.close()
    except Exception:  # noqa: S110  keep what was read so far
        pass
    text = "\n".join(line.rstrip() for line in parser.lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# --- Stripping quotes and signatures ------------------------------------------------------

_QUOTED = re.compile(r"^\s*>")
_SENT_FROM = re.compile(
    r"^\s*(sent from my|sent from (?:outlook|mail|yahoo)|get outlook for|von meinem"
    r"|gesendet von|enviado desde|envoyé de mon|envoyé depuis|verstuurd vanaf|inviato da)",
    re.IGNORECASE,
)


# A quote header the parser's own patterns miss (Gmail's Spanish "El …, X escribió:", say):
# a line ending in "wrote:" in one of our languages, with nothing but quotes below it.
_ATTRIBUTION = re.compile(
    r"(wrote|schrieb|escribió|a écrit|schreef|ha scritto|napisał\(a\)|napisał|skrev|skrev følgende)"
    r"\s*:\s*$",
    re.IGNORECASE,
)


_SEPARATOR = re.compile(r"^\s*(?:[_-]{20,}|-{3,} ?original message ?-{3,})\s*$", re.IGNORECASE)
_FROM_LINE = re.compile(r"^\s*\**(from|von|de|van|da|od|från|fra)\s?:", re.IGNORECASE)


def _cut_attribution(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        if len(line) < 400 and _ATTRIBUTION.search(line):
            rest = lines[index + 1 :]
            if all(not rest_line.strip() or _QUOTED.match(rest_line) for rest_line in rest):
                # Gmail wraps a long attribution before the address: "… via helpwanted <"
                before = lines[index - 1].rstrip() if index else ""
                if before.endswith(("<", "(<")):
                    index -= 1
                return lines[:index]
        if _SEPARATOR.match(line):
            following = next((n for n in lines[index + 1 :] if n.strip()), "")
            if _FROM_LINE.match(following):
                return lines[:index]
    return lines


def cut_at_marker(text: str) -> str:
    """Everything above the first line carrying the marker (quoted or not)."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if MARKER.lower() in line.lower():
            return "\n".join(lines[:index])
    return text


def reply_text(text: str) -> str:
    """The helper's own words: cut at the marker, quote headers, quotes and signatures gone."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")[:200_000]
    text = cut_at_marker(text)
    try:
        replies = _PARSER.read(text).replies
        latest = replies[0].body if replies else None
    except Exception:  # a parser bug must not lose the reply: fall back to the cut text
        latest = None
    if latest is None:
        latest = text
    lines = _cut_attribution(latest.splitlines())
    # Whatever quoted block and "Sent from my phone" line is left at the end goes too.
    while lines and (not lines[-1].strip() or _QUOTED.match(lines[-1])):
        lines.pop()
    lines = [line for line in lines if not _SENT_FROM.match(line)]
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    result = "\n".join(line.rstrip() for line in lines)
    result = re.sub(r"\n{3,}", "\n\n", result)
    return result[:TEXT_CAP].strip()


# --- A suggested answer ---------------------------------------------------------------------

_CUES: list[tuple[str, re.Pattern[str]]] = [
    (
        "not_now",
        re.compile(
            r"\b(not (right )?now|not at the moment|maybe later|after (the|my) (holidays|trip)"
            r"|swamped|too busy|next month|in a few weeks|gerade nicht|später|ahora no|más adelante"
            r"|pas maintenant|plus tard)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "suggest",
        re.compile(
            r"\b(try asking|you (should|could|might) (ask|talk to|reach out to|contact|try)"
            r"|(talk|speak|reach out) to|ask \w+ (instead|at)|i know someone|knows? (the|a) "
            r"(team|hiring)|put you in touch|frag(en sie)? doch|prueba con|essaie[zr]? )",
            re.IGNORECASE,
        ),
    ),
    (
        "no",
        re.compile(
            r"\b(sorry,? (but )?i can('|no)?t|i can('|no)?t help|unfortunately|i'?m afraid"
            r"|not able to|won'?t be able|i have to say no|leider|no puedo|lo siento"
            r"|je ne peux pas|désolée?)",
            re.IGNORECASE,
        ),
    ),
    (
        "yes",
        re.compile(
            r"\b(yes|yep|sure|happy to|glad to|of course|absolutely|definitely|count me in"
            r"|i('d| would) love to|i can do|works for me|sounds good|let'?s do|i'?m in"
            r"|gerne|gern|ja,|klar|sí|claro|con gusto|por supuesto|oui|avec plaisir|volontiers"
            r"|bien sûr)",
            re.IGNORECASE,
        ),
    ),
]


def suggest_answer(text: str) -> str:
    """yes / suggest / not_now / no from plain cues in the first lines, or "" when unclear.

    Only a suggestion: the seeker confirms it with one click, or picks another.
    """
    head = " ".join(text.split())[:600]
    for answer, cue in _CUES:
        if cue.search(head):
            return answer
    return ""
