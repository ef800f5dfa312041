from datetime import date

import pytest
import time_machine

from helpwanted.elsewhere.exports import export_json
from helpwanted.journey.models import CheckIn, Opportunity, Reply, StageChange, Update

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-11-02 09:00:00+00:00", tick=False)
def test_the_json_export_holds_opportunities_with_history_updates_with_replies_and_checkins(
    alice, bob
):
    opportunity = Opportunity.objects.create(owner=alice, company="Lumen Labs", role="Designer")
    StageChange.objects.create(opportunity=opportunity, to_stage="idea")
    StageChange.objects.create(
        opportunity=opportunity, from_stage="idea", to_stage="applied", note="Sent the form"
    )
    update = Update.objects.create(owner=alice, kind="rejection", audience="inner", text="No luck")
    Reply.objects.create(update=update, member=bob.member, reaction="strong", text="Onwards!")
    CheckIn.objects.create(owner=alice, day=date(2026, 11, 1), hope=3, energy=2, confidence=4)

    data = export_json(alice)

    assert data["opportunities"][0]["stages"] == [
        {"stage": "idea", "at": "2026-11-02T09:00:00+00:00", "note": ""},
        {"stage": "applied", "at": "2026-11-02T09:00:00+00:00", "note": "Sent the form"},
    ]
    assert data["updates"] == [
        {
            "kind": "rejection",
            "audience": "inner",
            "text": "No luck",
            "at": "2026-11-02T09:00:00+00:00",
            "deleted": False,
            "replies": [
                {
                    "from": "Bob Lindqvist",
                    "kind": "encouragement",
                    "reaction": "strong",
                    "text": "Onwards!",
                    "at": "2026-11-02T09:00:00+00:00",
                }
            ],
        }
    ]
    assert data["checkins"] == [
        {"date": "2026-11-01", "hope": 3, "energy": 2, "confidence": 4, "note": "", "shared": False}
    ]


def test_the_export_holds_nothing_of_another_seekers_journey(alice, charlie):
    Update.objects.create(owner=charlie, text="Charlie's private post", audience="inner")
    assert "Charlie" not in str(export_json(alice))
