from django.apps import AppConfig


class ClubsConfig(AppConfig):
    name = "helpwanted.clubs"
    label = "clubs"
    verbose_name = "Job clubs"
