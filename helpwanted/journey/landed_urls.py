from django.urls import path

from helpwanted.journey import landed_views as views

urlpatterns = [
    path("<int:opportunity_id>/", views.landed_confirm, name="landed"),
    path("thanks/", views.landed_thanks, name="landed_thanks"),
    path("thanks/all/", views.thank_you_send_all, name="thank_you_send_all"),
    path("reopen/", views.search_reopen, name="search_reopen"),
]
