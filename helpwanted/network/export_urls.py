"""Mounted at /people/export/ inside the "network" namespace (no app_name here)."""

from django.urls import path

from helpwanted.network import export_views

urlpatterns = [
    path("", export_views.export, name="export"),
]
