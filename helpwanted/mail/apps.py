from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "helpwanted.mail"
    label = "mail"
    verbose_name = "Mail"

    def ready(self) -> None:
        # Provider bounce webhooks (django-anymail's tracking signal) feed the same recording
        # as a DSN; nothing fires unless a provider's tracking webhook is configured.
        from helpwanted.mail.bounces import connect_provider_webhooks

        connect_provider_webhooks()
