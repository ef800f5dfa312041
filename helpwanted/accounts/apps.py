from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "helpwanted.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from helpwanted.accounts import audit  # noqa: F401  (connects the login log receivers)
