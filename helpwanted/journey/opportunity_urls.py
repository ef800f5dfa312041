"""Mounted at /journey/opportunities/ inside the "journey" namespace (no app_name here)."""

from django.urls import path

from helpwanted.journey import opportunity_views as views

urlpatterns = [
    path("", views.board, name="opportunities"),
    path("list/", views.opportunity_list, name="opportunity_list"),
    path("new/", views.opportunity_new, name="opportunity_new"),
    path("people/", views.people_search, name="opportunity_people"),
    path("<int:opportunity_id>/", views.opportunity_detail, name="opportunity"),
    path("<int:opportunity_id>/edit/", views.opportunity_edit, name="opportunity_edit"),
    path("<int:opportunity_id>/delete/", views.opportunity_delete, name="opportunity_delete"),
    path("<int:opportunity_id>/restore/", views.opportunity_restore, name="opportunity_restore"),
    path("<int:opportunity_id>/move/", views.opportunity_move, name="opportunity_move"),
    path(
        "<int:opportunity_id>/helpers/add/",
        views.helper_add,
        name="opportunity_helper_add",
    ),
    path(
        "<int:opportunity_id>/helpers/<int:person_id>/remove/",
        views.helper_remove,
        name="opportunity_helper_remove",
    ),
    path(
        "<int:opportunity_id>/helpers/<int:person_id>/restore/",
        views.helper_restore,
        name="opportunity_helper_restore",
    ),
]
