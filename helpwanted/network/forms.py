from typing import Any

from django import forms

from helpwanted.lib.forms import IsoDateInput
from helpwanted.network.models import Person, Relationship, Source

SORTS = {
    "name": ("Name", ["name", "id"]),
    "company": ("Company", ["company", "name", "id"]),
    "recent": ("Recently added", ["-created_at", "-id"]),
    "closeness": ("Closest first", ["-closeness", "name", "id"]),
    "connected": ("Connected most recently", ["-connected_on", "name", "id"]),
}


def _split(value: str) -> list[str]:
    seen: list[str] = []
    for part in value.replace(";", ",").replace("\n", ",").split(","):
        part = part.strip()
        if part and part.lower() not in {s.lower() for s in seen}:
            seen.append(part)
    return seen


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    relationship = forms.ChoiceField(
        label="Relationship", required=False, choices=[("", "Any")] + list(Relationship.choices)
    )
    tag = forms.CharField(label="Tag", required=False, max_length=60)
    source = forms.ChoiceField(
        label="Came from", required=False, choices=[("", "Anywhere")] + list(Source.choices)
    )
    circle = forms.ChoiceField(
        label="Circle",
        required=False,
        choices=[("", "Everyone"), ("in", "In my circle"), ("out", "Not in my circle yet")],
    )
    archived = forms.BooleanField(label="Show archived people", required=False)
    sort = forms.ChoiceField(
        label="Sort by", required=False, choices=[(k, v[0]) for k, v in SORTS.items()]
    )


class PersonForm(forms.ModelForm):
    emails_text = forms.CharField(
        label="Email addresses", required=False, help_text="Separate several with commas."
    )
    phones_text = forms.CharField(
        label="Phone numbers", required=False, help_text="Separate several with commas."
    )
    tags_text = forms.CharField(
        label="Tags", required=False, help_text="Words to find people by, e.g. design, ex-Acme."
    )
    closeness = forms.TypedChoiceField(
        label="How close are you?",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Not sure")] + [(i, f"{i} of 5") for i in range(1, 6)],
        help_text="Only you see this. 1 is a distant acquaintance, 5 is as close as it gets.",
    )

    class Meta:
        model = Person
        fields = [
            "name",
            "nickname",
            "relationship",
            "how_we_know",
            "closeness",
            "company",
            "position",
            "location",
            "linkedin_url",
            "connected_on",
            "notes",
        ]
        widgets = {
            "connected_on": IsoDateInput(),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {"name": {"required": "Enter their name, even just a first name."}}
        help_texts = {
            "nickname": "Optional. Emails greet them by it; otherwise by their first name.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["emails_text"].initial = ", ".join(self.instance.emails)
            self.fields["phones_text"].initial = ", ".join(self.instance.phones)
            self.fields["tags_text"].initial = ", ".join(t.name for t in self.instance.tags.all())

    def clean_emails_text(self) -> list[str]:
        emails = [e.lower() for e in _split(self.cleaned_data["emails_text"])]
        validator = forms.EmailField()
        for email in emails:
            try:
                validator.clean(email)
            except forms.ValidationError as exc:
                raise forms.ValidationError(
                    f"“{email}” doesn't look like an email address. Check for a typo."
                ) from exc
        return emails

    def clean_phones_text(self) -> list[str]:
        return _split(self.cleaned_data["phones_text"])

    def clean_tags_text(self) -> list[str]:
        tags = [t.lower()[:60] for t in _split(self.cleaned_data["tags_text"])]
        return tags[:20]

    def clean_linkedin_url(self) -> str:
        from helpwanted.network.parsing import normalise_linkedin_url

        raw = self.cleaned_data["linkedin_url"].strip()
        if not raw:
            return ""
        url = normalise_linkedin_url(raw)
        if not url:
            raise forms.ValidationError(
                "Paste their LinkedIn profile address, like https://www.linkedin.com/in/their-name"
            )
        return url


BRAINSTORM_ROWS = 5


class BrainstormForm(forms.Form):
    """Several people at once, name and relationship only."""

    def __init__(self, *args: Any, default_relationship: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default_relationship = default_relationship or Relationship.ACQUAINTANCE
        for i in range(BRAINSTORM_ROWS):
            self.fields[f"name_{i}"] = forms.CharField(
                label=f"Name {i + 1}", required=False, max_length=200
            )
            self.fields[f"relationship_{i}"] = forms.ChoiceField(
                label=f"Relationship {i + 1}",
                choices=Relationship.choices,
                initial=self.default_relationship,
                required=False,
            )

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"name_{i}"], self[f"relationship_{i}"]) for i in range(BRAINSTORM_ROWS)]

    def people(self) -> list[tuple[str, str]]:
        found = []
        for i in range(BRAINSTORM_ROWS):
            name = " ".join(self.cleaned_data.get(f"name_{i}", "").split())
            if name:
                relationship = self.cleaned_data.get(f"relationship_{i}")
                found.append((name, relationship or self.default_relationship))
        return found
