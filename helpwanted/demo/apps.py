from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "helpwanted.demo"
    label = "demo"
    verbose_name = "Demo data"
