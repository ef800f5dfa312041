"""Tests for the pure contact-import core (helpwanted.network.parsing)."""

from __future__ import annotations

import base64
import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from helpwanted.network.parsing import (
    MAX_FIELD_CHARS,
    MAX_FILE_BYTES,
    MAX_PHOTO_BYTES,
    MAX_ROWS,
    Contact,
    ImportFileError,
    ParseResult,
    RowError,
    csv_safe,
    decode,
    detect_format,
    normalise_email,
    normalise_linkedin_url,
    normalise_name,
    parse,
    parse_google_csv,
    parse_linkedin_connections,
    parse_linkedin_messages,
    parse_vcards,
    to_vcard,
    union_values,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "imports"
LINKEDIN_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
MESSAGES_HEADER = (
    "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
    "DATE,SUBJECT,CONTENT,FOLDER"
)
GOOGLE_HEADER = (
    "First Name,Middle Name,Last Name,Organization Name,Organization Title,Notes,"
    "E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Website 1 - Label,"
    "Website 1 - Value"
)
ME = "https://www.linkedin.com/in/me"
JANE = "https://www.linkedin.com/in/jane"
BOB = "https://www.linkedin.com/in/bob"

# Hypothesis: no deadlines (no timed assertions) and no example database in the repo.
FUZZ = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fixture_text(name: str) -> str:
    return decode(fixture(name))[0]


def by_name(contacts: list[Contact]) -> dict[str, Contact]:
    return {contact.name: contact for contact in contacts}


def connections(*rows: str, header: str = LINKEDIN_HEADER) -> str:
    return "\r\n".join([header, *rows]) + "\r\n"


def messages(*rows: str, header: str = MESSAGES_HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def card(*lines: str, version: str = "3.0") -> str:
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD"]) + "\r\n"


# --------------------------------------------------------------------------- decode


def test_it_decodes_utf8_and_reports_utf8_even_with_a_bom():
    assert decode(b"\xef\xbb\xbfcaf\xc3\xa9") == ("café", "utf-8")
    assert decode("café".encode()) == ("café", "utf-8")


def test_it_falls_back_to_cp1252_for_windows_files():
    text, encoding = decode(fixture("linkedin_connections_windows1252.csv"))
    assert encoding == "cp1252"
    assert "François,Lefèvre" in text
    assert "Trader – FX" in text


def test_it_keeps_utf8_text_intact_when_only_some_bytes_are_cp1252():
    text, encoding = decode(fixture("linkedin_connections_cp1252.csv"))
    assert encoding == "cp1252"
    assert "José,Núñez" in text
    assert "Renée,Dupré" in text


def test_it_replaces_bytes_that_cp1252_does_not_define():
    text, encoding = decode(b"X\x81Y \xe9")
    assert (text, encoding) == ("X\ufffdY é", "cp1252")


def test_it_strips_nul_characters():
    assert decode(b"a\x00b,c\x00\n") == ("ab,c\n", "utf-8")


def test_it_decodes_utf16_files_that_have_a_bom():
    assert decode("Name,Émile\r\n".encode("utf-16")) == ("Name,Émile\r\n", "utf-16")


@pytest.mark.parametrize(
    "data",
    [b"", b"   \r\n\t", b"\xef\xbb\xbf", b"\xef\xbb\xbf \r\n", b"\x00\x00"],
    ids=["nothing", "whitespace", "bom", "bom-and-whitespace", "nuls"],
)
def test_it_says_an_empty_file_is_empty(data):
    with pytest.raises(ImportFileError, match=r"^This file is empty\.$"):
        decode(data)


def test_it_refuses_files_over_20_mb():
    with pytest.raises(ImportFileError, match=r"^This file is larger than 20 MB\."):
        decode(b"a" * (MAX_FILE_BYTES + 1))


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"PK\x03\x04\x14\x00\x00\x00[Content_Types].xml xl/workbook.xml", "Excel"),
        (b"PK\x03\x04\x14\x00\x00\x00some/file.csv", "ZIP"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "old Excel"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image"),
        (bytes(range(32)) * 20, "binary"),
    ],
)
def test_it_recognises_binary_files_and_says_what_they_look_like(data, kind):
    with pytest.raises(ImportFileError, match="not a CSV or vCard") as caught:
        decode(data)
    assert kind in str(caught.value)


# --------------------------------------------------------------------------- detect_format


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("linkedin_connections.csv", "linkedin"),
        ("linkedin_connections_cp1252.csv", "linkedin"),
        ("broken_unclosed_quote.csv", "linkedin"),
        ("linkedin_messages.csv", "linkedin-messages"),
        ("google_contacts.csv", "google"),
        ("google_contacts_legacy.csv", "google"),
        ("contacts_v3.vcf", "vcard"),
        ("contacts_v4.vcf", "vcard"),
        ("broken_no_end.vcf", "vcard"),
    ],
)
def test_it_detects_each_format_from_the_content(name, expected):
    assert detect_format(fixture_text(name)) == expected
    assert detect_format(fixture_text(name), filename="renamed.txt") == expected


