"""Demo people: Lumière Énergies, a French energy-services company (fictional)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from portevoix.accounts.charter import charter_publish
from portevoix.accounts.models import (
    CharterAcceptance,
    Group,
    GroupKind,
    NetworkAccount,
    Person,
    Role,
)
from portevoix.core.demo import DEMO_PASSWORD, DemoWorld

GROUPS = {
    GroupKind.ENTITY: ["Lumière SA", "Lumière Services"],
    GroupKind.DEPARTMENT: [
        "Communication",
        "Marketing",
        "Ressources humaines",
        "Ventes",
        "R&D",
        "Finance",
    ],
    GroupKind.SITE: ["Paris", "Lyon", "Nantes", "Toulouse"],
    GroupKind.COUNTRY: ["France", "Belgique"],
}
FIRST_NAMES = [
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Inès",
    "Sarah",
    "Julie",
    "Emma",
    "Zoé",
    "Louise",
    "Anaïs",
    "Hugo",
    "Lucas",
    "Thomas",
    "Nicolas",
    "Julien",
    "Mathieu",
    "Antoine",
    "Karim",
    "Yanis",
    "Théo",
    "Élodie",
    "Céline",
    "Amélie",
    "Bastien",
    "Rémi",
    "François",
    "Hélène",
    "Noémie",
    "Mehdi",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèbvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Benali",
]
CHARTER = """## Notre charte des ambassadeurs

1. **Volontariat** — partager est un choix ; vous pouvez quitter le programme à tout moment.
2. **Authenticité** — personnalisez les messages proposés : vos mots comptent plus que les nôtres.
3. **Transparence** — mentionnez votre lien avec Lumière Énergies (#collaborateur).
4. **Confidentialité** — ne partagez jamais d'information interne ou non publiée.
5. **Respect** — pas de réponse à chaud aux commentaires négatifs : signalez-les à l'équipe communication.

*Our ambassador charter: voluntary, authentic, transparent, confidential, respectful.*
"""
FIXED = [
    ("admin@lumiere-demo.fr", "Isabelle Fontaine", Role.ADMIN),
    ("editeur@lumiere-demo.fr", "Paul Lemaire", Role.EDITOR),
    ("ambassadrice@lumiere-demo.fr", "Sophie Marchand", Role.AMBASSADOR),
    ("alumni@lumiere-demo.fr", "Olivier Gauthier", Role.ALUMNI),
]
ROLE_MIX = [Role.ADMIN] * 2 + [Role.EDITOR] * 5 + [Role.AMBASSADOR] * 44 + [Role.ALUMNI] * 5


def build(world: DemoWorld) -> None:
    rng = world.rng
    now = timezone.now()
    for kind, names in GROUPS.items():
        for name in names:
            world.groups[name] = Group.objects.create(name=name, kind=kind)
    departments = [world.groups[n] for n in GROUPS[GroupKind.DEPARTMENT]]
    sites = [world.groups[n] for n in GROUPS[GroupKind.SITE]]
    password = make_password(DEMO_PASSWORD)  # hashed once: Argon2 is slow on purpose

    people = list(FIXED)
    used = {email for email, _, _ in FIXED}
    for role in ROLE_MIX:
        while True:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = f"{first}.{last}@lumiere-demo.fr".lower().replace(" ", "")
            email = email.translate(str.maketrans("éèêëàâîïôöûüç", "eeeeaaiioouuc"))
            if email not in used:
                used.add(email)
                break
        people.append((email, f"{first} {last}", role))

    admin = None
    for index, (email, name, role) in enumerate(people):
        joined = now - timedelta(days=rng.randint(30, 420))
        # A few people are invited but have not come yet: adoption figures need them.
        invited_only = index >= len(FIXED) and rng.random() < 0.08
        person = Person.objects.create(
            email=email,
            full_name=name,
            role=role,
            password=password if not invited_only else "!",
            date_joined=joined,
            activated_at=None if invited_only else joined + timedelta(days=rng.randint(0, 5)),
            language="en" if rng.random() < 0.15 else "fr",
            hide_from_rankings=rng.random() < 0.1,
        )
        if index >= len(FIXED) and not invited_only:
            person.opted_in_at = (
                joined + timedelta(days=rng.randint(1, 20)) if rng.random() < 0.8 else None
            )
        elif index in (1, 2, 3):
            person.opted_in_at = joined + timedelta(days=1)
        person.save()
        person.groups.set(
            [
                rng.choice(departments),
                rng.choice(sites),
                world.groups["France" if rng.random() < 0.85 else "Belgique"],
                world.groups["Lumière SA" if rng.random() < 0.7 else "Lumière Services"],
            ]
        )
        if person.activated_at:
            for network in rng.sample(
                ["linkedin", "x", "facebook", "bluesky", "mastodon", "xing"], k=rng.randint(1, 3)
            ):
                NetworkAccount.objects.create(
                    person=person, network=network, followers=int(rng.lognormvariate(5.5, 1.0))
                )
        if role == Role.ADMIN and admin is None:
            admin = person
        world.people.append(person)

    assert admin is not None, "the demo company has an admin"
    charter = charter_publish(title="Charte des ambassadeurs", text=CHARTER, published_by=admin)
    for person in world.people:
        if person.opted_in_at:
            CharterAcceptance.objects.create(
                person=person, version=charter, accepted_at=person.opted_in_at
            )
