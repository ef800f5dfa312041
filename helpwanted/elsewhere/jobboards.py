"""Job-board URLs: which board, which company, which job; and one form of a URL to compare. Pure.

`recognise(url)` knows Greenhouse, Lever, Ashby, Workable and LinkedIn job pages and returns
the board, the company as the URL names it (a slug, made readable) and the job's id. LinkedIn
URLs rarely name the company; when the slug does ("...-at-lumen-labs-4012345678") it is used.

`normalise_url(url)` is the key for "you already saved this job": a recognised job becomes its
board's canonical URL (so the apply page, a tracking link and the job page are one job); any
other URL loses its scheme's case, "www.", the fragment, a trailing slash and tracking
parameters (utm_*, gh_src, ref, ...), and keeps the rest of the query sorted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

__all__ = ["JobPosting", "normalise_url", "recognise", "title_parts"]

TRACKING = re.compile(
    r"^(utm_.*|gh_src|gh_jid_src|lever-(source|origin).*|source|src|ref|refid|referer|referrer|"
    r"trk|trkinfo|trackingid|tracking_id|fbclid|gclid|mc_[a-z]+|_hs[a-z]+|ebp|"
    r"originalsubdomain|eboardsource)$",
    re.IGNORECASE,
)
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
SLUG = r"[A-Za-z0-9][A-Za-z0-9._-]*"


@dataclass(frozen=True)
class JobPosting:
    board: str  # greenhouse, lever, ashby, workable, linkedin
    company: str  # readable: "lumen-labs" -> "Lumen Labs"; "" when the URL doesn't say
    job_id: str
    canonical: str


def _readable(slug: str) -> str:
    words = re.split(r"[-_.]+", slug.strip())
    return " ".join(w if w.isupper() else w.capitalize() for w in words if w)


def _split(url: str) -> tuple[str, list[str], dict[str, str]] | None:
    text = (url or "").strip()
    if not text or len(text) > 2000 or any(ch.isspace() for ch in text):
        return None
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or "." not in host:
        return None
    segments = [s for s in parts.path.split("/") if s]
    query = {k.lower(): v for k, v in parse_qsl(parts.query)}
    return host.removeprefix("www."), segments, query


def _greenhouse(host: str, seg: list[str], query: dict[str, str]) -> JobPosting | None:
    if not re.fullmatch(r"(job-)?boards(\.eu)?\.greenhouse\.io", host):
        return None
    if seg[:2] == ["embed", "job_app"] and query.get("for") and query.get("token", "").isdigit():
        company, job = query["for"], query["token"]
    elif len(seg) >= 3 and seg[1] == "jobs" and seg[2].isdigit():
        company, job = seg[0], seg[2]
    else:
        return None
    canonical = f"https://boards.greenhouse.io/{company.lower()}/jobs/{job}"
    return JobPosting("greenhouse", _readable(company), job, canonical)


def _lever(host: str, seg: list[str], query: dict[str, str]) -> JobPosting | None:
    if host not in ("jobs.lever.co", "jobs.eu.lever.co"):
        return None
    if len(seg) < 2 or not re.fullmatch(UUID, seg[1], re.IGNORECASE):
        return None
    canonical = f"https://{host}/{seg[0].lower()}/{seg[1].lower()}"
    return JobPosting("lever", _readable(seg[0]), seg[1].lower(), canonical)


def _ashby(host: str, seg: list[str], query: dict[str, str]) -> JobPosting | None:
    if host != "jobs.ashbyhq.com" or len(seg) < 2:
        return None
    if not re.fullmatch(UUID, seg[1], re.IGNORECASE):
        return None
    canonical = f"https://jobs.ashbyhq.com/{seg[0].lower()}/{seg[1].lower()}"
    return JobPosting("ashby", _readable(seg[0]), seg[1].lower(), canonical)


def _workable(host: str, seg: list[str], query: dict[str, str]) -> JobPosting | None:
    if host == "apply.workable.com" and len(seg) >= 3 and seg[1] == "j":
        company, job = seg[0], seg[2]
    elif host.endswith(".workable.com") and host.count(".") == 2 and len(seg) >= 2:
        company = host.split(".")[0]
        if company in ("apply", "jobs") or seg[0] not in ("j", "jobs"):
            return None
        job = seg[1]
    else:
        return None
    if not re.fullmatch(r"[A-Za-z0-9]{6,16}", job):
        return None
    canonical = f"https://apply.workable.com/{company.lower()}/j/{job.upper()}/"
    return JobPosting("workable", _readable(company), job.upper(), canonical)


def _linkedin(host: str, seg: list[str], query: dict[str, str]) -> JobPosting | None:
    if not re.fullmatch(r"([a-z]{2}\.)?linkedin\.com", host):
        return None
    job, company = "", ""
    if len(seg) >= 3 and seg[:2] == ["jobs", "view"]:
        slug = seg[2]
        found = re.fullmatch(r"(?:(.*)-)?(\d{6,})", slug)
        if not found:
            return None
        job = found.group(2)
        if found.group(1) and "-at-" in found.group(1):
            company = _readable(found.group(1).rsplit("-at-", 1)[1])
    elif seg[:1] == ["jobs"] and query.get("currentjobid", "").isdigit():
        job = query["currentjobid"]
    else:
        return None
    return JobPosting("linkedin", company, job, f"https://www.linkedin.com/jobs/view/{job}/")


BOARDS = (_greenhouse, _lever, _ashby, _workable, _linkedin)


def recognise(url: str) -> JobPosting | None:
    split = _split(url)
    if split is None:
        return None
    host, segments, query = split
    for board in BOARDS:
        if (posting := board(host, segments, query)) is not None:
            return posting
    return None


def normalise_url(url: str) -> str:
    """The form of `url` two saves of the same job share; "" when it isn't a web address."""
    posting = recognise(url)
    if posting is not None:
        return posting.canonical
    text = (url or "").strip()
    if "://" not in text:
        text = "https://" + text
    split = _split(text)
    if split is None:
        return ""
    host, segments, _query = split
    parts = urlsplit(text)
    kept = sorted((k, v) for k, v in parse_qsl(parts.query) if not TRACKING.match(k))
    path = "/".join(segments)
    port = f":{parts.port}" if parts.port not in (None, 80, 443) else ""
    query = f"?{urlencode(kept)}" if kept else ""
    return f"https://{host}{port}/{path}{query}".rstrip("/")


def title_parts(title: str) -> tuple[str, str]:
    """(role, company) from a job page's title, when it says "Role at Company" or alike.

    "Senior Designer at Lumen Labs" and "Job Application for Senior Designer at Lumen Labs"
    (Greenhouse) give both; "Lumen Labs - Senior Designer" (Lever) gives them the other way
    round; anything else is the role alone.
    """
    text = " ".join((title or "").split())[:300]
    text = re.sub(r"^job application for ", "", text, flags=re.IGNORECASE)
    text = re.sub(
        r"\s*[|–-]\s*(LinkedIn|Greenhouse|Lever|Ashby|Workable)\s*$", "", text, flags=re.I
    )
    if (at := re.fullmatch(r"(.+?) at (.+)", text)) is not None:
        return at.group(1).strip(), at.group(2).strip()
    if (dash := re.fullmatch(r"(.+?) [–-] (.+)", text)) is not None:
        return dash.group(2).strip(), dash.group(1).strip()
    return text, ""