def test_it_detects_a_vcard_with_leading_junk_and_a_vcf_filename():
    text = "X-EXPORTED-BY: Some Phone\r\n" + card("FN:Jane Doe")
    assert detect_format(text, filename="contacts.vcf") == "vcard"


def test_it_lists_the_accepted_formats_when_it_cannot_tell():
    with pytest.raises(ImportFileError) as caught:
        detect_format(fixture_text("broken_no_header.csv"), filename="x.csv")
    message = str(caught.value)
    assert "Connections.csv" in message
    assert "messages.csv" in message
    assert "Google Contacts" in message
    assert "vCard" in message


# --------------------------------------------------------------------------- LinkedIn connections


def test_it_finds_the_header_after_a_notes_preamble():
    contacts, errors = parse_linkedin_connections(fixture_text("linkedin_connections.csv"))
    assert len(contacts) == 19
    assert contacts[0].name == "Jane Doe"
    assert errors == [RowError(17, "No name on this row.")]


def test_it_reports_the_physical_line_numbers_of_the_file():
    contacts, _errors = parse_linkedin_connections(fixture_text("linkedin_connections.csv"))
    # Line 1 "Notes:", 2-4 a quoted multi-line paragraph, 5 blank, 6 the header.
    assert [c.line for c in contacts[:3]] == [7, 8, 9]
    assert contacts[-1].line == 26


def test_it_reads_every_field_of_a_connection():
    contacts, _errors = parse_linkedin_connections(fixture_text("linkedin_connections.csv"))
    assert contacts[0] == Contact(
        line=7,
        name="Jane Doe",
        emails=["jane.doe@example.com"],
        phones=[],
        company="Acme Inc.",
        position="Senior Engineer",
        linkedin_url="https://www.linkedin.com/in/jane-doe-123",
        connected_on=datetime.date(2024, 3, 12),
    )


def test_it_keeps_commas_and_quotes_inside_quoted_cells():
    people = by_name(parse_linkedin_connections(fixture_text("linkedin_connections.csv"))[0])
    assert people["Zoë Brontë"].company == "Smith, Jones & Partners LLP"
    assert people["Sarah O'Connor"].position == "Director, Talent Acquisition"
    assert people["Grace Hopper"].company == 'The "Cobol" Company'


def test_it_reads_accents_and_non_latin_scripts():
    people = by_name(parse_linkedin_connections(fixture_text("linkedin_connections.csv"))[0])
    assert people["José García López"].company == "Telefónica"
    assert people["Li Wei"].position == "工程师"
    assert people["Björn Ångström"].linkedin_url == "https://www.linkedin.com/in/bjorn-angstrom"


def test_it_leaves_missing_emails_empty_and_lowercases_the_others():
    people = by_name(parse_linkedin_connections(fixture_text("linkedin_connections.csv"))[0])
    assert people["José García López"].emails == []
    assert people["Ahmed Khan"].emails == ["ahmed.khan@example.org"]


def test_it_keeps_a_row_with_only_a_first_name():
    people = by_name(parse_linkedin_connections(fixture_text("linkedin_connections.csv"))[0])
    assert people["Tom"].company == "Freelance"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12 Mar 2024", datetime.date(2024, 3, 12)),
        ("1 Feb 2023", datetime.date(2023, 2, 1)),
        ("2024-06-05", datetime.date(2024, 6, 5)),
        ("not a date", None),
        ("31 Feb 2024", None),
        ("03/12/2024", None),
        ("12 Foo 2024", None),
        ("", None),
    ],
)
def test_it_reads_connected_on_dates_and_keeps_rows_with_bad_dates(raw, expected):
    contacts, errors = parse_linkedin_connections(
        connections(f"Jane,Doe,https://www.linkedin.com/in/jane,,Acme,Engineer,{raw}")
    )
    assert errors == []
    assert contacts[0].connected_on == expected


def test_it_accepts_an_unquoted_preamble_and_blank_lines():
    text = (
        "Notes:\n"
        "When exporting your connection data, you may notice that some emails are missing.\n"
        "\n\n" + connections("Jane,Doe,https://www.linkedin.com/in/jane,,Acme,Engineer,12 Mar 2024")
    )
    contacts, errors = parse_linkedin_connections(text)
    assert [(c.line, c.name) for c in contacts] == [(6, "Jane Doe")]
    assert errors == []


