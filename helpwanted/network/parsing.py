"""Pure parsing core for the contact importers (no Django here).

Reads LinkedIn's Connections.csv and messages.csv, Google Contacts CSV exports and
vCard 2.1/3.0/4.0 files into plain dataclasses, and writes vCard 3.0 back out.

Every problem with the whole file is an :class:`ImportFileError` whose message is a
friendly sentence; problems with a single row or card become a :class:`RowError` and
the rest of the file still imports. Message text and subjects are never kept.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import csv
import datetime
import functools
import io
import itertools
import quopri
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

import vobject.base
from nameparser import HumanName

__all__ = [
    "MAX_FIELD_CHARS",
    "MAX_FILE_BYTES",
    "MAX_PHOTO_BYTES",
    "MAX_ROWS",
    "Contact",
    "ImportFileError",
    "ParseResult",
    "RowError",
    "csv_safe",
    "decode",
    "detect_format",
    "normalise_email",
    "normalise_linkedin_url",
    "normalise_name",
    "parse",
    "parse_google_csv",
    "parse_linkedin_connections",
    "parse_linkedin_messages",
    "parse_vcards",
    "to_vcard",
]

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MAX_FIELD_CHARS = 10_000
MAX_PHOTO_BYTES = 256 * 1024  # vCard photos are always dropped, whatever their size.

FORMATS = ("linkedin", "linkedin-messages", "google", "vcard")

# The csv module refuses fields over 128 KiB by default; we want to read them and then
# skip the row politely instead of crashing.
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))

_HEADER_SEARCH_ROWS = 20  # the header must be within the first rows (after any preamble)
_DETECT_SAMPLE_CHARS = 1024 * 1024
_MAX_QUOTE_RECOVERIES = 10
_DELIMITERS = (",", ";", "\t")

_TOO_LONG = "A field is longer than 10,000 characters."
_UNCLOSED_QUOTE = 'This row has a quote mark (") that is never closed, so we skipped this line.'
_TOO_MANY_ROWS = (
    "This file has more than 50,000 rows. Please split it into smaller files and "
    "upload them one at a time."
)
_ACCEPTED = (
    "We accept LinkedIn's Connections.csv or messages.csv, a Google Contacts CSV export, "
    "or a vCard (.vcf) file."
)
_FORMAT_LABELS = {
    "linkedin": "LinkedIn's Connections.csv",
    "linkedin-messages": "LinkedIn's messages.csv",
    "google": "a Google Contacts CSV export",
    "vcard": "a vCard (.vcf) file",
}


class ImportFileError(Exception):
    """The whole file cannot be read; str(e) is one plain, friendly sentence saying what to fix."""


@dataclass(slots=True)
class Contact:
    """One person read from an import file."""

    line: int
    name: str
    emails: list[str]
    phones: list[str]
    company: str = ""
    position: str = ""
    location: str = ""
    linkedin_url: str = ""
    connected_on: datetime.date | None = None
    notes: str = ""


@dataclass(slots=True)
class RowError:
    """A row or card that was skipped, with a plain-sentence reason."""

    line: int
    reason: str


@dataclass
class ParseResult:
    """Everything read from one uploaded file."""

    format: str
    encoding: str
    contacts: list[Contact]
    errors: list[RowError]
    message_counts: dict[str, int] = field(default_factory=dict)
    names_by_url: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- decoding

_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel or Word"),
    (b"\x89PNG\r\n\x1a\n", "an image"),
    (b"\xff\xd8\xff", "an image"),
    (b"GIF87a", "an image"),
    (b"GIF89a", "an image"),
    (b"\x1f\x8b", "a compressed (.gz)"),
    (b"SQLite format 3\x00", "a database"),
    (b"{\\rtf", "a Rich Text (RTF)"),
)


def _decode_mixed(data: bytes) -> str:
    """Decode UTF-8, reading any line that is not valid UTF-8 as Windows-1252 instead."""
    lines = []
    for line in data.splitlines(keepends=True):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(line.decode("cp1252", errors="replace"))
    return "".join(lines)


def _sniff_binary(data: bytes) -> None:
    head = data[:8]
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        sample = data[:65536]
        if b"xl/" in sample:
            raise ImportFileError(
                "This looks like an Excel file, not a CSV or vCard. In Excel, choose "
                "File > Save As > CSV and upload that file instead."
            )
        if b"word/" in sample:
            raise ImportFileError(
                "This looks like a Word document, not a CSV or vCard. Please upload the "
                ".csv or .vcf file you exported."
            )
        raise ImportFileError(
            "This looks like a ZIP file, not a CSV or vCard. Please unzip it first and "
            "upload the .csv or .vcf file inside."
        )
    for magic, kind in _BINARY_MAGIC:
        if data.startswith(magic):
            raise ImportFileError(
                f"This looks like {kind} file, not a CSV or vCard. Please upload the .csv "
                "or .vcf file you exported."
            )


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\x0c\x1a")
    return controls > 8 and controls * 20 > len(sample)


def decode(data: bytes) -> tuple[str, str]:
    """Decode an uploaded file to text and name its encoding ("utf-8" or "cp1252").

    UTF-8 (with or without a BOM) is tried first; any line that is not valid UTF-8 is
    read as Windows-1252 instead, and the encoding is then reported as "cp1252".
    Files with a UTF-16 byte-order mark (old Google exports) are reported as "utf-16".
    NUL characters are removed. Raises ImportFileError for empty, huge or binary files.
    """
    data = bytes(data)
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            "This file is larger than 20 MB. Please split it into smaller files and "
            "upload them one at a time."
        )
    if not data.strip(b" \t\r\n\x00\x0b\x0c"):
        raise ImportFileError("This file is empty.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = data.decode("utf-16", errors="replace"), "utf-16"
    else:
        _sniff_binary(data)
        try:
            text, encoding = data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            text = _decode_mixed(data[3:] if data.startswith(codecs.BOM_UTF8) else data)
            encoding = "cp1252"
    text = text.replace("\x00", "").lstrip("\ufeff")
    if not text.strip():
        raise ImportFileError("This file is empty.")
    if _looks_binary(text):
        raise ImportFileError(
            "This looks like a binary file, not a CSV or vCard. Please upload the .csv or "
            ".vcf file you exported."
        )
    return text, encoding


# --------------------------------------------------------------------------- normalisers

_APOSTROPHES = dict.fromkeys(map(ord, "'\u2019\u02bc\u2018`\u00b4"), None)
_LATIN_EXTRA = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"}
)
_EMAIL_BAD_CHARS = frozenset(' \t\r\n<>()[]{},;:"\\')


def _collapse(value: str) -> str:
    """Collapse runs of whitespace to one space and trim."""
    return " ".join(value.split())


def _clean_notes(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in value.split("\n")).strip()


def normalise_email(s: str) -> str:
    """Lowercase and trim an e-mail address; return "" if it does not look like one.

    Loose check only: one "@" with something before it and a dot inside the part after it.
    """
    value = (s or "").strip().strip("<>").strip()
    if value[:7].lower() == "mailto:":
        value = value[7:].split("?", 1)[0].strip()
    value = value.lower()
    local, at, domain = value.rpartition("@")
    if not at or not local or "@" in local:
        return ""
    if any(ch in _EMAIL_BAD_CHARS or ord(ch) < 32 for ch in value):
        return ""
    if "." not in domain or domain.startswith(".") or domain.endswith("."):
        return ""
    return value


# ASCII fast path for normalise_name: apostrophes vanish, every other character in the
# Unicode P, S, C or Z categories becomes a space, letters are lowercased.
_ASCII_NAME_TABLE = str.maketrans(
    {
        chr(code): (
            None
            if chr(code) in "'`"
            else " "
            if unicodedata.category(chr(code))[0] in "PSCZ"
            else chr(code).lower()
        )
        for code in range(128)
    }
)


def normalise_name(s: str) -> str:
    """Matching key for a person's name: casefolded, accents and punctuation removed."""
    if (s or "").isascii():
        return " ".join((s or "").translate(_ASCII_NAME_TABLE).split())
    value = unicodedata.normalize("NFKD", (s or "").casefold())
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    value = value.translate(_APOSTROPHES).translate(_LATIN_EXTRA)
    value = "".join(" " if unicodedata.category(ch)[0] in "PSCZ" else ch for ch in value)
    return _collapse(value)


