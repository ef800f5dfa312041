"""The demo seeker's login. No Django imports: scripts/serve.sh prints it before Django starts."""

import os

DEMO_EMAIL = os.environ.get("HELPWANTED_DEMO_EMAIL", "demo@helpwanted.example")
DEMO_PASSWORD = os.environ.get("HELPWANTED_DEMO_PASSWORD", "not-alone-2026")
# The facilitator of Maya's job club (helpwanted/demo/seed_clubs.py): same password.
FACILITATOR_EMAIL = os.environ.get("HELPWANTED_FACILITATOR_EMAIL", "facilitator@helpwanted.example")


def banner(bind: str = "127.0.0.1:8000") -> str:
    return (
        f"helpwanted is running at http://{bind}/\n"
        f"Demo login: {DEMO_EMAIL} / {DEMO_PASSWORD}\n"
        f"Job club facilitator's login: {FACILITATOR_EMAIL} / {DEMO_PASSWORD}\n"
        f"Outbox (every email the demo sent): http://{bind}/dev/outbox/\n"
        "Press Ctrl-C to stop."
    )


if __name__ == "__main__":
    print(banner(os.environ.get("HELPWANTED_BIND", "127.0.0.1:8000")))