def test_it_matches_the_header_regardless_of_case_spaces_and_column_order():
    header = " url , FIRST NAME,last name ,Connected On"
    contacts, _errors = parse_linkedin_connections(
        connections("https://linkedin.com/in/JANE/,Jane,Doe,12 Mar 2024", header=header)
    )
    assert contacts[0].name == "Jane Doe"
    assert contacts[0].linkedin_url == JANE
    assert contacts[0].company == ""


def test_it_tolerates_rows_with_missing_or_extra_columns():
    contacts, errors = parse_linkedin_connections(
        connections("Jane,Doe", "Bob,Smith,https://www.linkedin.com/in/bob,,X,Y,12 Mar 2024,extra")
    )
    assert errors == []
    assert [(c.name, c.company) for c in contacts] == [("Jane Doe", ""), ("Bob Smith", "X")]


def test_it_skips_blank_rows_and_repeated_headers_silently():
    contacts, errors = parse_linkedin_connections(
        connections(",,,,,,", "", LINKEDIN_HEADER, "Jane,Doe")
    )
    assert [c.name for c in contacts] == ["Jane Doe"]
    assert errors == []


def test_it_reports_an_unclosed_quote_and_still_reads_the_rows_after_it():
    contacts, errors = parse_linkedin_connections(fixture_text("broken_unclosed_quote.csv"))
    assert [(c.line, c.name) for c in contacts] == [
        (2, "Jane Doe"),
        (4, "Ahmed Khan"),
        (5, "Priya N"),
    ]
    assert len(errors) == 1
    assert errors[0].line == 3
    assert "never closed" in errors[0].reason


def test_it_gives_up_politely_when_quotes_are_broken_everywhere():
    # From any line start, each of these lines leaves a quoted field open to the end.
    rows = ['Pat,y","'] * 30
    with pytest.raises(ImportFileError, match="never closed"):
        parse_linkedin_connections(connections(*rows))


def test_it_explains_a_missing_linkedin_header():
    with pytest.raises(ImportFileError) as caught:
        parse_linkedin_connections(fixture_text("broken_no_header.csv"))
    assert str(caught.value) == (
        "We couldn't find LinkedIn's header row (First Name, Last Name, URL, …). Is this the "
        "Connections.csv file from your LinkedIn data export?"
    )


def test_it_skips_a_row_with_a_10_mb_field_and_keeps_the_others():
    huge = "x" * (10 * 1024 * 1024)
    text = connections(
        "Jane,Doe", f"Huge,Field,,,Acme,{huge},12 Mar 2024", "Bob,Smith", "Eve,Long," + "y" * 10_001
    )
    contacts, errors = parse_linkedin_connections(text)
    assert [c.name for c in contacts] == ["Jane Doe", "Bob Smith"]
    assert errors == [
        RowError(3, "A field is longer than 10,000 characters."),
        RowError(5, "A field is longer than 10,000 characters."),
    ]
    assert MAX_FIELD_CHARS == 10_000


def test_it_accepts_a_field_of_exactly_10000_characters():
    contacts, errors = parse_linkedin_connections(connections("Jane,Doe,,,Acme," + "p" * 10_000))
    assert errors == []
    assert len(contacts[0].position) == 10_000


def test_it_refuses_more_than_50000_rows():
    assert MAX_ROWS == 50_000
    ok = connections(*["A,B"] * MAX_ROWS)
    assert len(parse_linkedin_connections(ok)[0]) == MAX_ROWS
    with pytest.raises(ImportFileError, match=r"more than 50,000 rows\. .*split it"):
        parse_linkedin_connections(ok + "A,B\r\n")


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_it_reads_files_resaved_with_semicolons_or_tabs(delimiter):
    text = connections(
        "Jane;Doe;https://www.linkedin.com/in/jane;;Acme, Inc.;Engineer;12 Mar 2024",
        header=LINKEDIN_HEADER.replace(",", ";"),
    ).replace(";", delimiter)
    assert detect_format(text) == "linkedin"
    contacts, _errors = parse_linkedin_connections(text)
    assert (contacts[0].name, contacts[0].company) == ("Jane Doe", "Acme, Inc.")


def test_it_handles_lone_cr_line_endings():
    text = connections("Jane,Doe", "Bob,Smith").replace("\r\n", "\r")
    contacts, _errors = parse_linkedin_connections(text)
    assert [(c.line, c.name) for c in contacts] == [(2, "Jane Doe"), (3, "Bob Smith")]


# --------------------------------------------------------------------------- LinkedIn messages


