"""Mounted at the root: each path keeps the place it had before the app gathered them."""

from django.urls import path

from helpwanted.elsewhere import (
    account_views,
    calendar_views,
    export_views,
    savejob_views,
    worklog_views,
)

app_name = "elsewhere"
urlpatterns = [
    path("people/export/", export_views.export, name="export"),
    path("account/delete/", account_views.delete_account, name="delete_account"),
    path("account/goodbye/", account_views.goodbye, name="goodbye"),
    # The calendar feed: the secret token in the path is the credential (calendar apps).
    path("cal/<str:token>.ics", calendar_views.feed, name="feed"),
    path("account/calendar/", calendar_views.feed_manage, name="feed_manage"),
    path(
        "journey/opportunities/<int:opportunity_id>/dates/new/",
        calendar_views.interview_add,
        name="interview_add",
    ),
    path(
        "journey/opportunities/<int:opportunity_id>/dates/<int:interview_id>/delete/",
        calendar_views.interview_delete,
        name="interview_delete",
    ),
    path(
        "journey/opportunities/<int:opportunity_id>/dates/<int:interview_id>/calendar.ics",
        calendar_views.interview_ics,
        name="interview_ics",
    ),
    path("asks/to/<int:recipient_id>/calendar.ics", calendar_views.offer_ics, name="offer_ics"),
    # The work-search record for benefit claims.
    path("work-search/", worklog_views.record, name="worklog"),
    path("work-search/print/", worklog_views.record_print, name="worklog_print"),
    path("work-search/record.csv", worklog_views.record_csv, name="worklog_csv"),
    path("work-search/people/", worklog_views.contacts, name="worklog_contacts"),
    path("work-search/add/", worklog_views.activity_add, name="activity_add"),
    path(
        "work-search/added/<int:activity_id>/delete/",
        worklog_views.activity_delete,
        name="activity_delete",
    ),
    path("manifest.webmanifest", savejob_views.webmanifest, name="manifest"),
]
