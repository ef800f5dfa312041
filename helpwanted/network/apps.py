from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "helpwanted.network"
    label = "network"
    verbose_name = "Network"
