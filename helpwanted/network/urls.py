from django.urls import include, path

from helpwanted.network import duplicate_views, views

app_name = "network"
urlpatterns = [
    path("", views.people_list, name="people"),
    path("new/", views.person_create, name="person_create"),
    path("brainstorm/", views.brainstorm, name="brainstorm"),
    path("duplicates/", duplicate_views.duplicates, name="duplicates"),
    path(
        "duplicates/merge/<int:keep_id>/<int:drop_id>/",
        duplicate_views.duplicates_merge,
        name="duplicates_merge",
    ),
    path(
        "duplicates/not-same/<int:first_id>/<int:second_id>/",
        duplicate_views.duplicates_not_same,
        name="duplicates_not_same",
    ),
    path("<int:person_id>/", views.person_detail, name="person"),
    path("<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("<int:person_id>/archive/", views.person_archive, name="person_archive"),
    path("<int:person_id>/restore/", views.person_restore, name="person_restore"),
    path("<int:person_id>/delete/", views.person_delete, name="person_delete"),
    path("imports/", include("helpwanted.network.import_urls")),
    path("targets/", include("helpwanted.network.target_urls")),
]
