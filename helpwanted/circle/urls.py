from django.urls import path

from helpwanted.circle import views

app_name = "circle"
urlpatterns = [
    path("circle/", views.circle_list, name="list"),
    path("circle/add/<int:person_id>/", views.circle_add, name="add"),
    path("circle/<int:member_id>/invite/", views.circle_invite, name="invite"),
    path("circle/<int:member_id>/audience/", views.circle_audience, name="audience"),
    path("circle/<int:member_id>/revoke/", views.circle_revoke, name="revoke"),
    path("circle/<int:member_id>/revoke/undo/", views.circle_revoke_undo, name="revoke_undo"),
    path("circle/<int:member_id>/remove/", views.circle_remove, name="remove"),
    path("circle/removed/<str:value>/undo/", views.circle_remove_undo, name="remove_undo"),
    path("h/<str:token>/", views.helper_link, name="helper_link"),
    path("helper/", views.helper_home, name="helper_home"),
    path("helper/asks/<int:recipient_id>/", views.helper_ask, name="helper_ask"),
    path("helper/preferences/", views.helper_preferences, name="helper_preferences"),
    path("helper/keep-me-posted/", views.helper_consent, name="helper_consent"),
    path("helper/leave/", views.helper_leave, name="helper_leave"),
    path("u/<str:value>/", views.unsubscribe, name="unsubscribe"),
]
