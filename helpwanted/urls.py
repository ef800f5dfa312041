from django.conf import settings
from django.urls import include, path

from helpwanted import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("home/", views.home, name="home"),
    path("account/", include("helpwanted.accounts.urls")),
    path("healthz", views.healthz, name="healthz"),
]
if (settings.DEMO or settings.DEBUG) and not settings.PRODUCTION:
    urlpatterns.append(path("dev/outbox/", include("helpwanted.mail.urls")))

handler404 = "helpwanted.views.not_found"
handler403 = "helpwanted.views.forbidden"
handler500 = "helpwanted.views.server_error"
