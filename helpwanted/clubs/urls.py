from django.urls import URLPattern, path

from helpwanted.clubs import email_views

app_name = "clubs"
urlpatterns: list[URLPattern] = [
    path("emails-off/<str:value>/", email_views.emails_off, name="emails_off"),
]
