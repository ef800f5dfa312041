"""Mounted at /people/targets/ inside the "network" namespace (no app_name here)."""

from django.urls import path

from helpwanted.network import target_views

urlpatterns = [
    path("", target_views.targets, name="targets"),
    path("<int:target_id>/", target_views.target, name="target"),
    path("<int:target_id>/remove/", target_views.target_delete, name="target_delete"),
]
