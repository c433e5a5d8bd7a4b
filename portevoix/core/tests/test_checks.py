from django.core.checks import run_checks


def test_the_demo_key_is_refused_once_the_site_is_published(settings):
    settings.SECRET_KEY = settings.DEMO_SECRET_KEY
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert [e.id for e in run_checks() if e.id == "portevoix.E001"] == []
    settings.SITE_URL = "https://advocacy.example.com"
    errors = [e for e in run_checks() if e.id == "portevoix.E001"]
    assert len(errors) == 1 and "advocacy.example.com" in errors[0].msg
    settings.SECRET_KEY = "a-real-random-key-" + "x" * 40
    assert [e.id for e in run_checks() if e.id == "portevoix.E001"] == []
