from django.urls import URLPattern, path

from helpwanted.clubs import email_views, round_views, views

app_name = "clubs"
urlpatterns: list[URLPattern] = [
    # Clubs, joining, sharing, buddies and the facilitator's view (clubs/views.py).
    path("", views.club_list, name="index"),
    path("new/", views.club_new, name="new"),
    path("<int:club_id>/", views.club_detail, name="detail"),
    path("<int:club_id>/edit/", views.club_edit, name="edit"),
    path("<int:club_id>/invite/", views.invite, name="invite"),
    path(
        "invitations/<int:invitation_id>/resend/", views.invitation_resend, name="invitation_resend"
    ),
    path(
        "invitations/<int:invitation_id>/revoke/", views.invitation_revoke, name="invitation_revoke"
    ),
    path("join/<str:token>/", views.invitation, name="invitation"),
    path("join/", views.join, name="join"),
    path("<int:club_id>/sharing/", views.sharing, name="sharing"),
    path("<int:club_id>/leave/", views.leave, name="leave"),
    path("<int:club_id>/landed/", views.alumnus, name="alumnus"),
    path("<int:club_id>/buddy/", views.buddy, name="buddy"),
    path("<int:club_id>/buddy/pick/", views.buddy_pick, name="buddy_pick"),
    path("<int:club_id>/buddy/unpair/", views.buddy_leave, name="buddy_leave"),
    path("<int:club_id>/week/", views.week_check, name="week_check"),
    path("<int:club_id>/buddies/", views.buddies, name="buddies"),
    path("members/<int:membership_id>/unpair/", views.member_unpair, name="member_unpair"),
    path("members/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path("<int:club_id>/facilitate/", views.facilitator_view, name="facilitator"),
    path("<int:club_id>/outcomes.csv", views.outcomes_csv, name="outcomes_csv"),
    path("<int:club_id>/updates/", views.updates, name="updates"),
    path("emails-off/<str:value>/", email_views.emails_off, name="emails_off"),
    # The round, shared leads and the meeting page (clubs/round_views.py).
    path("<int:club_id>/round/", round_views.round_current, name="round"),
    path("rounds/<int:round_id>/", round_views.round_detail, name="round_detail"),
    path("rounds/<int:round_id>/request/", round_views.request_compose, name="request_compose"),
    path(
        "requests/<int:request_id>/withdraw/", round_views.request_withdraw, name="request_withdraw"
    ),
    path("requests/<int:request_id>/offer/", round_views.offer_make, name="offer_make"),
    path("offers/<int:offer_id>/withdraw/", round_views.offer_withdraw, name="offer_withdraw"),
    path("offers/<int:offer_id>/accept/", round_views.offer_accept, name="offer_accept"),
    path("offers/<int:offer_id>/decline/", round_views.offer_decline, name="offer_decline"),
    path("<int:club_id>/leads/", round_views.lead_list, name="leads"),
    path("leads/<int:lead_id>/take/", round_views.lead_take, name="lead_take"),
    path("leads/<int:lead_id>/withdraw/", round_views.lead_withdraw, name="lead_withdraw"),
    path("meetings/<int:meeting_id>/", round_views.meeting_page, name="meeting"),
    path("meetings/<int:meeting_id>/goals/", round_views.goal_add, name="goal_add"),
    path("goals/<int:goal_id>/", round_views.goal_done, name="goal_done"),
    path("meetings/<int:meeting_id>/notes/", round_views.note_add, name="note_add"),
    path("meetings/<int:meeting_id>/invite.ics", round_views.meeting_ics, name="meeting_ics"),
    path("<int:club_id>/meetings.ics", round_views.club_ics, name="club_ics"),
]
