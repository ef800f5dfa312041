import pytest
from django.urls import reverse

from helpwanted.circle.actions import circle_add
from helpwanted.network.actions import person_create
from helpwanted.network.models import Person, Tag

pytestmark = pytest.mark.django_db


def make(owner, name, **fields):
    return person_create(owner=owner, fields={"name": name, **fields})


def test_a_seeker_adds_a_person_with_several_emails_and_tags(alice_client, alice):
    response = alice_client.post(
        reverse("network:person_create"),
        {
            "name": "Priya Shah",
            "relationship": "former_colleague",
            "emails_text": "Priya@Example.org, priya.shah@work.example",
            "phones_text": "+44 20 7946 0000",
            "tags_text": "Design, ex-Acme",
            "company": "Acme Inc.",
            "closeness": "3",
            "linkedin_url": "linkedin.com/in/Priya-Shah/",
        },
    )
    person = Person.objects.get(owner=alice)
    assert response.status_code == 302
    assert response["Location"] == reverse("network:person", args=[person.pk])
    assert person.emails == ["priya@example.org", "priya.shah@work.example"]
    assert sorted(t.name for t in person.tags.all()) == ["design", "ex-acme"]
    assert person.linkedin_url == "https://www.linkedin.com/in/priya-shah"
    assert person.company_key == "acme" and person.closeness == 3
    assert "company" in person.edited_fields and "name" in person.edited_fields


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Enter their name"),
        ({"name": "X", "emails_text": "not an email"}, "doesn&#x27;t look like an email"),
        ({"name": "X", "linkedin_url": "https://example.com/me"}, "LinkedIn profile address"),
        ({"name": "X", "closeness": "9"}, "Select a valid choice"),
    ],
)
def test_a_bad_person_form_says_what_to_fix_and_saves_nothing(alice_client, alice, data, message):
    response = alice_client.post(
        reverse("network:person_create"), {"relationship": "friend", **data}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.filter(owner=alice).exists()


def test_editing_a_person_marks_the_changed_fields_as_the_seekers_own(alice_client, alice):
    person = Person.objects.create(
        owner=alice, name="Sam Park", company="Old Company", sources=["linkedin"]
    )
    response = alice_client.post(
        reverse("network:person_edit", args=[person.pk]),
        {"name": "Sam Park", "relationship": "acquaintance", "company": "Globex Ltd"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.company == "Globex Ltd" and person.company_key == "globex"
    assert person.edited_fields == ["company"]


def test_archiving_hides_a_person_and_undo_brings_them_back(alice_client, alice):
    person = make(alice, "Kim Lee")
    response = alice_client.post(reverse("network:person_archive", args=[person.pk]), follow=True)
    body = response.content.decode()
    assert "Kim Lee is archived." in body and "Undo" in body
    assert "Kim Lee</a>" not in body
    alice_client.post(reverse("network:person_restore", args=[person.pk]))
    person.refresh_from_db()
    assert person.archived_at is None
    listing = alice_client.get(reverse("network:people")).content.decode()
    assert "Kim Lee" in listing


def test_deleting_asks_first_then_removes_for_good(alice_client, alice):
    person = make(alice, "Kim Lee")
    confirm = alice_client.get(reverse("network:person_delete", args=[person.pk]))
    assert "Delete Kim Lee?" in confirm.content.decode()
    assert Person.objects.filter(pk=person.pk).exists()
    alice_client.post(reverse("network:person_delete", args=[person.pk]))
    assert not Person.objects.filter(pk=person.pk).exists()


def test_the_people_list_searches_name_company_position_and_tag(alice_client, alice):
    make(alice, "Ana Costa", company="Globex", position="Designer")
    make(alice, "Ben Ode", company="Initech", position="Engineer")
    tagged = make(alice, "Cleo Diaz")
    tag = Tag.objects.create(owner=alice, name="climbing")
    tagged.tags.add(tag)

    def names(**params):
        body = alice_client.get(reverse("network:people"), params).content.decode()
        return [n for n in ("Ana Costa", "Ben Ode", "Cleo Diaz") if n in body]

    assert names(q="globex") == ["Ana Costa"]
    assert names(q="engineer") == ["Ben Ode"]
    assert names(q="climbing") == ["Cleo Diaz"]
    assert names(tag="climbing") == ["Cleo Diaz"]
    assert names() == ["Ana Costa", "Ben Ode", "Cleo Diaz"]


def test_the_people_list_filters_by_relationship_source_and_circle(alice_client, alice):
    make(alice, "Ana Costa", relationship="family")
    imported = Person.objects.create(owner=alice, name="Ben Ode", sources=["linkedin"])
    circle_add(person=make(alice, "Cleo Diaz", relationship="friend"), audience="inner")

    def names(**params):
        body = alice_client.get(reverse("network:people"), params).content.decode()
        return [n for n in ("Ana Costa", "Ben Ode", "Cleo Diaz") if n in body]

    assert names(relationship="family") == ["Ana Costa"]
    assert names(source="linkedin") == [imported.name]
    assert names(circle="in") == ["Cleo Diaz"]
    assert names(circle="out") == ["Ana Costa", "Ben Ode"]


def test_the_people_list_sorts_and_paginates(alice_client, alice):
    Person.objects.bulk_create(
        Person(owner=alice, name=f"Person {i:03}", company=f"Co {99 - i:03}") for i in range(60)
    )
    first = alice_client.get(reverse("network:people"), {"sort": "company"}).content.decode()
    assert first.index("Person 059") < first.index("Person 058")
    assert "Page 1 of 2" in first
    second = alice_client.get(reverse("network:people"), {"page": 2}).content.decode()
    assert "Person 059" in second and "Person 000" not in second


def test_htmx_gets_only_the_results_partial(alice_client, alice):
    make(alice, "Ana Costa")
    response = alice_client.get(reverse("network:people"), {"q": "ana"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results"')
    assert "Ana Costa" in body and "<html" not in body


def test_the_people_list_uses_a_constant_number_of_queries(
    alice_client, alice, django_assert_max_num_queries
):
    people = Person.objects.bulk_create(
        Person(owner=alice, name=f"Person {i}", company="Acme") for i in range(120)
    )
    for person in people[:30]:
        circle_add(person=person, audience="supporters")
    with django_assert_max_num_queries(8):
        alice_client.get(reverse("network:people"), {"circle": "in", "sort": "recent"})
    with django_assert_max_num_queries(8):
        alice_client.get(reverse("network:people"))


def test_an_empty_people_list_teaches_the_next_step(alice_client):
    body = alice_client.get(reverse("network:people")).content.decode()
    assert "Start with the people you know" in body
    assert reverse("network:brainstorm") in body


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("network:person", "get"),
        ("network:person_edit", "get"),
        ("network:person_edit", "post"),
        ("network:person_archive", "post"),
        ("network:person_restore", "post"),
        ("network:person_delete", "get"),
        ("network:person_delete", "post"),
    ],
)
def test_another_seeker_cannot_see_or_touch_alices_people(charlie_client, alice, name, method):
    person = make(alice, "Kim Lee")
    response = getattr(charlie_client, method)(reverse(name, args=[person.pk]), {"name": "Mallory"})
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.name == "Kim Lee" and person.archived_at is None


def test_charlies_people_list_shows_nothing_of_alices(charlie_client, alice):
    make(alice, "Kim Lee")
    assert "Kim Lee" not in charlie_client.get(reverse("network:people")).content.decode()


@pytest.mark.parametrize("name", ["network:people", "network:person_create", "network:brainstorm"])
def test_people_pages_ask_an_anonymous_visitor_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_person_posts_need_a_csrf_token(csrf_client, alice):
    person = make(alice, "Kim Lee")
    csrf_client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    for url in (
        reverse("network:person_create"),
        reverse("network:person_archive", args=[person.pk]),
        reverse("network:person_delete", args=[person.pk]),
        reverse("network:brainstorm"),
    ):
        assert csrf_client.post(url, {"name": "X"}).status_code == 403
    assert Person.objects.filter(owner=alice).count() == 1


def test_the_brainstorm_adds_several_people_and_moves_to_the_next_prompt(alice_client, alice):
    page = alice_client.get(reverse("network:brainstorm")).content.decode()
    assert "Don&#x27;t decide for anyone whether they can help" in page or (
        "Don't decide for anyone whether they can help" in page
    )
    response = alice_client.post(
        reverse("network:brainstorm") + "?prompt=last-job",
        {
            "name_0": "Jo March",
            "relationship_0": "former_colleague",
            "name_1": "  Laurie   Laurence ",
            "relationship_1": "friend",
            "name_2": "",
            "relationship_2": "friend",
            "next": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?prompt=job-before")
    people = list(Person.objects.filter(owner=alice).values_list("name", "relationship", "sources"))
    assert sorted(people) == [
        ("Jo March", "former_colleague", ["brainstorm"]),
        ("Laurie Laurence", "friend", ["brainstorm"]),
    ]
    alice_client.post(
        reverse("network:brainstorm") + "?prompt=job-before",
        {"name_0": "jo march", "relationship_0": "friend"},
    )
    assert Person.objects.filter(owner=alice).count() == 2


def test_the_last_brainstorm_prompt_leads_to_the_people_list(alice_client):
    response = alice_client.post(
        reverse("network:brainstorm") + "?prompt=asked-you",
        {"name_0": "Meg", "relationship_0": "friend", "next": "1"},
    )
    assert response["Location"] == reverse("network:people")