def test_it_counts_messages_with_each_person_but_not_with_the_owner():
    counts, names, errors = parse_linkedin_messages(fixture_text("linkedin_messages.csv"))
    assert counts == {
        "https://www.linkedin.com/in/jane-doe-123": 3,
        "https://www.linkedin.com/in/ahmedkhan": 3,
        "https://www.linkedin.com/in/kwame-mensah": 2,
    }
    assert "https://www.linkedin.com/in/me-myself" not in counts
    assert errors == []
    assert names == {
        "https://www.linkedin.com/in/jane-doe-123": "Jane Doe",
        "https://www.linkedin.com/in/ahmedkhan": "Ahmed Khan",
        "https://www.linkedin.com/in/kwame-mensah": "Kwame Mensah",
    }


def test_it_never_keeps_message_content_or_subjects():
    result = parse(fixture("linkedin_messages.csv"))
    assert result.format == "linkedin-messages"
    assert result.contacts == []
    dumped = repr(result)
    assert "SECRET-CONTENT-MARKER" not in dumped
    assert "SECRET-SUBJECT-MARKER" not in dumped
    assert "coffee" not in dumped


def test_it_skips_drafts():
    counts, _names, _errors = parse_linkedin_messages(fixture_text("linkedin_messages.csv"))
    assert "https://www.linkedin.com/in/priya-n" not in counts


def test_it_finds_the_owner_as_the_person_in_the_most_conversations():
    text = messages(
        f"c1,,Jane,{JANE},Me,{ME},d,s,c,INBOX",
        f"c2,,Bob,{BOB},Me,{ME},d,s,c,INBOX",
        f"c2,,Me,{ME},Bob,{BOB},d,s,c,INBOX",
        f"c2,,Me,{ME},Bob,{BOB},d,s,c,INBOX",
    )
    counts, names, _errors = parse_linkedin_messages(text)
    assert counts == {BOB: 3, JANE: 1}
    assert names == {BOB: "Bob", JANE: "Jane"}


def test_it_splits_recipient_urls_on_commas_and_spaces():
    text = messages(
        f'c1,,Me,{ME},"Jane, Bob","{JANE}, {BOB}/?x=1",d,s,c,INBOX',
        f'c2,,Me,{ME},"Jane, Bob","{JANE} {BOB}",d,s,c,INBOX',
        f"c3,,Jane,{JANE},Me,{ME},d,s,c,INBOX",
    )
    counts, names, _errors = parse_linkedin_messages(text)
    assert counts == {JANE: 3, BOB: 2}
    assert names == {JANE: "Jane"}  # TO names are used only with a single recipient


def test_it_uses_to_names_for_single_recipients():
    counts, names, _errors = parse_linkedin_messages(
        messages(f"c1,,Me,{ME},Jane Doe,{JANE},d,s,c,SENT", f"c2,,Me,{ME},Bob,{BOB},d,s,c,SENT")
    )
    assert counts == {JANE: 1, BOB: 1}
    assert names == {JANE: "Jane Doe", BOB: "Bob"}


def test_it_reads_a_draft_column_in_any_position_and_case():
    header = MESSAGES_HEADER + ",is message draft,ATTACHMENTS"
    text = messages(
        f"c1,,Me,{ME},Jane,{JANE},d,s,c,INBOX,yes,",
        f"c1,,Me,{ME},Jane,{JANE},d,s,c,INBOX,No,",
        header=header,
    )
    counts, _names, _errors = parse_linkedin_messages(text)
    assert counts == {JANE: 1}


def test_it_does_not_skip_a_message_because_its_content_is_long():
    long_content = "x" * 50_000
    counts, _names, errors = parse_linkedin_messages(
        messages(f"c1,,Jane,{JANE},Me,{ME},d,s,{long_content},INBOX")
    )
    assert counts == {JANE: 1}
    assert errors == []


def test_it_explains_a_missing_messages_header():
    with pytest.raises(ImportFileError, match="messages.csv"):
        parse_linkedin_messages(fixture_text("linkedin_connections.csv"))


# --------------------------------------------------------------------------- Google


def test_it_reads_a_google_contacts_export():
    contacts, errors = parse_google_csv(fixture_text("google_contacts.csv"))
    jane = contacts[0]
    assert jane == Contact(
        line=2,
        name="Jane Doe",
        emails=["jane.doe@example.com", "jane@home.example"],
        phones=["+44 7700 900123", "+44 20 7946 0000"],
        company="Acme Inc.",
        position="Senior Engineer",
        location="London",
        linkedin_url="https://www.linkedin.com/in/jane-doe-123",
        notes="Met at PyCon.\nFollow up about the platform role.",
    )
    assert errors == [RowError(8, "No name or email on this row.")]


def test_it_joins_first_middle_and_last_names_and_city_with_region():
    people = by_name(parse_google_csv(fixture_text("google_contacts.csv"))[0])
    jose = people["José Luis García"]
    assert jose.location == "Madrid, Comunidad de Madrid"
    assert jose.line == 6  # Jane's notes span lines 2-5


