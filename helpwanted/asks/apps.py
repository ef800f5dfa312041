from django.apps import AppConfig


class AsksConfig(AppConfig):
    name = "helpwanted.asks"
    label = "asks"
    verbose_name = "Asks"
