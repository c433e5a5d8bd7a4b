"""Dashboard table rows and filter options rendered in Python: localised and escaped as the
template would."""

from datetime import date
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from portevoix.analytics.tables import Table
from portevoix.analytics.templatetags.analytics_tables import table_rows

TABLE = Table(
    "t",
    "T",
    ["a", "b", "c", "d", "e", "f"],
    rows=[["<Équipe & co>", 1234, 0.5, Decimal("10.62"), date(2026, 11, 27), None]],
)


def test_cells_read_like_the_template_would_render_them():
    for language in ("fr", "en"):
        with translation.override(language):
            expected = Template(
                "{% for cell in row %}<td>{% if cell is None %}—{% else %}{{ cell }}"
                "{% endif %}</td>{% endfor %}"
            ).render(Context({"row": TABLE.rows[0]}))
            html = table_rows(TABLE)
        cells = html.replace("<tr>", "").replace("</tr>\n", "")
        # The missing figure carries its explanation; otherwise the same cells.
        assert cells.split("<td><span")[0] == expected.split("<td>—")[0]
        assert "&lt;Équipe &amp; co&gt;" in html
    with translation.override("fr"):
        html = table_rows(TABLE)
    assert "<td>0,5</td>" in html and "<td>27 nov. 2026</td>" in html
    assert 'title="non mesuré pour cette sélection">—' in html


def test_an_empty_table_says_so_across_its_columns():
    with translation.override("en"):
        html = table_rows(Table("t", "T", ["a", "b"]))
    assert html == '<tr><td colspan="2" class="muted">Nothing in this period.</td></tr>'


def test_filter_options_escape_labels_and_select_the_chosen_one():
    from portevoix.analytics.templatetags.analytics_tables import select_options

    html = select_options([(3, "R&D <2026>"), (12, "Ventes")], "12")
    assert html == (
        '<option value="3">R&amp;D &lt;2026&gt;</option><option value="12" selected>Ventes</option>'
    )
    # Nothing chosen (the query has no such filter): nothing selected.
    assert "selected" not in select_options([("x", "X")], None)