def test_it_uses_the_email_as_the_name_when_there_is_no_name():
    people = by_name(parse_google_csv(fixture_text("google_contacts.csv"))[0])
    assert people["only.email@example.net"].emails == ["only.email@example.net"]
    assert people["Bobby"].emails == ["bob@example.org"]


def test_it_drops_invalid_emails_and_non_linkedin_websites():
    people = by_name(parse_google_csv(fixture_text("google_contacts.csv"))[0])
    assert people["Ahmed Khan"].emails == []
    assert people["Ahmed Khan"].linkedin_url == ""


def test_it_reads_the_older_google_csv_format():
    result = parse(fixture("google_contacts_legacy.csv"))
    assert (result.format, result.encoding) == ("google", "utf-16")
    grace, alan = result.contacts
    assert (grace.name, grace.company, grace.position) == (
        "Grace Hopper",
        "US Navy",
        "Rear Admiral",
    )
    assert grace.linkedin_url == "https://www.linkedin.com/in/grace-hopper"
    assert grace.location == "Arlington"
    assert (alan.name, alan.phones) == ("Alan Turing", ["+44 1234 567890"])


def test_it_explains_a_missing_google_header():
    with pytest.raises(ImportFileError, match="Google Contacts"):
        parse_google_csv(fixture_text("broken_no_header.csv"))


# --------------------------------------------------------------------------- vCard


def test_it_reads_a_vcard_3_file_with_folding_quoted_printable_and_a_photo():
    contacts, errors = parse_vcards(fixture_text("contacts_v3.vcf"))
    jane, jose, ahmed = contacts
    assert jane == Contact(
        line=1,
        name="Jane Doe",
        emails=["jane.doe@example.com", "jane@home.example"],
        phones=["+44 7700 900123"],
        company="Acme Inc.",
        position="Senior Engineer",
        location="London",
        linkedin_url="https://www.linkedin.com/in/jane-doe-123",
        notes=(
            "Met at PyCon, 2023.\nInterested in platform roles; knows the hiring manager at "
            "Initech really well and offered an intro, which is a long note that folds."
        ),
    )
    assert (jose.name, jose.company) == ("José García", "Telefónica")
    assert jose.notes == "Primera línea\nSegunda línea"
    assert (ahmed.name, ahmed.phones) == ("Ahmed Khan", ["(555) 010-0199"])
    assert errors == [RowError(46, "No name or email on this card.")]


def test_it_reads_a_vcard_4_file():
    zoe, kwame = parse_vcards(fixture_text("contacts_v4.vcf"))[0]
    assert zoe.name == "Zoë Brontë"
    assert zoe.phones == ["+1-555-555-5555"]
    assert zoe.company == "Smith, Jones & Partners LLP"
    assert zoe.location == "Baytown, LA"
    assert zoe.linkedin_url == "https://www.linkedin.com/in/zoe-bronte"
    assert zoe.notes.endswith("unfolding works in version 4.0 files too.")
    assert kwame.linkedin_url == "https://www.linkedin.com/in/kwame-mensah"


def test_it_falls_back_to_the_structured_name_then_the_email():
    contacts, _errors = parse_vcards(
        card("N:Doe;Jane;Q.;Dr.;") + card("EMAIL:Only@Example.com") + card("N:;;;;", "FN:")
    )
    assert [c.name for c in contacts] == ["Jane Q. Doe", "only@example.com"]


def test_it_imports_the_complete_cards_and_reports_one_without_an_end_line():
    contacts, errors = parse_vcards(fixture_text("broken_no_end.vcf"))
    assert [(c.line, c.name) for c in contacts] == [(1, "Complete One"), (10, "Complete Three")]
    assert errors == [
        RowError(6, "This card has no END:VCARD line."),
        RowError(14, "This card has no END:VCARD line."),
    ]


def test_it_drops_a_damaged_photo_but_keeps_the_card():
    contacts, errors = parse_vcards(fixture_text("broken_bad_base64.vcf"))
    assert [c.name for c in contacts] == ["Photo Broken", "Old Phone"]
    assert contacts[1].phones == ["+1 555 0101"]
    assert errors == [RowError(17, "This card's photo or data is damaged (bad base64).")]


def test_it_still_imports_a_card_with_a_huge_photo():
    photo = base64.b64encode(b"\xff" * (MAX_PHOTO_BYTES * 4)).decode()
    folded = "\r\n ".join(photo[i : i + 74] for i in range(0, len(photo), 74))
    contacts, errors = parse_vcards(card("FN:Big Photo", f"PHOTO;ENCODING=b;TYPE=JPEG:{folded}"))
    assert [c.name for c in contacts] == ["Big Photo"]
    assert errors == []


