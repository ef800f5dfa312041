from django.apps import AppConfig


class JourneyConfig(AppConfig):
    name = "helpwanted.journey"
    label = "journey"
    verbose_name = "Journey"
