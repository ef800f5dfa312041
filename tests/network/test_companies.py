"""Tests for company name normalisation and matching (helpwanted.network.companies)."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from helpwanted.network.companies import companies_match, company_key, normalise_company

FUZZ = settings(max_examples=200, deadline=None, database=None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Acme Inc.", "acme"),
        ("ACME Corporation", "acme"),
        ("acme", "acme"),
        ("  The   Acme Company, Inc. ", "acme"),
        ("Société Générale S.A.", "societe generale"),
        ("Müller GmbH & Co. KG", "muller"),
        ("Procter & Gamble Co.", "procter and gamble"),
        ("AT&T Inc.", "att"),
        ("McDonald's Corporation", "mcdonalds"),
        ("Booking.com B.V.", "booking com"),
        ("Smith, Jones & Partners LLP", "smith jones and partners"),
        ("Inc.", "inc"),
        ("The", "the"),
        ("???", "???"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_it_normalises_company_names(raw, expected):
    assert normalise_company(raw) == expected


def test_company_key_is_the_normalised_name():
    assert company_key("Acme Inc.") == normalise_company("Acme Inc.") == "acme"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Acme Inc.", "ACME Corporation"),
        ("acme", "The Acme Company"),
        ("Procter & Gamble", "Procter and Gamble Co."),
        ("Deloitte LLP", "Deloite"),
        ("Microsoft", "Microsoft Corporation"),
        ("Société Générale", "Societe Generale SA"),
        ("Johnson & Johnson", "Johnson and Johnson"),
        ("Goldman Sachs Group", "Goldman Sachs Groupe"),
    ],
)
def test_it_matches_the_same_company_written_differently(a, b):
    assert companies_match(a, b)
    assert companies_match(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("IBM", "IBX"),
        ("Meta", "Beta"),
        ("Acme", "Acne"),
        ("Google UK", "Google US"),
        ("Studio 54", "Studio 45"),
        ("Capital One", "Capital Two"),
        ("Acme", ""),
        ("", ""),
        ("   ", "   "),
    ],
)
def test_it_never_matches_different_or_empty_companies(a, b):
    assert not companies_match(a, b)


@FUZZ
@given(st.text(), st.text())
@example("Acme Inc.", "ACME Corporation")
@example("Inc.", "???")
def test_companies_match_is_symmetric(a, b):
    assert companies_match(a, b) == companies_match(b, a)


@FUZZ
@given(st.text().filter(lambda s: s.strip()))
@example("Inc.")
@example("!!!")
@example("The")
def test_companies_match_is_reflexive_for_non_empty_names(name):
    assert companies_match(name, name)


@FUZZ
@given(st.text())
def test_normalise_company_is_blank_only_for_blank_names(name):
    assert (normalise_company(name) == "") == (name.strip() == "")
