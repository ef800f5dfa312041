from django.urls import path

from helpwanted.mail import views

app_name = "mail"
urlpatterns = [
    path("", views.outbox_list, name="outbox"),
    path("<int:pk>/", views.outbox_detail, name="outbox_detail"),
    path("<int:pk>/html/", views.outbox_html, name="outbox_html"),
    path("<int:pk>/reply/", views.outbox_reply, name="outbox_reply"),
]
