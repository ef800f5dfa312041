from django.urls import include, path

app_name = "journey"
urlpatterns = [
    path("opportunities/", include("helpwanted.journey.opportunity_urls")),
    path("updates/", include("helpwanted.journey.update_urls")),
    path("checkins/", include("helpwanted.journey.checkin_urls")),
    path("digest/", include("helpwanted.journey.digest_urls")),
    path("landed/", include("helpwanted.journey.landed_urls")),
]
