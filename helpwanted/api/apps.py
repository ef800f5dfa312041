from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "helpwanted.api"
    label = "api"
    verbose_name = "REST API"