_TITLES = frozenset({"mr", "mrs", "ms", "mx", "miss", "dr", "prof", "sir", "dame", "rev"})


def first_name(name: str) -> str:
    """The name to greet someone by: "Dr. Jordan Rivera" -> "Jordan". Empty when there is none."""
    words = name.split()
    while len(words) > 1 and words[0].rstrip(".").casefold() in _TITLES:
        words = words[1:]
    return words[0] if words else ""


def normalise_linkedin_url(url: str) -> str:
    """Canonical https://www.linkedin.com/in/<slug> form of a profile URL, else "".

    Scheme, country subdomains, query strings, fragments and trailing slashes are dropped
    and the slug is lowercased. Non-LinkedIn or non-profile URLs give "".
    """
    if _CANONICAL_LINKEDIN_RE.fullmatch(url or ""):
        return url
    if len(url or "") <= 300:
        return _normalise_linkedin_url_cached(url or "")
    return _normalise_linkedin_url(url or "")


# Already canonical: nothing to strip, lowercase or re-quote (no "%" escapes, so quoting is a no-op).
_CANONICAL_LINKEDIN_RE = re.compile(r"https://www\.linkedin\.com/in/[a-z0-9_.~-]{1,200}")


@functools.lru_cache(maxsize=8192)
def _normalise_linkedin_url_cached(url: str) -> str:
    return _normalise_linkedin_url(url)


