from django.conf import settings
from django.db import models
from django.utils import timezone


class Snooze(models.Model):
    """A next step the seeker did or dismissed: it stays away until `until`, then may return."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="snoozes"
    )
    key = models.CharField(max_length=120, help_text="The step's stable id, e.g. thank:42.")
    until = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="one_snooze_per_step")]

    def __str__(self) -> str:
        return f"{self.key} until {self.until:%Y-%m-%d}"
