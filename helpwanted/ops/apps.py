from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "helpwanted.ops"
    verbose_name = "Operations: backup and restore"