def test_it_skips_a_card_with_an_overlong_field():
    contacts, errors = parse_vcards(card("FN:Long Note", "NOTE:" + "n" * 10_001) + card("FN:Fine"))
    assert [c.name for c in contacts] == ["Fine"]
    assert errors == [RowError(1, "A field is longer than 10,000 characters.")]


def test_it_skips_unreadable_lines_but_keeps_the_rest_of_the_card():
    text = card("FN:Jane Doe", "this line has no colon", "EMAIL;TYPE=a=====================:x@y.z")
    contacts, errors = parse_vcards(text)
    assert [c.name for c in contacts] == ["Jane Doe"]
    assert errors == []


def test_it_survives_a_parameter_list_that_makes_vobject_backtrack():
    text = card("FN:Jane Doe", "TEL;a" + "=" * 40 + '"')
    assert [c.name for c in parse_vcards(text)[0]] == ["Jane Doe"]


def test_it_reads_vcard_2_1_cards():
    text = card(
        "N;ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1:M=FCller;J=FCrgen",
        "TEL;WORK;VOICE:+49 30 1234",
        "EMAIL;INTERNET:juergen@example.de",
        version="2.1",
    )
    (contact,), _errors = parse_vcards(text)
    assert (contact.name, contact.phones) == ("Jürgen Müller", ["+49 30 1234"])
    assert contact.emails == ["juergen@example.de"]


def test_it_decodes_base64_text_values():
    encoded = base64.b64encode("Zoë".encode()).decode()
    (contact,), _errors = parse_vcards(card(f"FN;ENCODING=b:{encoded}"))
    assert contact.name == "Zoë"


def test_it_explains_a_file_without_cards():
    with pytest.raises(ImportFileError, match=r"BEGIN:VCARD"):
        parse_vcards("FN:Jane Doe\r\n")


def test_it_refuses_more_than_50000_cards():
    with pytest.raises(ImportFileError, match="more than 50,000"):
        parse_vcards("BEGIN:VCARD\nEND:VCARD\n" * (MAX_ROWS + 1))


# --------------------------------------------------------------------------- parse()


def test_it_parses_a_whole_file_and_names_the_format_and_encoding():
    result = parse(fixture("linkedin_connections.csv"), "Connections.csv")
    assert isinstance(result, ParseResult)
    assert (result.format, result.encoding) == ("linkedin", "utf-8")
    assert len(result.contacts) == 19
    assert result.message_counts == {} and result.names_by_url == {}


def test_it_accepts_a_matching_explicit_format():
    assert parse(fixture("contacts_v4.vcf"), fmt="vcard").format == "vcard"


def test_it_says_what_it_expected_when_the_explicit_format_does_not_match():
    with pytest.raises(ImportFileError) as caught:
        parse(fixture("google_contacts.csv"), fmt="linkedin")
    assert "This doesn't look like LinkedIn's Connections.csv" in str(caught.value)
    assert "Google Contacts" in str(caught.value)
    with pytest.raises(ImportFileError, match=r"vCard \(\.vcf\)"):
        parse(fixture("broken_no_header.csv"), fmt="vcard")


def test_it_rejects_an_unknown_format_name_as_a_programming_error():
    with pytest.raises(ValueError):
        parse(b"x", fmt="excel")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "This file is empty."),
        ("broken_no_header.csv", "We don't recognise this file."),
    ],
)
def test_it_turns_unreadable_fixtures_into_friendly_errors(name, message):
    with pytest.raises(ImportFileError, match=message):
        parse(fixture(name), name)


