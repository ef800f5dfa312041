"""Realistic seekers and helpers for `make loadtest` (run by loadtest/run.py, not by hand).

Seekers log in, browse home, people and asks, add people, compose and send asks, and check in.
Helpers answer asks through the two-tap links in the ask emails the SMTP sink received.
Every send is logged (ask id, people, whether the page said it went out) for the verifier.
"""

import json
import os
import random
import re
from typing import Any

from locust import HttpUser, between, events, task

ACCOUNTS = json.loads(open(os.environ["LOADTEST_ACCOUNTS"]).read())  # noqa: SIM115
HOSTS = os.environ["LOADTEST_HOSTS"].split()
SINK_LOG = os.environ["LOADTEST_SINK_LOG"]
SEND_LOG = open(os.environ["LOADTEST_SEND_LOG"], "a", buffering=1)  # noqa: SIM115
ERRORS_LOG = open(os.environ["LOADTEST_5XX_LOG"], "a", buffering=1)  # noqa: SIM115
PATH = re.compile(r"https?://[^/]+(/.*)")
_links: list[str] = []
_sink_offset = 0
_next_account = 0


@events.request.add_listener
def _count_5xx(name: str, response: Any = None, **kwargs: Any) -> None:
    if response is not None and getattr(response, "status_code", 0) >= 500:
        ERRORS_LOG.write(f"{response.status_code} {name}\n")


def _new_links() -> None:
    """Read the ask emails that arrived since last time; keep their answer links."""
    global _sink_offset
    with open(SINK_LOG) as sink:
        sink.seek(_sink_offset)
        for line in sink:
            if not line.endswith("\n"):
                break
            _sink_offset += len(line.encode())
            _links.extend(PATH.match(link).group(1) for link in json.loads(line)["links"])  # type: ignore[union-attr]


class Base(HttpUser):
    abstract = True

    def on_start(self) -> None:
        self.client.base_url = random.choice(HOSTS)

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")


class Seeker(Base):
    weight = 3
    wait_time = between(1, 3)

    def on_start(self) -> None:
        global _next_account
        super().on_start()
        self.account = ACCOUNTS[_next_account % len(ACCOUNTS)]
        _next_account += 1
        self.people = list(self.account["people"])
        self.client.get("/account/login/", name="login page")
        self.client.post(
            "/account/login/",
            {
                "username": self.account["email"],
                "password": self.account["password"],
                "csrfmiddlewaretoken": self.csrf(),
            },
            name="log in",
        )

    @task(5)
    def home(self) -> None:
        self.client.get("/home/", name="home")

    @task(3)
    def people_list(self) -> None:
        self.client.get("/people/", name="people")

    @task(3)
    def asks(self) -> None:
        self.client.get("/asks/", name="asks")

    @task(2)
    def add_person(self) -> None:
        self.client.get("/people/new/", name="person form")
        n = random.randrange(10**9)
        response = self.client.post(
            "/people/new/",
            {
                "name": f"New{n} Contact",
                "emails_text": f"new{n}@helper.example",
                "relationship": "colleague",
                "csrfmiddlewaretoken": self.csrf(),
            },
            name="add person",
            allow_redirects=False,
        )
        found = re.search(r"/people/(\d+)/", response.headers.get("Location", ""))
        if found:
            self.people.append(int(found.group(1)))

    @task(2)
    def ask_and_send(self) -> None:
        self.client.get("/asks/new/", name="compose")
        to = random.sample(self.people, k=random.randint(1, 3))
        response = self.client.post(
            "/asks/new/",
            {
                "kind": "advice",
                "request": "Could we have a 20-minute call about design roles in health tech?",
                "why": "I'm moving into health tech.",
                "follow_up_days": "5",
                "to": [str(pk) for pk in to],
                "csrfmiddlewaretoken": self.csrf(),
            },
            name="save draft",
            allow_redirects=False,
        )
        found = re.search(r"/asks/(\d+)/", response.headers.get("Location", ""))
        if not found:
            return
        ask = int(found.group(1))
        sent = self.client.post(
            f"/asks/{ask}/send/",
            {"csrfmiddlewaretoken": self.csrf()},
            name="send ask",
            allow_redirects=False,
        )
        if sent.status_code != 302:
            return
        page = self.client.get(f"/asks/{ask}/", name="ask page")
        ok = "Asking is brave" in page.text
        SEND_LOG.write(json.dumps({"ask": ask, "to": to, "ok": ok}) + "\n")

    @task(1)
    def check_in(self) -> None:
        self.client.get("/journey/checkins/", name="check-in page")
        self.client.post(
            "/journey/checkins/",
            {
                "hope": random.randint(1, 5),
                "energy": random.randint(1, 5),
                "confidence": random.randint(1, 5),
                "note": "A steady day.",
                "csrfmiddlewaretoken": self.csrf(),
            },
            name="check in",
        )


class Helper(Base):
    weight = 1
    wait_time = between(1, 4)

    @task
    def answer(self) -> None:
        _new_links()
        if not _links:
            return
        link = _links.pop(random.randrange(len(_links)))
        self.client.cookies.clear()  # a different helper each time
        url = f"{link}&a=yes"
        self.client.get(url, name="helper tap 1")
        self.client.post(
            url,
            {"answer": "yes", "message": "Happy to help.", "csrfmiddlewaretoken": self.csrf()},
            name="helper tap 2",
        )
