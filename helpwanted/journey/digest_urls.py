from django.urls import path

from helpwanted.journey import digest_views as views

urlpatterns = [
    path("u/<str:value>/", views.digest_unsubscribe, name="digest_unsubscribe"),
    path("u/<str:value>/resubscribe/", views.digest_resubscribe, name="digest_resubscribe"),
    path("pause/<str:value>/", views.digest_pause, name="digest_pause"),
    path("pause/<str:value>/resume/", views.digest_resume, name="digest_resume"),
]
