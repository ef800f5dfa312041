"""Job-board URLs: the board, the company from the URL, and one key per job."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpwanted.elsewhere.jobboards import normalise_url, recognise, title_parts

JOB = "0a1b2c3d-1234-4abc-8def-0123456789ab"


@pytest.mark.parametrize(
    ("url", "board", "company", "job_id"),
    [
        ("https://boards.greenhouse.io/lumenlabs/jobs/4012345", "greenhouse", "Lumenlabs", "4012345"),
        ("https://job-boards.greenhouse.io/lumen-labs/jobs/4012345?gh_src=x", "greenhouse", "Lumen Labs", "4012345"),
        ("https://boards.eu.greenhouse.io/acme/jobs/99", "greenhouse", "Acme", "99"),
        ("https://boards.greenhouse.io/embed/job_app?for=acme&token=77", "greenhouse", "Acme", "77"),
        (f"https://jobs.lever.co/lumen-labs/{JOB}", "lever", "Lumen Labs", JOB),
        (f"https://jobs.lever.co/lumen-labs/{JOB}/apply?lever-source=LinkedIn", "lever", "Lumen Labs", JOB),
        (f"https://jobs.eu.lever.co/acme/{JOB.upper()}", "lever", "Acme", JOB),
        (f"https://jobs.ashbyhq.com/Lumen/{JOB}/application", "ashby", "Lumen", JOB),
        ("https://apply.workable.com/lumen-labs/j/ABC123DEF/", "workable", "Lumen Labs", "ABC123DEF"),
        ("https://lumen-labs.workable.com/jobs/123456", "workable", "Lumen Labs", "123456"),
        ("https://www.linkedin.com/jobs/view/4012345678/", "linkedin", "", "4012345678"),
        ("https://www.linkedin.com/jobs/view/product-designer-at-lumen-labs-4012345678?trk=a", "linkedin", "Lumen Labs", "4012345678"),
        ("https://uk.linkedin.com/jobs/view/4012345678", "linkedin", "", "4012345678"),
        ("https://www.linkedin.com/jobs/collections/recommended/?currentJobId=4012345678", "linkedin", "", "4012345678"),
        ("linkedin.com/jobs/view/4012345678", "linkedin", "", "4012345678"),
    ],
)  # fmt: skip
def test_it_recognises_the_job_boards(url, board, company, job_id) -> None:
    posting = recognise(url)
    assert posting is not None
    assert (posting.board, posting.company, posting.job_id) == (board, company, job_id)


@pytest.mark.parametrize(
    "url",
    [
        "https://boards.greenhouse.io/lumenlabs",  # the board, not a job
        "https://jobs.lever.co/lumen-labs",
        "https://jobs.ashbyhq.com/lumen/not-a-uuid",
        "https://www.linkedin.com/in/someone/",  # a profile
        "https://www.linkedin.com/jobs/",
        "https://greenhouse.io.evil.example/acme/jobs/1",
        "javascript:alert(1)",
        "ftp://boards.greenhouse.io/acme/jobs/1",
        "not a url",
        "",
    ],
)
def test_it_leaves_other_urls_alone(url) -> None:
    assert recognise(url) is None


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://boards.greenhouse.io/acme/jobs/1?gh_src=abc", "https://job-boards.greenhouse.io/acme/jobs/1"),
        (f"https://jobs.lever.co/acme/{JOB}/apply", f"https://jobs.lever.co/Acme/{JOB}"),
        ("https://www.linkedin.com/jobs/view/designer-at-acme-4012345678/", "https://www.linkedin.com/jobs/collections/x/?currentJobId=4012345678"),
        ("https://WWW.Example.com/careers/design/?utm_source=x&b=2&a=1#apply", "https://example.com/careers/design?a=1&b=2"),
        ("http://example.com/job/7", "example.com/job/7/"),
    ],
)  # fmt: skip
def test_the_same_job_normalises_to_one_key(first, second) -> None:
    assert normalise_url(first) == normalise_url(second) != ""


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://example.com/job?id=1", "https://example.com/job?id=2"),
        ("https://boards.greenhouse.io/acme/jobs/1", "https://boards.greenhouse.io/acme/jobs/2"),
        ("https://example.com/a", "https://example.org/a"),
    ],
)
def test_different_jobs_keep_different_keys(first, second) -> None:
    assert normalise_url(first) != normalise_url(second)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,hi", "not a url", ""])
def test_what_isnt_a_web_address_has_no_key(url) -> None:
    assert normalise_url(url) == ""


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Job Application for Senior Designer at Lumen Labs", ("Senior Designer", "Lumen Labs")),
        ("Lumen Labs - Senior Designer", ("Senior Designer", "Lumen Labs")),
        ("Senior Designer | LinkedIn", ("Senior Designer", "")),
        ("Careers", ("Careers", "")),
    ],
)
def test_the_page_title_gives_the_role_and_maybe_the_company(title, expected) -> None:
    assert title_parts(title) == expected


@given(st.text(max_size=200))
def test_any_text_is_recognised_or_not_without_raising(text) -> None:
    recognise(text)
    key = normalise_url(text)
    assert key == "" or key.startswith("https://")
    assert normalise_url(key) == key  # a key is its own key
