"""Check-ins, included at /journey/checkins/ inside the "journey" namespace."""

from django.urls import path

from helpwanted.journey import checkin_views

urlpatterns = [
    path("", checkin_views.checkin_page, name="checkins"),
    path("reminder/", checkin_views.checkin_reminder, name="checkin_reminder"),
    path(
        "reminder/off/<str:value>/",
        checkin_views.checkin_reminder_off,
        name="checkin_reminder_off",
    ),
]
