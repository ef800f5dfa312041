from django.urls import path

from helpwanted.nudges import views

app_name = "nudges"
urlpatterns = [
    path("whom/", views.whom_to_ask, name="whom"),
    path("steps/snooze/", views.step_snooze, name="step_snooze"),
]
