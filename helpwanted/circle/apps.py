from django.apps import AppConfig


class CircleConfig(AppConfig):
    name = "helpwanted.circle"
    label = "circle"
    verbose_name = "Circle"
