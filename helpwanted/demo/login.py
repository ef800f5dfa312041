"""The demo seeker's login. No Django imports: scripts/serve.sh prints it before Django starts."""

import os

DEMO_EMAIL = os.environ.get("HELPWANTED_DEMO_EMAIL", "demo@helpwanted.example")
DEMO_PASSWORD = os.environ.get("HELPWANTED_DEMO_PASSWORD", "not-alone-2026")


def banner(bind: str = "127.0.0.1:8000") -> str:
    return (
        f"helpwanted is running at http://{bind}/\n"
        f"Demo login: {DEMO_EMAIL} / {DEMO_PASSWORD}\n"
        f"Outbox (every email the demo sent): http://{bind}/dev/outbox/\n"
        "Press Ctrl-C to stop."
    )


if __name__ == "__main__":
    print(banner(os.environ.get("HELPWANTED_BIND", "127.0.0.1:8000")))
