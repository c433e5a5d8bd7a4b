"""Exports write every value as plain text a spreadsheet can open: lazy labels, control
characters and formula-looking names, and sheet names cut at a word."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy, override
from openpyxl import load_workbook

from portevoix.analytics.exports import csv_lines, sheet_titles, xlsx_response
from portevoix.analytics.tables import Table
from portevoix.analytics.tests.conftest import local
from portevoix.sharing.models import Share

DECEMBER = {"start": "2025-12-01", "end": "2025-12-31"}


def workbook(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def all_values(book) -> list:
    return [
        value
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
    ]


@pytest.mark.parametrize("network", ["copy", "email"])
def test_both_xlsx_exports_open_after_a_share_by_copy_or_e_mail(network, client_for, bob, world):
    Share.objects.create(
        post=world.job_post,
        person=world.alice,
        network=network,
        created_at=local("2025-12-15T10:00"),
    )
    label = {"copy": "Copier", "email": "E-mail"}[network]
    dashboard = workbook(
        client_for(bob).get(reverse("analytics:export", args=["all", "xlsx"]), DECEMBER)
    )
    assert label in all_values(dashboard)
    mine = workbook(
        client_for(world.alice).get(
            reverse("analytics:mine_export", args=["all", "xlsx"]), DECEMBER
        )
    )
    assert label in all_values(mine)


def test_a_name_with_a_control_character_exports_as_plain_text(client_for, bob, world):
    # Old data: the profile form used to accept it (PostgreSQL refuses a NUL byte: \x1f here).
    type(world.alice).objects.filter(pk=world.alice.pk).update(full_name="Alice\x0bMartin\x1f")
    book = workbook(
        client_for(bob).get(reverse("analytics:export", args=["all", "xlsx"]), DECEMBER)
    )
    assert "Alice Martin" in all_values(book)
    response = client_for(bob).get(
        reverse("analytics:export", args=["ambassadors", "csv"]), DECEMBER
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "\x0b" not in text and "\x1f" not in text and "Alice Martin" in text


def test_a_name_that_looks_like_a_formula_stays_text_in_both_exports(client_for, bob, world):
    type(world.alice).objects.filter(pk=world.alice.pk).update(full_name="\x0b=2+3")
    book = workbook(
        client_for(bob).get(reverse("analytics:export", args=["all", "xlsx"]), DECEMBER)
    )
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell for cell in cells if cell.data_type == "f"]
    assert "'=2+3" in [cell.value for cell in cells]
    response = client_for(bob).get(
        reverse("analytics:export", args=["ambassadors", "csv"]), DECEMBER
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert "'=2+3" in [row[0] for row in rows]


@override("fr")  # whatever language a test before this one in the same process left active
def test_every_kind_of_value_is_written_as_a_spreadsheet_reads_it():
    table = Table(
        slug="t",
        title="Values",
        headers=[gettext_lazy("Copy"), "n"],
        rows=[
            [gettext_lazy("E-mail"), 3],
            ["-Jean", -2],
            ["+33 6 12", 1.5],
            ["\t=1", None],
            ["ok\tand\nlines", 0],
            ["nul\x00and\x7f\x0bdel", 1],
        ],
    )
    rows = list(csv.reader(io.StringIO("".join(csv_lines(table)).lstrip("\ufeff"))))
    assert rows == [
        ["Copier", "n"],
        ["E-mail", "3"],
        ["'-Jean", "-2"],
        ["'+33 6 12", "1.5"],
        ["'\t=1", ""],
        ["ok\tand\nlines", "0"],
        ["nul and del", "1"],
    ]
    sheet = load_workbook(
        io.BytesIO(b"".join(xlsx_response(tables=[table], name="t").streaming_content))
    ).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)][:7] == [
        ["Copier", "n"],
        ["E-mail", 3],
        ["'-Jean", -2],
        ["'+33 6 12", 1.5],
        ["'\t=1", None],
        ["ok\tand\nlines", 0],
        ["nul and del", 1],
    ]


def test_sheet_names_are_cut_at_a_word_and_never_repeat():
    titles = [
        "Amplification: ambassadors against the brand's own pages",
        "Amplification: ambassadors against the brand's own pages",
        "Conversions by goal",
        "Conversions by goal",
        "A[very]long*title?with/no\\spaces:at_all_anywhere_in_it",
        "",
    ]
    names = sheet_titles(titles)
    assert names[0] == "Amplification- ambassadors"
    assert names[1] == "Amplification- ambassadors (2)"
    assert names[2:4] == ["Conversions by goal", "Conversions by goal (2)"]
    assert all(len(name) <= 31 for name in names)
    assert len({name.lower() for name in names}) == len(names)
    assert not any(char in name for name in names for char in "[]:*?/\\")
    assert names[5]


def test_the_dashboard_workbook_names_its_sheets_with_whole_words(client_for, bob, world):
    book = workbook(
        client_for(bob).get(reverse("analytics:export", args=["all", "xlsx"]), DECEMBER)
    )
    from portevoix.analytics import dashboard
    from portevoix.analytics.filters import filters_parse

    with_titles = [
        t.title for t in dashboard.programme_tables(filters=filters_parse(data=DECEMBER))
    ]
    assert len(book.sheetnames) == len(with_titles)
    for name, title in zip(book.sheetnames, with_titles, strict=True):
        cleaned = title.replace(":", "-")
        assert cleaned.startswith(name)
        assert len(name) == len(cleaned) or cleaned[len(name)] == " "


def test_a_long_name_of_one_word_is_still_cut_to_31_characters():
    names = sheet_titles(["x" * 40, "x" * 40])
    assert names == ["x" * 31, "x" * 27 + " (2)"]


def test_an_apostrophe_cannot_start_or_end_a_sheet_name():
    make = sheet_titles(["'quoted'"])
    assert not make[0].startswith("'") and not make[0].endswith("'")


def test_an_ambassador_with_copy_shares_exports_their_statistics(client_for, alice):
    from portevoix.content.models import Post

    post = Post.objects.create(title="Un poste", url="https://www.example.com/p")
    Share.objects.create(post=post, person=alice, network="copy")
    response = client_for(alice).get(reverse("analytics:mine_export", args=["all", "xlsx"]))
    assert "Copier" in all_values(workbook(response))
