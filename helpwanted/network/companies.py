"""Company name normalisation and matching (pure Python, no Django)."""

from __future__ import annotations

import re
import unicodedata

from cleanco import basename
from rapidfuzz import fuzz

__all__ = [
    "FUZZY_MIN_CHARS",
    "FUZZY_THRESHOLD",
    "company_key",
    "companies_match",
    "normalise_company",
]

FUZZY_MIN_CHARS = 6  # both normalised names must be at least this long to fuzzy-match
FUZZY_THRESHOLD = 92  # rapidfuzz token_sort_ratio needed for a fuzzy match

_APOSTROPHES = dict.fromkeys(map(ord, "'\u2019\u02bc\u2018`\u00b4"), None)
_AMPERSAND_WORD_RE = re.compile(r"\s+&\s+")
_DIGITS_RE = re.compile(r"\d+")


def _fold(text: str) -> str:
    """Casefold, strip accents and punctuation, collapse whitespace."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _AMPERSAND_WORD_RE.sub(" and ", text).translate(_APOSTROPHES).replace("&", "")
    text = "".join(" " if unicodedata.category(ch)[0] in "PSCZ" else ch for ch in text)
    return " ".join(text.split())


def _strip_legal_suffixes(name: str) -> str:
    for _ in range(3):  # "Acme Holdings GmbH & Co. KG" may need a couple of passes
        try:
            cleaned = basename(name).strip()
        except Exception:  # cleanco is best effort only
            return name
        if not cleaned or cleaned == name:
            return cleaned or name
        name = cleaned
    return name


def normalise_company(name: str) -> str:
    """Matching key for a company: legal suffixes, case, accents, punctuation and "the" removed.

    "Acme Inc.", "ACME Corporation" and "acme" all give "acme". Only a blank name gives "";
    a name that is nothing but a legal suffix or punctuation keeps its folded text.
    """
    raw = " ".join((name or "").split())
    if not raw:
        return ""
    key = _fold(_strip_legal_suffixes(raw))
    # Every leading "the", so the key is a fixed point: normalising a key gives the same key.
    while key.startswith("the "):
        key = key[4:]
    if key:
        return key
    return _fold(raw) or raw.casefold()


def company_key(name: str) -> str:
    """Index key for a company name (same as normalise_company)."""
    return normalise_company(name)


def companies_match(a: str, b: str) -> bool:
    """Whether two company names mean the same employer.

    Equal keys match. Otherwise only long names (6+ characters each, same numbers in both)
    may match fuzzily, so "IBM"/"IBX" and "Meta"/"Beta" never do. Blank never matches.
    """
    key_a, key_b = normalise_company(a), normalise_company(b)
    if not key_a or not key_b:
        return False
    if key_a == key_b:
        return True
    if min(len(key_a.replace(" ", "")), len(key_b.replace(" ", ""))) < FUZZY_MIN_CHARS:
        return False
    if sorted(_DIGITS_RE.findall(key_a)) != sorted(_DIGITS_RE.findall(key_b)):
        return False
    return fuzz.token_sort_ratio(key_a, key_b) >= FUZZY_THRESHOLD