def _normalise_linkedin_url(url: str) -> str:
    value = (url or "").strip().strip("<>\"'").strip()
    if not value:
        return ""
    if "://" not in value:
        value = ("https:" if value.startswith("//") else "https://") + value
    try:
        parts = urlsplit(value)
        host = (parts.hostname or "").lower()
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https"):
        return ""
    if host != "linkedin.com" and not host.endswith(".linkedin.com"):
        return ""
    segments = [segment for segment in parts.path.split("/") if segment]
    if len(segments) < 2 or segments[0].lower() != "in":
        return ""
    slug = unquote(segments[1]).strip().lower()
    if not slug:
        return ""
    return "https://www.linkedin.com/in/" + quote(slug, safe="-_.~")


_CSV_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\0", "|", "%")


def union_values(old: list[str], new: list[str], fold: bool) -> list[str]:
    """`old` plus each value of `new` not already there (case-blind when `fold`), in order."""
    seen = {v.lower() for v in old} if fold else set(old)
    merged = list(old)
    for value in new:
        key = value.lower() if fold else value
        if value and key not in seen:
            seen.add(key)
            merged.append(value)
    return merged


def csv_safe(value: str) -> str:
    """Guard a CSV export cell against formula injection by prefixing risky cells with "'"."""
    value = "" if value is None else str(value)
    if value.startswith(_CSV_DANGEROUS):
        return "'" + value
    return value


