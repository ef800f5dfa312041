import pytest

pytestmark = pytest.mark.django_db


def test_the_landing_pages_job_club_figure_names_its_source(client):
    page = client.get("/").content.decode()
    assert "80% against 48%" in page
    figure = page[page.index("80% against 48%") :]
    assert "<cite>Azrin, N. H." in figure and "(1980)" in figure
    assert "Journal of Vocational Behavior, 16(2), 133–145" in figure
