"""Link previews read from the page's Open Graph or meta tags, through the guarded fetch; an
unreachable page still lets the editor type the preview."""

import pytest
from django.urls import reverse

from portevoix.content.models import Post
from portevoix.content.preview import link_preview_read, parse_preview, post_attach_preview_image
from portevoix.content.tests.factories import image_bytes, make_post
from portevoix.content.tests.factories import post_form_data as form_data
from portevoix.core.fetch import FetchError
from portevoix.core.testing import Answer

OG_PAGE = """<!doctype html><html><head>
<meta charset="utf-8">
<title>Titre de repli</title>
<meta property="og:title" content="Éoliennes en mer : le chantier démarre">
<meta property="og:description" content="Trois ans de travaux &amp; 62 turbines.">
<meta property="og:image" content="/img/chantier.png">
<meta name="description" content="Autre description">
</head><body><meta property="og:title" content="ignored, in the body"></body></html>"""


def html(body: str, charset: str = "utf-8") -> Answer:
    return Answer(
        body=body.encode(charset), headers={"Content-Type": f"text/html; charset={charset}"}
    )


def test_open_graph_tags_make_the_preview(local_http):
    local_http.route("/article", html(OG_PAGE))
    preview = link_preview_read(local_http.url("/article"))
    assert preview.title == "Éoliennes en mer : le chantier démarre"
    assert preview.description == "Trois ans de travaux & 62 turbines."
    assert preview.image_url == local_http.url("/img/chantier.png")


def test_plain_meta_tags_and_the_title_are_the_fallback():
    page = b"<html><head><title> Offre : \n technicien </title><meta name='description' content='CDI \xc3\xa0 Lyon'></head></html>"
    preview = parse_preview(page, page_url="https://jobs.example/1")
    assert (preview.title, preview.description, preview.image_url) == (
        "Offre : technicien",
        "CDI à Lyon",
        "",
    )


def test_the_declared_charset_is_honoured(local_http):
    local_http.route(
        "/latin", html('<meta property="og:title" content="Énergie à Orléans">', "latin-1")
    )
    assert link_preview_read(local_http.url("/latin")).title == "Énergie à Orléans"


def test_only_http_images_are_kept():
    page = b'<meta property="og:image" content="javascript:alert(1)"><meta property="og:title" content="T">'
    assert parse_preview(page, page_url="https://a.example/").image_url == ""


@pytest.mark.parametrize("image", ["http://[x/i.png", "//[::1/i.png", "https://[x"])
def test_a_malformed_image_address_is_dropped_and_the_rest_kept(image):
    page = f'<meta property="og:image" content="{image}"><meta property="og:title" content="T">'
    preview = parse_preview(page.encode(), page_url="https://a.example/")
    assert preview.image_url == "" and preview.title == "T"


def test_a_page_with_a_malformed_image_address_still_previews(client_for, bob, local_http):
    page = OG_PAGE.replace('content="/img/chantier.png"', 'content="http://[x/i.png"')
    local_http.route("/article", html(page))
    client = client_for(bob)
    response = client.get(reverse("content:link_preview"), {"url": local_http.url("/article")})
    assert response.status_code == 200
    assert response.json()["image_url"] == ""
    assert response.json()["title"] == "Éoliennes en mer : le chantier démarre"
    response = client.post(
        reverse("content:post_new"),
        form_data(title="", url=local_http.url("/article"), read_preview="1"),
    )
    assert response.status_code == 200 and not Post.objects.exists()


def test_a_malformed_redirect_gives_an_error_not_a_crash(client_for, bob, local_http):
    local_http.route("/jump", Answer(status=302, headers={"Location": "http://[x/"}))
    response = client_for(bob).get(
        reverse("content:link_preview"), {"url": local_http.url("/jump")}
    )
    assert response.status_code == 422
    assert "pas une URL valide" in response.json()["error"]


def test_a_page_in_error_or_not_html_gives_a_reason(local_http):
    local_http.route("/gone", Answer(status=404, body=b"no"))
    local_http.route(
        "/file.pdf", Answer(body=b"%PDF-1.4", headers={"Content-Type": "application/pdf"})
    )
    with pytest.raises(FetchError, match="404"):
        link_preview_read(local_http.url("/gone"))
    with pytest.raises(FetchError):
        link_preview_read(local_http.url("/file.pdf"))


def test_the_preview_endpoint_answers_the_editor(client_for, bob, local_http):
    local_http.route("/article", html(OG_PAGE))
    response = client_for(bob).get(
        reverse("content:link_preview"), {"url": local_http.url("/article")}
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Éoliennes en mer : le chantier démarre"


def test_an_unreachable_page_gives_an_error_and_the_form_still_saves_a_typed_preview(
    client_for, bob, local_http
):
    url = local_http.url("/nowhere")
    client = client_for(bob)
    response = client.get(reverse("content:link_preview"), {"url": url})
    assert response.status_code == 422 and response.json()["error"]
    response = client.post(
        reverse("content:post_new"),
        form_data(url=url, preview_title="Tapé à la main", preview_description="Par l'éditeur"),
    )
    assert response.status_code == 302
    assert Post.objects.get().preview_title == "Tapé à la main"


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "javascript:alert(1)",
    ],
)
def test_private_or_strange_addresses_are_never_fetched(client_for, bob, local_http, url):
    response = client_for(bob).get(reverse("content:link_preview"), {"url": url})
    assert response.status_code == 400 and response.json()["error"]
    assert local_http.requests == []


def test_a_redirect_to_a_private_address_is_not_followed(client_for, bob, local_http):
    local_http.route("/jump", Answer(status=302, headers={"Location": "http://10.0.0.1/admin"}))
    response = client_for(bob).get(
        reverse("content:link_preview"), {"url": local_http.url("/jump")}
    )
    assert response.status_code == 422


def test_a_huge_page_is_cut_and_still_previewed(local_http):
    local_http.route("/huge", html(OG_PAGE.replace("</body>", "x" * 3_000_000 + "</body>")))
    assert link_preview_read(local_http.url("/huge")).title.startswith("Éoliennes")


@pytest.mark.parametrize("who", ["alice", "dave", "erin"])
def test_only_the_pilot_team_may_fetch_previews(request, client_for, local_http, who):
    local_http.route("/article", html(OG_PAGE))
    response = client_for(request.getfixturevalue(who)).get(
        reverse("content:link_preview"), {"url": local_http.url("/article")}
    )
    assert response.status_code == 403
    assert local_http.requests == []


def test_the_read_preview_button_fills_the_form_without_javascript(client_for, bob, local_http):
    local_http.route("/article", html(OG_PAGE))
    response = client_for(bob).post(
        reverse("content:post_new"),
        form_data(title="", url=local_http.url("/article"), read_preview="1"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Éoliennes en mer : le chantier démarre"' in page
    assert not Post.objects.exists()


def test_the_preview_image_is_copied_into_the_post(db, local_http):
    local_http.route("/img.png", Answer(body=image_bytes(), headers={"Content-Type": "image/png"}))
    local_http.route("/fake.png", Answer(body=b"<html>not an image</html>"))
    post = make_post(preview_image_url=local_http.url("/img.png"))
    assert post_attach_preview_image(post=post)
    post.refresh_from_db()
    assert post.image.name.endswith(".png")
    assert not post_attach_preview_image(post=post)  # once is enough
    fake = make_post(preview_image_url=local_http.url("/fake.png"))
    assert not post_attach_preview_image(post=fake)
    fake.refresh_from_db()
    assert not fake.image
