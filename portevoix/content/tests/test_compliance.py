import pytest
from django.urls import reverse

from portevoix.content.compliance import compliance_problems, compliance_settings, compliance_update


@pytest.fixture
def rules(carol):
    return compliance_update(
        blocked_words=["confidentiel", "chiffre d'affaires", "con"],
        disclosure_tag="#collaborateur",
        by=carol,
    )


@pytest.mark.parametrize(
    "text,blocked",
    [
        ("Document CONFIDENTIEL #collaborateur", True),
        ("Document confidentiél #collaborateur", True),  # accents do not matter
        ("Notre chiffre  d'affaires #collaborateur", False),  # two spaces: not the expression
        ("Notre Chiffre d'Affaires #collaborateur", True),
        ("Un contrat signé #collaborateur", False),  # whole words only: « con » ≠ « contrat »
        ("Quel con ! #collaborateur", True),
        ("Rien à signaler #collaborateur", False),
    ],
)
def test_blocked_words_ignore_case_and_accents_but_match_whole_words(rules, text, blocked):
    problems = compliance_problems(text)
    assert bool(problems) is blocked


@pytest.mark.parametrize(
    "text,ok",
    [
        ("Fier de mon équipe #collaborateur", True),
        ("Fier de mon équipe #Collaborateur.", True),
        ("Fier de mon équipe #collaborateurs", False),
        ("Fier de mon équipe", False),
    ],
)
def test_the_disclosure_tag_is_mandatory(rules, text, ok):
    assert (compliance_problems(text) == []) is ok


def test_no_rules_no_problem(db):
    assert compliance_problems("Tout est permis") == []


def test_an_admin_edits_the_rules(client_for, carol):
    response = client_for(carol).post(
        reverse("content:compliance"),
        {"blocked_words": "gratuit\n\n  Gratuit \npromo", "disclosure_tag": "#employee"},
    )
    assert response.status_code == 302
    settings = compliance_settings()
    assert settings.blocked_word_list == ["gratuit", "promo"]
    assert (settings.disclosure_tag, settings.updated_by) == ("#employee", carol)


@pytest.mark.parametrize(
    "data",
    [
        {"blocked_words": "x" * 101, "disclosure_tag": ""},
        {"blocked_words": "\n".join(f"mot{i}" for i in range(501)), "disclosure_tag": ""},
        {"blocked_words": "", "disclosure_tag": "#deux mots"},
    ],
)
def test_bad_rules_change_nothing(client_for, carol, data):
    assert client_for(carol).post(reverse("content:compliance"), data).status_code == 200
    assert compliance_settings().blocked_words == ""


@pytest.mark.parametrize("who", ["alice", "bob", "dave", "erin"])
def test_only_admins_edit_the_rules(request, client_for, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("content:compliance")).status_code == 403
    response = client.post(
        reverse("content:compliance"), {"blocked_words": "x", "disclosure_tag": ""}
    )
    assert response.status_code == 403
    assert compliance_settings().blocked_words == ""
