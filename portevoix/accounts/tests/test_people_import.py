"""CSV import: all or nothing, with a report line by line."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portevoix.accounts.models import Group, Invitation, Person


@pytest.fixture
def groups(db):
    return [Group.objects.create(name="Ventes"), Group.objects.create(name="Lyon", kind="site")]


def upload(client, text: str | bytes, name: str = "people.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(
        reverse("accounts:people_import"), {"file": SimpleUploadedFile(name, data, "text/csv")}
    )


def test_a_good_file_imports_and_invites_everyone(
    client_for, carol, groups, django_capture_on_commit_callbacks
):
    text = (
        "email,full_name,role,groups\n"
        "ana@example.com,Ana Lopez,ambassador,Ventes|Lyon\n"
        "Ben@Example.com,Ben Roux,editor,\n"
        "cleo@example.com,Cléo Faure,,lyon\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client_for(carol), text)
    assert response.status_code == 302
    ana = Person.objects.get(email="ana@example.com")
    assert {g.name for g in ana.groups.all()} == {"Ventes", "Lyon"}
    assert Person.objects.get(email="ben@example.com").role == "editor"
    assert Person.objects.get(email="cleo@example.com").role == "ambassador"
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ana@example.com",
        "ben@example.com",
        "cleo@example.com",
    ]


def test_semicolons_and_an_excel_bom_are_understood(client_for, carol, groups):
    text = "\ufeffemail;full_name;role;groups\nana@example.com;Ana Lopez;alumni;Ventes\n"
    assert upload(client_for(carol), text).status_code == 302
    assert Person.objects.get(email="ana@example.com").role == "alumni"


@pytest.mark.parametrize(
    "bad_row,expected",
    [
        (",No Mail,ambassador,", "Line 3"),
        ("not-an-email,Bad Mail,ambassador,", "not-an-email"),
        ("zed@example.com,Zed,ambassador,Marseille", "Marseille"),
        ("ana@example.com,Ana Again,ambassador,", "line 2"),
        ("alice@example.com,Alice Exists,ambassador,", "alice@example.com"),
        ("zed@example.com,Zed,superuser,", "superuser"),
        ("zed@example.com,,ambassador,", "Line 3"),
        (f"zed@example.com,{'Z' * 151},ambassador,", "the name is longer than 150 characters"),
        (f"{'z' * 64}@{'d' * 63}.{'e' * 63}.{'f' * 63}.com,Zed,ambassador,", "longer than 254"),
        ('zed@example.com,"' + "x" * 140_000 + '",ambassador,', "not valid CSV"),
    ],
)
def test_one_bad_row_imports_nothing_and_says_why(
    client_for, carol, alice, groups, bad_row, expected
):
    before = Person.objects.count()
    text = f"email,full_name,role,groups\nana@example.com,Ana Lopez,ambassador,Ventes\n{bad_row}\n"
    client = client_for(carol)
    client.cookies["django_language"] = "en"
    carol.language = "en"
    carol.save()
    response = upload(client, text)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert expected in page
    assert Person.objects.count() == before
    assert Invitation.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    "content,expected",
    [
        (b"", "The file is empty."),
        (b"\xff\xfe\x00binary", "The file is not UTF-8 text."),
        (b"name,phone\nAna,123\n", "Missing column(s): email, full_name."),
        (b"email,full_name\n", "The file has no person in it."),
    ],
)
def test_files_that_are_not_people_lists_are_refused(client_for, carol, content, expected):
    before = Person.objects.count()
    client = client_for(carol)
    client.cookies["django_language"] = "en"
    carol.language = "en"
    carol.save()
    response = upload(client, content)
    assert response.status_code in (200, 400)  # 200: the form itself refused the upload
    assert expected in response.content.decode()
    assert Person.objects.count() == before


def test_an_editor_cannot_import(client_for, bob, groups):
    response = upload(client_for(bob), "email,full_name\nx@example.com,X\n")
    assert response.status_code == 403
    assert not Person.objects.filter(email="x@example.com").exists()


def _refused(client_for, carol, content: bytes) -> str:
    """Upload `content` as carol (in English); check nothing changed; return the page."""
    before = Person.objects.count()
    client = client_for(carol)
    carol.language = "en"
    carol.save()
    response = upload(client, content)
    assert response.status_code == 400
    assert Person.objects.count() == before
    assert Invitation.objects.count() == 0
    assert mail.outbox == []
    page = response.content.decode()
    assert "Nothing was imported" in page
    return page


def test_an_unclosed_quote_is_an_error_not_one_person_made_of_three_rows(client_for, carol):
    text = (
        "email,full_name\n"
        'ana@example.com,"Ana Lopez\n'
        "ben@example.com,Ben Roux\n"
        "cleo@example.com,Cléo Faure\n"
    )
    page = _refused(client_for, carol, text.encode())
    assert "not valid CSV" in page


def test_a_nul_byte_is_an_error_on_every_database(client_for, carol):
    page = _refused(client_for, carol, b"email,full_name\nana@example.com,Ana\x00Lopez\n")
    assert "control character" in page
    assert "Line 2" in page


@pytest.mark.parametrize("name", ["Ana\x0bLopez", "Ana\x1bLopez", "Ana\x85Lopez", '"Ana\nLopez"'])
def test_a_name_with_control_characters_is_refused_by_the_import(client_for, carol, name):
    text = f"email,full_name\nana@example.com,{name}\n"
    page = _refused(client_for, carol, text.encode())
    assert "control character" in page


def test_a_row_with_more_cells_than_the_header_is_refused(client_for, carol):
    # "Lopez, Ana" without quotes shifts every column after it.
    text = "email,full_name,role\nana@example.com,Lopez, Ana,editor\n"
    page = _refused(client_for, carol, text.encode())
    assert "Line 2" in page and "4 cells" in page


@pytest.mark.parametrize("content", [b"", b"\n\n", b"\xef\xbb\xbf", b"   \r\n"])
def test_an_empty_file_is_an_error(client_for, carol, content):
    page = _refused(client_for, carol, content)
    assert "empty" in page or "no person" in page
