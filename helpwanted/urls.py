from django.urls import include, path

from helpwanted import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("home/", views.home, name="home"),
    path("account/", include("helpwanted.accounts.urls")),
    path("people/", include("helpwanted.network.urls")),
    path("asks/", include("helpwanted.asks.urls")),
    path("journey/", include("helpwanted.journey.urls")),
    path("nudges/", include("helpwanted.nudges.urls")),
    path("insights/", include("helpwanted.insights.urls")),
    path("clubs/", include("helpwanted.clubs.urls")),
    path("api/", include("helpwanted.api.urls")),
    path("", include("helpwanted.elsewhere.urls")),
    path("", include("helpwanted.circle.urls")),
    path("replies/", include("helpwanted.mail.reply_urls")),
    path("inbound/", include("helpwanted.mail.inbound.urls")),
    path("bounces/", include("helpwanted.mail.bounce_urls")),
    path("healthz", views.healthz, name="healthz"),
    # Dev-only: every view there answers 404 unless the demo or DEBUG is on.
    path("dev/outbox/", include("helpwanted.mail.urls")),
]

handler404 = "helpwanted.views.not_found"
handler403 = "helpwanted.views.forbidden"
handler500 = "helpwanted.views.server_error"