# --------------------------------------------------------------------------- normalisers


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "https://www.linkedin.com/in/Jane-Doe-123/?trk=x",
            "https://www.linkedin.com/in/jane-doe-123",
        ),
        ("linkedin.com/in/jane-doe-123", "https://www.linkedin.com/in/jane-doe-123"),
        ("http://uk.linkedin.com/in/jane#about", "https://www.linkedin.com/in/jane"),
        ("  <www.linkedin.com/in/jane/details/experience/>  ", "https://www.linkedin.com/in/jane"),
        ("https://www.linkedin.com/in/jos%c3%a9", "https://www.linkedin.com/in/jos%C3%A9"),
        ("https://www.linkedin.com/in/José", "https://www.linkedin.com/in/jos%C3%A9"),
        ("https://www.linkedin.com/company/acme", ""),
        ("https://www.linkedin.com/in/", ""),
        ("https://linkedin.com.evil.example/in/jane", ""),
        ("https://example.com/in/jane", ""),
        ("javascript:alert(1)", ""),
        ("ftp://www.linkedin.com/in/jane", ""),
        ("http://[::1", ""),
        ("", ""),
    ],
)
def test_it_normalises_linkedin_profile_urls(raw, expected):
    assert normalise_linkedin_url(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" Jane.Doe@Example.COM ", "jane.doe@example.com"),
        ("mailto:jane@example.com", "jane@example.com"),
        ("<jane@example.com>", "jane@example.com"),
        ("jane@localhost", ""),
        ("jane@example.", ""),
        ("@example.com", ""),
        ("jane doe@example.com", ""),
        ("jane@@example.com", ""),
        ("not an email", ""),
        ("", ""),
    ],
)
def test_it_normalises_emails_and_rejects_implausible_ones(raw, expected):
    assert normalise_email(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  José   GARCÍA  ", "jose garcia"),
        ("Sarah O'Connor", "sarah oconnor"),
        ("Marie-Claire Dubois", "marie claire dubois"),
        ("Dr. Jane Doe, PhD", "dr jane doe phd"),
        ("Jane Doe 🚀", "jane doe"),
        ("Søren Łukasz", "soren lukasz"),
        ("Straße", "strasse"),
        ("", ""),
    ],
)
def test_it_normalises_names_for_matching(raw, expected):
    assert normalise_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1 555", "'+1 555"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\0x", "'\0x"),
        ("|cmd", "'|cmd"),
        ("%0A", "'%0A"),
        ("Jane Doe", "Jane Doe"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_it_guards_csv_cells_against_formulas(raw, expected):
    assert csv_safe(raw) == expected


# --------------------------------------------------------------------------- to_vcard


def test_it_writes_vcard_3_with_crlf_escaping_and_folding():
    contact = Contact(
        line=1,
        name="Zoë Brontë",
        emails=["zoe@example.org"],
        phones=["+1 555 0100"],
        company="Smith, Jones; Partners \\ Co",
        position="Associate",
        location="Baytown, LA",
        linkedin_url="https://www.linkedin.com/in/zoe-bronte",
        notes="Line one\nLine two " + "é" * 80,
    )
    text = to_vcard([contact])
    lines = text.split("\r\n")
    assert lines[:2] == ["BEGIN:VCARD", "VERSION:3.0"]
    assert lines[-2:] == ["END:VCARD", ""]
    assert "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert "ORG:Smith\\, Jones\\; Partners \\\\ Co" in lines
    assert "N:Brontë;Zoë;;;" in lines
    assert any(line.startswith(" ") for line in lines)
    (back,), errors = parse_vcards(text)
    assert errors == []
    assert back == contact


def test_it_round_trips_the_fixture_contacts_through_vcard():
    originals = parse_vcards(fixture_text("contacts_v3.vcf"))[0]
    originals += parse_google_csv(fixture_text("google_contacts.csv"))[0]
    back, errors = parse_vcards(to_vcard(originals))
    assert errors == []
    fields = (
        "name",
        "emails",
        "phones",
        "company",
        "position",
        "location",
        "linkedin_url",
        "notes",
    )
    assert [[getattr(c, f) for f in fields] for c in back] == [
        [getattr(c, f) for f in fields] for c in originals
    ]


def test_it_writes_nothing_for_no_contacts():
    assert to_vcard([]) == ""


# --------------------------------------------------------------------------- properties

SEED_FILES = [
    fixture(name)
    for name in (
        "linkedin_connections.csv",
        "linkedin_messages.csv",
        "google_contacts.csv",
        "contacts_v3.vcf",
        "broken_unclosed_quote.csv",
    )
]


@FUZZ
@given(st.binary(max_size=2000))
@example(SEED_FILES[0])
@example(SEED_FILES[1])
@example(SEED_FILES[2])
@example(SEED_FILES[3])
@example(SEED_FILES[4])
@example(b'BEGIN:VCARD\r\nFN;a=======================":x\r\nEND:VCARD\r\n')
@example(b'\xef\xbb\xbfFirst Name,Last Name,URL\n"')
def test_parse_never_raises_anything_but_import_file_error_for_any_bytes(data):
    try:
        result = parse(data, "upload.csv")
    except ImportFileError as exc:
        assert str(exc)
    else:
        assert result.format in ("linkedin", "linkedin-messages", "google", "vcard")


csv_text = st.text(alphabet=st.sampled_from(list('ab ,;"\r\n\t@.:é\x00') + ["=", "\ufeff"]))


def _never_crashes(function, text):
    try:
        function(text)
    except ImportFileError:
        pass


@FUZZ
@given(st.sampled_from([LINKEDIN_HEADER, 'Notes:\n"x\ny"\n\n' + LINKEDIN_HEADER, ""]), csv_text)
@example(LINKEDIN_HEADER, '\na,b,"c\nd,e\n"f\n')
def test_the_connections_parser_only_raises_import_file_error(header, body):
    _never_crashes(parse_linkedin_connections, header + "\n" + body)


@FUZZ
@given(st.sampled_from([MESSAGES_HEADER + ",IS MESSAGE DRAFT", ""]), csv_text)
@example(MESSAGES_HEADER, f'\nc,,A,{JANE},B,"{ME} {BOB},",d,s,c,INBOX\n')
def test_the_messages_parser_only_raises_import_file_error(header, body):
    _never_crashes(parse_linkedin_messages, header + "\n" + body)


@FUZZ
@given(st.sampled_from([GOOGLE_HEADER, "Name,Given Name,Group Membership", ""]), csv_text)
@example(GOOGLE_HEADER, "\nJane,,Doe,,,,,a@b.c ::: x")
def test_the_google_parser_only_raises_import_file_error(header, body):
    _never_crashes(parse_google_csv, header + "\n" + body)


vcard_text = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "BEGIN:VCARD",
                "END:VCARD",
                "VERSION:3.0",
                "FN:Jane",
                "N:a;b;c",
                "NOTE;ENCODING=QUOTED-PRINTABLE:a=",
                "PHOTO;ENCODING=b:",
                "EMAIL;ENCODING=b:@@",
                "ADR:;;;x",
                "",
            ]
        ),
        st.text(alphabet=st.sampled_from(list(' ;:=,\\"abcNFT\t=0D')), max_size=30),
    ),
    max_size=30,
).map("\r\n".join)