def _dedupe(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value and value not in seen:
            seen[value] = None
    return list(seen)


def _clean_emails(values: Iterable[str]) -> list[str]:
    if isinstance(values, list) and len(values) == 1:
        email = normalise_email(values[0]) if values[0] else ""
        return [email] if email else []
    return _dedupe(normalise_email(value) for value in values)


def _clean_phones(values: Iterable[str]) -> list[str]:
    phones = (_collapse(value) for value in values)
    return _dedupe(phone for phone in phones if any(ch.isdigit() for ch in phone))


_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_LINKEDIN_DATE_RE = re.compile(r"(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{4})")
_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@functools.lru_cache(maxsize=4096)
def _parse_date(value: str) -> datetime.date | None:
    value = value.strip()
    try:
        if match := _LINKEDIN_DATE_RE.fullmatch(value):
            month = _MONTHS.get(match.group(2)[:3].lower())
            if month is None:
                return None
            return datetime.date(int(match.group(3)), month, int(match.group(1)))
        if match := _ISO_DATE_RE.fullmatch(value):
            return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
    return None


# --------------------------------------------------------------------------- CSV plumbing


def _ends_inside_quotes(raw: str, delimiter: str) -> bool:
    """Whether one raw CSV record ends inside a quoted field (its quote is never closed).

    A marker line is appended: if the record is still open, the csv module swallows
    the marker into it and only one record comes back.
    """
    reader = csv.reader(io.StringIO(raw + "\n\x01\n", newline=""), delimiter=delimiter)
    return sum(1 for _ in itertools.islice(reader, 2)) == 1


_Record = tuple[int, list[str] | None, str | None]


def _csv_records(text: str, delimiter: str = ",") -> Iterator[_Record]:
    """Yield (physical start line, cells, error) for each CSV record.

    A quote that is never closed would swallow the rest of the file; that record is
    reported as an error and reading restarts on the next physical line.
    """
    lines = io.StringIO(text, newline="").readlines()
    start = 0
    recoveries = 0
    while True:
        reader = csv.reader(itertools.islice(lines, start, None), delimiter=delimiter)
        previous = 0
        restart_at: int | None = None
        try:
            for row in reader:
                first = start + previous
                end = start + reader.line_num
                previous = reader.line_num
                if (
                    end >= len(lines)
                    and end - first > 1
                    and _ends_inside_quotes("".join(lines[first:end]), delimiter)
                ):
                    yield first + 1, None, _UNCLOSED_QUOTE
                    restart_at = first + 1
                    break
                yield first + 1, row, None
        except csv.Error as exc:
            raise ImportFileError(
                f"We couldn't read this CSV file near line {start + previous + 1}. Please "
                "open it in a spreadsheet app and export it as CSV again."
            ) from exc
        if restart_at is None:
            return
        recoveries += 1
        if recoveries > _MAX_QUOTE_RECOVERIES:
            raise ImportFileError(
                'This file has too many quote marks (") that are never closed. Please open '
                "it in a spreadsheet app and export it as CSV again."
            )
        start = restart_at


def _header_cells(row: list[str]) -> list[str]:
    return [_collapse(cell.replace("\ufeff", "")).lower() for cell in row]


def _is_linkedin_header(cells: list[str]) -> bool:
    return {"first name", "last name", "url"} <= set(cells)


def _is_messages_header(cells: list[str]) -> bool:
    return {"conversation id", "sender profile url"} <= set(cells)


_GOOGLE_NUMBERED_RE = re.compile(
    r"(e-mail|phone|website|address|organization|relation|event|im|custom field) \d+ - .+"
)
_GOOGLE_MARKERS = frozenset(
    {"given name", "family name", "file as", "organization name", "group membership"}
)


def _is_google_header(cells: list[str]) -> bool:
    if _is_linkedin_header(cells) or _is_messages_header(cells):
        return False
    names = {"name", "first name", "given name", "last name", "family name"}
    if not names & set(cells):
        return False
    return bool(_GOOGLE_MARKERS & set(cells)) or any(
        _GOOGLE_NUMBERED_RE.fullmatch(cell) for cell in cells
    )


_HEADER_CHECKS: tuple[tuple[str, Callable[[list[str]], bool]], ...] = (
    ("linkedin", _is_linkedin_header),
    ("linkedin-messages", _is_messages_header),
    ("google", _is_google_header),
)


class _Table:
    """A CSV body after its header row: column lookup by lowercase header name."""

    def __init__(self, header: list[str], records: Iterator[_Record]) -> None:
        self.header = header
        self.records = records
        self.index: dict[str, int] = {}
        for position, name in enumerate(header):
            self.index.setdefault(name, position)

    def get(self, row: list[str], name: str) -> str:
        position = self.index.get(name)
        if position is None or position >= len(row):
            return ""
        return row[position].strip()

    def rows(self, long_ok: frozenset[int] = frozenset()) -> Iterator[tuple[int, list[str], str]]:
        """Yield (line, cells, error) for data rows; error is "" unless the row is skipped."""
        count = 0
        for line, row, error in self.records:
            if error is not None or row is None:
                yield line, [], error or _UNCLOSED_QUOTE
                continue
            if not "".join(row).strip():
                continue
            count += 1
            if count > MAX_ROWS:
                raise ImportFileError(_TOO_MANY_ROWS)
            if (
                len(row) == len(self.header)
                and _header_cells(row[:1]) == self.header[:1]
                and _header_cells(row) == self.header
            ):
                continue  # a repeated header row, e.g. two exports pasted together
            if max(map(len, row), default=0) > MAX_FIELD_CHARS and any(
                len(cell) > MAX_FIELD_CHARS
                for position, cell in enumerate(row)
                if position not in long_ok
            ):
                yield line, [], _TOO_LONG
                continue
            yield line, row, ""


def _find_table(text: str, check: Callable[[list[str]], bool]) -> _Table | None:
    for delimiter in _DELIMITERS:
        if delimiter != "," and delimiter not in text[:_DETECT_SAMPLE_CHARS]:
            continue
        records = _csv_records(text, delimiter)
        for _line, row, _error in itertools.islice(records, _HEADER_SEARCH_ROWS):
            if row and check(_header_cells(row)):
                return _Table(_header_cells(row), records)
    return None


# --------------------------------------------------------------------------- LinkedIn


def parse_linkedin_connections(text: str) -> tuple[list[Contact], list[RowError]]:
    """Read LinkedIn's Connections.csv (with or without its "Notes:" preamble)."""
    table = _find_table(text, _is_linkedin_header)
    if table is None:
        raise ImportFileError(
            "We couldn't find LinkedIn's header row (First Name, Last Name, URL, …). Is this "
            "the Connections.csv file from your LinkedIn data export?"
        )
    contacts: list[Contact] = []
    errors: list[RowError] = []
    # Column positions looked up once; a missing column reads as "" (position past any row).
    missing = len(table.header) + 1_000_000
    first, last, url, company, position, connected = (
        table.index.get(name, missing)
        for name in ("first name", "last name", "url", "company", "position", "connected on")
    )
    email_address, email_only = (
        table.index.get(name, missing) for name in ("email address", "email")
    )
    for line, row, error in table.rows():
        if error:
            errors.append(RowError(line, error))
            continue
        width = len(row)

        def cell(position: int, row: list[str] = row, width: int = width) -> str:
            return row[position].strip() if position < width else ""

        name = " ".join(f"{cell(first)} {cell(last)}".split())
        if not name:
            errors.append(RowError(line, "No name on this row."))
            continue
        email = cell(email_address) or cell(email_only)
        contacts.append(
            Contact(
                line=line,
                name=name,
                emails=_clean_emails([email]) if email else [],
                phones=[],
                company=" ".join(cell(company).split()),
                position=" ".join(cell(position).split()),
                linkedin_url=normalise_linkedin_url(cell(url)),
                connected_on=_parse_date(cell(connected)),
            )
        )
    return contacts, errors


_URL_SPLIT_RE = re.compile(r"[,\s]+")
_TRUTHY = frozenset({"yes", "true", "1", "y"})


def parse_linkedin_messages(text: str) -> tuple[dict[str, int], dict[str, str], list[RowError]]:
    """Count messages per person in LinkedIn's messages.csv; content is never kept.

    The file's owner is the profile that takes part in the most conversations; every
    message adds one for each other participant. Drafts are skipped.
    """
    table = _find_table(text, _is_messages_header)
    if table is None:
        raise ImportFileError(
            "We couldn't find LinkedIn's messages header row (CONVERSATION ID, FROM, SENDER "
            "PROFILE URL, …). Is this the messages.csv file from your LinkedIn data export?"
        )
    long_ok = frozenset(
        table.index[name]
        for name in ("content", "subject", "conversation title")
        if name in table.index
    )
    draft_columns = [name for name in table.index if "draft" in name]
    errors: list[RowError] = []
    messages: list[tuple[str, tuple[str, ...]]] = []
    conversations: dict[str, set[str]] = {}
    sent_folder: Counter[str] = Counter()
    names: dict[str, Counter[str]] = {}
    for line, row, error in table.rows(long_ok):
        if error:
            errors.append(RowError(line, error))
            continue
        if any(table.get(row, column).lower() in _TRUTHY for column in draft_columns):
            continue
        if table.get(row, "folder").lower() in ("draft", "drafts"):
            continue
        sender = normalise_linkedin_url(table.get(row, "sender profile url"))
        raw_recipients = _URL_SPLIT_RE.split(table.get(row, "recipient profile urls"))
        recipients = [
            url for url in _dedupe(map(normalise_linkedin_url, raw_recipients)) if url != sender
        ]
        parties = tuple(_dedupe([sender, *recipients]))
        if not parties:
            continue
        conversation = table.get(row, "conversation id") or f"line-{line}"
        conversations.setdefault(conversation, set()).update(parties)
        messages.append((sender, parties))
        if sender and table.get(row, "folder").lower() == "sent":
            sent_folder[sender] += 1
        from_name = _collapse(table.get(row, "from"))
        if sender and from_name and from_name.lower() != "linkedin member":
            names.setdefault(sender, Counter())[from_name] += 1
        to_name = _collapse(table.get(row, "to"))
        if len(recipients) == 1 and to_name and to_name.lower() != "linkedin member":
            names.setdefault(recipients[0], Counter())[to_name] += 1

    conversation_counts: Counter[str] = Counter()
    message_totals: Counter[str] = Counter()
    for members in conversations.values():
        conversation_counts.update(members)
    for _sender, parties in messages:
        message_totals.update(parties)
    owner = max(
        conversation_counts,
        key=lambda url: (conversation_counts[url], sent_folder[url], message_totals[url], url),
        default="",
    )
    counts: Counter[str] = Counter()
    for _sender, parties in messages:
        counts.update(url for url in parties if url != owner)
    message_counts = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    names_by_url = {url: names[url].most_common(1)[0][0] for url in message_counts if url in names}
    return message_counts, names_by_url, errors


# --------------------------------------------------------------------------- Google


def _split_multi(value: str) -> list[str]:
    return [part.strip() for part in value.split(":::") if part.strip()]


def parse_google_csv(text: str) -> tuple[list[Contact], list[RowError]]:
    """Read a Google Contacts CSV export (current format or the older "Google CSV")."""
    table = _find_table(text, _is_google_header)
    if table is None:
        raise ImportFileError(
            "We couldn't find Google Contacts' header row (First Name, Last Name, E-mail 1 - "
            "Value, …). Is this a CSV exported from Google Contacts?"
        )

    def columns(pattern: str) -> list[int]:
        regex = re.compile(pattern)
        return [position for name, position in table.index.items() if regex.fullmatch(name)]

    email_columns = columns(r"e-mail \d+ - value")
    phone_columns = columns(r"phone \d+ - value")
    website_columns = columns(r"website \d+ - value")
    address_numbers = sorted(
        {
            int(m.group(1))
            for name in table.index
            if (m := re.fullmatch(r"address (\d+) - .+", name))
        }
    )

    contacts: list[Contact] = []
    errors: list[RowError] = []
    for line, row, error in table.rows():
        if error:
            errors.append(RowError(line, error))
            continue

        def cells(positions: list[int], row: list[str] = row) -> list[str]:
            return [
                part
                for position in positions
                if position < len(row)
                for part in _split_multi(row[position])
            ]

        emails = _clean_emails(cells(email_columns))
        name = _collapse(table.get(row, "name"))
        if not name:
            name = _collapse(
                " ".join(
                    table.get(row, column)
                    for column in (
                        "first name",
                        "given name",
                        "middle name",
                        "additional name",
                        "last name",
                        "family name",
                    )
                )
            )
        if not name:
            name = _collapse(table.get(row, "file as") or table.get(row, "nickname"))
        if not name and emails:
            name = emails[0]
        if not name:
            errors.append(RowError(line, "No name or email on this row."))
            continue
        location = ""
        for number in address_numbers:
            parts = [
                _collapse(table.get(row, f"address {number} - {part}"))
                for part in ("city", "region")
            ]
            location = ", ".join(part for part in parts if part) or _collapse(
                table.get(row, f"address {number} - country")
            )
            if location:
                break
        location = location or _collapse(table.get(row, "location"))
        linkedin = next(
            (url for url in map(normalise_linkedin_url, cells(website_columns)) if url), ""
        )
        company = table.get(row, "organization name") or table.get(row, "organization 1 - name")
        position = table.get(row, "organization title") or table.get(row, "organization 1 - title")
        contacts.append(
            Contact(
                line=line,
                name=name,
                emails=emails,
                phones=_clean_phones(cells(phone_columns)),
                company=_collapse((_split_multi(company) or [""])[0]),
                position=_collapse((_split_multi(position) or [""])[0]),
                location=location,
                linkedin_url=linkedin,
                notes=_clean_notes(table.get(row, "notes")),
            )
        )
    return contacts, errors


# --------------------------------------------------------------------------- vCard

_DROPPED_PROPERTIES = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
# A linear-time check of "group.NAME;params:" before handing a line to vobject, whose own
# line regex backtracks exponentially on some malformed parameter lists.
_CONTENT_LINE_PREFIX_RE = re.compile(
    r"(?:[A-Za-z0-9_-]+\.)?[A-Za-z0-9_-]+"
    r'(?:;[A-Za-z0-9_-]+(?:=(?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*)?)*:'
)
_NAME_RE = re.compile(r"(?:[A-Za-z0-9_-]+\.)?([A-Za-z0-9_-]+)")
_ESCAPE_RE = re.compile(r"\\(.)", re.DOTALL)
_NO_END = "This card has no END:VCARD line."
_BAD_BASE64 = "This card's photo or data is damaged (bad base64)."


def _split_cards(text: str) -> Iterator[tuple[int, list[str], bool]]:
    """Yield (BEGIN line number, body lines, complete?) for each card."""
    start = 0
    body: list[str] | None = None
    for number, raw in enumerate(io.StringIO(text, newline=""), start=1):
        line = raw.rstrip("\r\n")
        key = line.rstrip().upper()
        if key == "BEGIN:VCARD":
            if body is not None:
                yield start, body, False
            start, body = number, []
        elif key == "END:VCARD":
            if body is not None:
                yield start, body, True
            body = None
        elif body is not None:
            body.append(line)
    if body is not None:
        yield start, body, False


def _logical_lines(lines: list[str]) -> Iterator[str]:
    """Unfold vCard lines (leading-whitespace folding and quoted-printable soft breaks)."""
    current: list[str] = []
    quoted_printable = False
    for line in lines:
        if not line:
            if current:
                yield "".join(current)
            current, quoted_printable = [], False
            continue
        if quoted_printable and current:
            current.append("\n" + line)
        elif line[0] in " \t":
            if not current:
                continue  # an indented line with nothing to continue
            current.append(line[1:])
        else:
            if current:
                yield "".join(current)
            current = [line]
        last = current[-1]
        quoted_printable = last.endswith("=") and (
            "QUOTED-PRINTABLE" in current[0].split(":", 1)[0].upper()
        )
    if current:
        yield "".join(current)


def _unescape(value: str) -> str:
    return _ESCAPE_RE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _split_structured(value: str) -> list[str]:
    """Split a structured value (N, ORG, ADR) on unescaped semicolons, then unescape."""
    parts: list[str] = []
    current: list[str] = []
    chars = iter(value)
    for ch in chars:
        if ch == "\\":
            current.append(ch + next(chars, ""))
        elif ch == ";":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [_unescape(part) for part in parts]


def _decode_charset(raw: bytes, params: dict[str, list[str]]) -> str:
    charset = (params.get("CHARSET") or ["utf-8"])[0]
    try:
        return raw.decode(charset, errors="replace")
    except LookupError:
        return raw.decode("utf-8", errors="replace")


class _CardProblem(Exception):
    pass


_Property = tuple[str, str, dict[str, list[str]]]


def _card_properties(body: list[str]) -> tuple[list[_Property], bool]:
    """Parse a card's lines with vobject's line parser.

    Returns (NAME, decoded value, PARAMS) triples and whether some base64 was damaged.
    """
    properties: list[_Property] = []
    bad_base64 = False
    for logical in _logical_lines(body):
        name_match = _NAME_RE.match(logical)
        if name_match is None or name_match.group(1).upper() in _DROPPED_PROPERTIES:
            continue
        if len(logical) > 4 * MAX_FIELD_CHARS:
            raise _CardProblem(_TOO_LONG)
        if not _CONTENT_LINE_PREFIX_RE.match(logical):
            continue  # not a property line (e.g. stray base64); skip just this line
        try:
            name, param_list, value, _group = vobject.base.parseLine(logical)
        except Exception:  # noqa: S112 - vobject raises many kinds; skip the line only
            continue
        params: dict[str, list[str]] = {}
        singletons: set[str] = set()  # vCard 2.1 style: TEL;WORK;VOICE, NOTE;QUOTED-PRINTABLE
        for param in param_list:
            if len(param) == 1:
                singletons.add(str(param[0]).upper())
            else:
                params.setdefault(str(param[0]).upper(), []).extend(str(v) for v in param[1:])
        encodings = singletons | {v.upper() for v in params.get("ENCODING", [])}
        if "QUOTED-PRINTABLE" in encodings:
            value = _decode_charset(quopri.decodestring(value.encode("utf-8")), params)
        elif encodings & {"B", "BASE64"}:
            try:
                raw = base64.b64decode("".join(value.split()), validate=True)
            except (binascii.Error, ValueError):
                bad_base64 = True
                continue
            value = _decode_charset(raw, params)
        if len(value) > MAX_FIELD_CHARS:
            raise _CardProblem(_TOO_LONG)
        properties.append((name.upper(), value, params))
    return properties, bad_base64


def _card_to_contact(line: int, body: list[str]) -> Contact | RowError:
    try:
        properties, bad_base64 = _card_properties(body)
    except _CardProblem as problem:
        return RowError(line, str(problem))
    full_name = ""
    structured_name = ""
    emails_raw: list[str] = []
    phones_raw: list[str] = []
    company = position = location = linkedin = ""
    notes: list[str] = []
    for prop, value, _params in properties:
        if prop == "FN" and not full_name:
            full_name = _collapse(_unescape(value))
        elif prop == "N" and not structured_name:
            parts = _split_structured(value) + [""] * 5
            family, given, additional = parts[0], parts[1], parts[2]
            structured_name = _collapse(f"{given} {additional} {family}")
        elif prop == "EMAIL":
            emails_raw.append(_unescape(value))
        elif prop == "TEL":
            phone = _unescape(value).strip()
            if phone[:4].lower() == "tel:":
                phone = phone[4:]
            phones_raw.append(phone)
        elif prop == "ORG" and not company:
            company = _collapse(_split_structured(value)[0])
        elif prop == "TITLE" and not position:
            position = _collapse(_unescape(value))
        elif prop == "ADR" and not location:
            parts = [_collapse(part) for part in _split_structured(value)] + [""] * 7
            locality, region, country = parts[3], parts[4], parts[6]
            location = ", ".join(part for part in (locality, region) if part) or country
        elif prop in ("URL", "X-SOCIALPROFILE", "X-LINKEDIN") and not linkedin:
            linkedin = normalise_linkedin_url(_unescape(value))
        elif prop == "NOTE":
            note = _clean_notes(_unescape(value))
            if note:
                notes.append(note)
    emails = _clean_emails(emails_raw)
    name = full_name or structured_name or (emails[0] if emails else "")
    if not name:
        return RowError(line, _BAD_BASE64 if bad_base64 else "No name or email on this card.")
    return Contact(
        line=line,
        name=name,
        emails=emails,
        phones=_clean_phones(phones_raw),
        company=company,
        position=position,
        location=location,
        linkedin_url=linkedin,
        notes="\n".join(notes),
    )


def parse_vcards(text: str) -> tuple[list[Contact], list[RowError]]:
    """Read every card in a vCard 2.1/3.0/4.0 file; a broken card never spoils the others.

    Photos (and logos, sounds, keys) are always dropped, so a damaged photo is harmless.
    """
    contacts: list[Contact] = []
    errors: list[RowError] = []
    cards = 0
    for line, body, complete in _split_cards(text):
        cards += 1
        if cards > MAX_ROWS:
            raise ImportFileError(
                "This file has more than 50,000 contacts. Please split it into smaller files "
                "and upload them one at a time."
            )
        if not complete:
            errors.append(RowError(line, _NO_END))
            continue
        try:
            result = _card_to_contact(line, body)
        except Exception:  # vobject and friends raise many kinds; never propagate
            result = RowError(line, "This card couldn't be read.")
        if isinstance(result, RowError):
            errors.append(result)
        else:
            contacts.append(result)
    if not cards:
        raise ImportFileError(
            "We couldn't find any contact cards (BEGIN:VCARD) in this file. Is it a .vcf file?"
        )
    return contacts, errors


def _escape(value: str) -> str:
    value = "".join(ch for ch in value if ch in "\r\n\t" or unicodedata.category(ch) != "Cc")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def _fold(line: str, limit: int = 75) -> str:
    if len(line.encode("utf-8")) <= limit:
        return line
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    budget = limit
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > budget:
            chunks.append("".join(current))
            current, size, budget = [], 0, limit - 1
        current.append(ch)
        size += width
    chunks.append("".join(current))
    return "\r\n ".join(chunks)


def _structured_name(name: str) -> str:
    try:
        human = HumanName(name)
        parts = [human.last, human.first, human.middle, human.title, human.suffix]
    except Exception:  # nameparser is best effort only
        parts = ["", name, "", "", ""]
    return ";".join(_escape(part) for part in parts)


def to_vcard(contacts: Iterable[Contact]) -> str:
    """Write contacts as vCard 3.0 text (CRLF line ends, lines folded at 75 octets)."""
    lines: list[str] = []
    for contact in contacts:
        name = contact.name or (contact.emails[0] if contact.emails else "")
        card = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{_escape(name)}"]
        card.append(f"N:{_structured_name(name)}")
        card += [f"EMAIL;TYPE=INTERNET:{_escape(email)}" for email in contact.emails]
        card += [f"TEL:{_escape(phone)}" for phone in contact.phones]
        if contact.company:
            card.append(f"ORG:{_escape(contact.company)}")
        if contact.position:
            card.append(f"TITLE:{_escape(contact.position)}")
        if contact.location:
            card.append(f"ADR:;;;{_escape(contact.location)};;;")
        if contact.linkedin_url:
            card.append(f"URL:{_escape(contact.linkedin_url)}")
        if contact.notes:
            card.append(f"NOTE:{_escape(contact.notes)}")
        card.append("END:VCARD")
        lines += [_fold(line) for line in card]
    return "".join(line + "\r\n" for line in lines)


# --------------------------------------------------------------------------- entry points


def _first_lines(text: str, count: int) -> list[str]:
    return [
        line.rstrip("\r\n").rstrip()
        for line in itertools.islice(io.StringIO(text, newline=""), count)
    ]


def detect_format(text: str, filename: str = "") -> str:
    """Say which of our formats the text is; raise ImportFileError listing what we accept."""
    sample = text[:_DETECT_SAMPLE_CHARS]
    head = [line for line in _first_lines(sample, 200) if line.strip()]
    if head and head[0].upper() == "BEGIN:VCARD":
        return "vcard"
    try:
        for delimiter in _DELIMITERS:
            if delimiter != "," and delimiter not in sample:
                continue
            records = _csv_records(sample, delimiter)
            for _line, row, _error in itertools.islice(records, _HEADER_SEARCH_ROWS):
                if not row:
                    continue
                cells = _header_cells(row)
                for fmt, check in _HEADER_CHECKS:
                    if check(cells):
                        return fmt
    except ImportFileError:
        pass
    if any(line.upper() == "BEGIN:VCARD" for line in head[:100]):
        return "vcard"
    if filename.lower().endswith((".vcf", ".vcard")) and "BEGIN:VCARD" in text.upper():
        return "vcard"
    raise ImportFileError(f"We don't recognise this file. {_ACCEPTED}")


def parse(data: bytes, filename: str = "", fmt: str = "auto") -> ParseResult:
    """Decode, detect (when fmt is "auto") and parse an uploaded contacts file."""
    if fmt != "auto" and fmt not in FORMATS:
        raise ValueError(f"Unknown import format {fmt!r}")
    text, encoding = decode(data)
    if fmt == "auto":
        fmt = detect_format(text, filename)
    else:
        try:
            detected: str | None = detect_format(text, filename)
        except ImportFileError:
            detected = None
        if detected != fmt:
            instead = f" It looks like {_FORMAT_LABELS[detected]} instead." if detected else ""
            raise ImportFileError(
                f"This doesn't look like {_FORMAT_LABELS[fmt]}.{instead} Please check you "
                "picked the right file."
            )
    result = ParseResult(format=fmt, encoding=encoding, contacts=[], errors=[])
    if fmt == "linkedin":
        result.contacts, result.errors = parse_linkedin_connections(text)
    elif fmt == "linkedin-messages":
        result.message_counts, result.names_by_url, result.errors = parse_linkedin_messages(text)
    elif fmt == "google":
        result.contacts, result.errors = parse_google_csv(text)
    else:
        result.contacts, result.errors = parse_vcards(text)
    return result
