from django.apps import AppConfig


class NudgesConfig(AppConfig):
    name = "helpwanted.nudges"
    label = "nudges"
    verbose_name = "Nudges"
