"""Mounted at the root: each path keeps the place it had before the app gathered them."""

from django.urls import path

from helpwanted.elsewhere import account_views, export_views

app_name = "elsewhere"
urlpatterns = [
    path("people/export/", export_views.export, name="export"),
    path("account/delete/", account_views.delete_account, name="delete_account"),
    path("account/goodbye/", account_views.goodbye, name="goodbye"),
]
