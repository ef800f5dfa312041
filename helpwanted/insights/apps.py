from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "helpwanted.insights"
    label = "insights"
    verbose_name = "Insights"
