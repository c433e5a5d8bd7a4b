"""A NUL in the links page's search never reaches the database (PostgreSQL refuses it: a 500)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

LINKS = reverse("tracking:links")


def test_a_nul_in_the_search_is_dropped_before_the_database(client_for, bob, link):
    with CaptureQueriesContext(connection) as queries:
        response = client_for(bob).get(LINKS, {"q": "Ali\x00ce"})
    assert response.status_code == 200
    assert response.context["query"] == "Alice"
    assert response.context["rows"][0][0] == link
    assert not any("\x00" in query["sql"] for query in queries.captured_queries)
