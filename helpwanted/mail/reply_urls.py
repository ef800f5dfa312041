from django.urls import path

from helpwanted.mail import reply_views

app_name = "replies"
urlpatterns = [
    path("<int:email_reply_id>/", reply_views.reply_detail, name="detail"),
    path("<int:email_reply_id>/confirm/", reply_views.reply_confirm, name="confirm"),
    path("<int:email_reply_id>/approve/", reply_views.reply_approve, name="approve"),
    path("<int:email_reply_id>/discard/", reply_views.reply_discard, name="discard"),
]
