from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "helpwanted.mail"
    label = "mail"
    verbose_name = "Mail"
