"""Ids that arrive as text (query strings, form values): parsed in one place.

`str.isdigit()` is true for "²" and other Unicode digits that `int()` refuses, so a bare
`isdigit()` then `int()` turns a stray character into a 500. Only ASCII digits are ids here.
"""

MAX_ID = 2**63 - 1  # the largest primary key either database stores


def parse_id(value: object) -> int | None:
    """The id in `value`, or None when it is not a plain positive ASCII number."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values: list[str]) -> list[int]:
    """Every valid id in `values`, in order, each once; anything else is dropped."""
    seen: dict[int, None] = {}
    for value in values:
        number = parse_id(value)
        if number is not None:
            seen.setdefault(number, None)
    return list(seen)
