"""Included at /journey/updates/ inside the "journey" namespace."""

from django.urls import path

from helpwanted.journey import update_views as views

urlpatterns = [
    path("", views.update_list, name="updates"),
    path("new/", views.update_new, name="update_new"),
    path("<int:update_id>/", views.update_detail, name="update"),
    path("<int:update_id>/delete/", views.update_remove, name="update_delete"),
    path("<int:update_id>/restore/", views.update_restore_view, name="update_restore"),
    path("<int:update_id>/reply/", views.update_reply, name="update_reply"),
    path("replies/<int:reply_id>/accept/", views.reply_accept, name="reply_accept"),
]
