"""/people/imports/…: upload, preview, confirm, progress. Included under the "network" app."""

from django.urls import path

from helpwanted.network import import_views as views

urlpatterns = [
    path("", views.import_upload, name="import_upload"),
    path("<int:job_id>/", views.import_detail, name="import_detail"),
    path("<int:job_id>/preview/", views.import_preview, name="import_preview"),
    path("<int:job_id>/confirm/", views.import_confirm, name="import_confirm"),
    path("<int:job_id>/cancel/", views.import_cancel, name="import_cancel"),
    path("<int:job_id>/progress/", views.import_progress, name="import_progress"),
]
