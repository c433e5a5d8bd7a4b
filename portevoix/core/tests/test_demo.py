from django.core.management import call_command

from portevoix.accounts.models import CharterVersion, Group, Person


def test_demo_data_builds_a_living_company_once(db):
    call_command("demo")
    people = Person.objects.count()
    assert people >= 50
    roles = set(Person.objects.values_list("role", flat=True))
    assert roles == {"admin", "editor", "ambassador", "alumni"}
    assert Group.objects.count() >= 10
    assert CharterVersion.objects.exists()
    assert Person.objects.filter(opted_in_at__isnull=False).count() > people // 2
    call_command("demo")
    assert Person.objects.count() == people


def test_the_demo_logins_work(client, db):
    call_command("demo")
    assert client.login(username="ambassadrice@lumiere-demo.fr", password="portevoix-demo")
    assert client.get("/").status_code == 200
