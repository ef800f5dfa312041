from django.apps import AppConfig


class ElsewhereConfig(AppConfig):
    name = "helpwanted.elsewhere"
    label = "elsewhere"
    verbose_name = "Your data, elsewhere"