@FUZZ
@given(vcard_text)
@example("BEGIN:VCARD\nFN;CHARSET=nope;ENCODING=QUOTED-PRINTABLE:=C3\nEND:VCARD")
@example("BEGIN:VCARD\nFN;ENCODING=QUOTED-PRINTABLE;ENCODING=x:a\nEND:VCARD")
def test_the_vcard_parser_only_raises_import_file_error(text):
    _never_crashes(parse_vcards, text)


@FUZZ
@given(st.text())
@example("=1+1")
@example("'=1+1")
def test_csv_safe_never_lets_a_cell_start_with_a_dangerous_character(value):
    safe = csv_safe(value)
    assert safe.startswith("'") or not safe.startswith(
        ("=", "+", "-", "@", "\t", "\r", "\0", "|", "%")
    )
    assert safe in (value, "'" + value)


@FUZZ
@given(
    st.one_of(
        st.text(),
        st.builds(
            lambda prefix, slug, suffix: prefix + slug + suffix,
            st.sampled_from(
                ["https://www.linkedin.com/in/", "linkedin.com/in/", "http://de.linkedin.com/IN/"]
            ),
            st.text(),
            st.sampled_from(["", "/", "?trk=1", "#x", "/details"]),
        ),
    )
)
@example("https://www.linkedin.com/in/%2F%25")
@example("linkedin.com/in/İstanbul")
def test_normalise_linkedin_url_is_idempotent(url):
    once = normalise_linkedin_url(url)
    assert normalise_linkedin_url(once) == once
    assert once == "" or once.startswith("https://www.linkedin.com/in/")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _notes(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


printable = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n,;\\:\"'"),
    max_size=120,
)
emails = st.builds(
    lambda local, domain: f"{local}@{domain}.example",
    st.from_regex(r"[a-z0-9._%+-]{1,20}", fullmatch=True),
    st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True),
)
contacts = st.builds(
    Contact,
    line=st.just(1),
    name=printable.map(_one_line).filter(bool),
    emails=st.lists(emails, max_size=3, unique=True),
    phones=st.lists(
        st.from_regex(r"\+?[0-9][0-9 ()-]{0,15}", fullmatch=True).map(_one_line),
        max_size=3,
        unique=True,
    ),
    company=printable.map(_one_line),
    position=printable.map(_one_line),
    location=printable.map(_one_line),
    linkedin_url=st.text(max_size=30).map(lambda s: normalise_linkedin_url("linkedin.com/in/" + s)),
    notes=printable.map(_notes),
)


@FUZZ
@given(st.lists(contacts, min_size=1, max_size=4))
def test_to_vcard_round_trips_through_parse_vcards(originals):
    back, errors = parse_vcards(to_vcard(originals))
    assert errors == []
    assert len(back) == len(originals)
    for original, parsed in zip(originals, back, strict=True):
        for name in ("name", "emails", "phones", "company", "position", "location"):
            assert getattr(parsed, name) == getattr(original, name), name
        assert parsed.linkedin_url == original.linkedin_url
        assert parsed.notes == original.notes


@pytest.mark.parametrize(
    ("old", "new", "fold", "expected"),
    [
        (["a@x.org"], ["A@x.org", "b@x.org"], True, ["a@x.org", "b@x.org"]),
        (["a@x.org"], ["A@x.org"], False, ["a@x.org", "A@x.org"]),
        ([], ["", "x", "x"], False, ["x"]),
    ],
)
def test_union_keeps_the_old_values_and_adds_each_new_one_once(old, new, fold, expected):
    assert union_values(old, new, fold) == expected
