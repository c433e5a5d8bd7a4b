"""Demo veille for Lumière Énergies: five sources with items already read (no network at demo
time: the items go through the same storing code as fetched ones), three watches, negative
mentions and one past alert."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from portevoix.accounts.models import Role
from portevoix.content.models import Topic
from portevoix.core.demo import DemoWorld
from portevoix.veille.feeds import ItemData
from portevoix.veille.ingest import items_store
from portevoix.veille.models import Alert, AlertKind, Source, SourceKind, Watch, WatchKind

SITE = "https://www.lumiere-energies.example"
# (name, kind, url, topics, language, [(hours ago, title, summary)])
SOURCES = [
    (
        "Blog Lumière Énergies",
        SourceKind.BLOG,
        f"{SITE}/blog/feed.xml",
        ["Énergie solaire", "Vie du groupe"],
        "fr",
        [
            (
                5,
                "Lumière Énergies inaugure son parc solaire de Montpellier",
                "Une belle réussite pour nos équipes : 40 000 panneaux et 12 000 foyers alimentés.",
            ),
            (
                30,
                "Dans les coulisses de nos techniciens pendant la tempête",
                "Merci à nos équipes d'intervention mobilisées jour et nuit.",
            ),
            (
                80,
                "Solévia : notre kit solaire pour les particuliers s'enrichit",
                "Installation simplifiée et suivi de production en temps réel.",
            ),
            (
                200,
                "Trois questions à Claire Vasseur sur notre feuille de route climat",
                "La présidente détaille les engagements 2030 du groupe.",
            ),
            (
                420,
                "ThermiQ, la pompe à chaleur conçue à Lyon, fête ses deux ans",
                "Plus de 8 000 foyers équipés.",
            ),
        ],
    ),
    (
        "Salle de presse Lumière Énergies",
        SourceKind.PRESS,
        f"{SITE}/presse/rss",
        ["Vie du groupe"],
        "fr",
        [
            (
                10,
                "Résultats annuels : le chiffre d'affaires progresse de 15 %",
                "Une croissance portée par le solaire et les réseaux de chaleur.",
            ),
            (
                150,
                "Lumière Énergies signe un partenariat avec la région Occitanie",
                "Un partenariat prometteur pour la rénovation énergétique.",
            ),
            (
                320,
                "Nomination : un nouveau directeur des réseaux de chaleur",
                "Il rejoindra le comité exécutif le 1er décembre.",
            ),
        ],
    ),
    (
        "Offres d'emploi Lumière Énergies",
        SourceKind.JOBS,
        f"{SITE}/carrieres/offres.xml",
        ["Recrutement"],
        "fr",
        [
            (
                3,
                "Technicien de maintenance photovoltaïque H/F — Montpellier",
                "CDI, permis B, déplacements régionaux.",
            ),
            (50, "Ingénieur réseaux de chaleur H/F — Lyon", "CDI, cinq ans d'expérience."),
            (
                120,
                "Chargé de communication interne H/F — Paris",
                "CDI, rattaché à la direction de la communication.",
            ),
            (
                260,
                "Alternance : assistant RH H/F — Nantes",
                "Contrat de 24 mois à partir de septembre.",
            ),
        ],
    ),
    (
        "Actualité de l'énergie",
        SourceKind.NEWS,
        "https://actu-energie.example/rss",
        ["Marché de l'énergie"],
        "fr",
        [
            (
                2,
                "Grève chez Lumière Énergies : les techniciens de Lyon dénoncent leurs conditions de travail",
                "Le mouvement pourrait s'étendre aux autres sites.",
            ),
            (
                50,
                "Pannes à répétition : les clients de Lumière Énergies excédés",
                "L'application client est inaccessible depuis trois jours.",
            ),
            (
                12,
                "Voltéa remporte le trophée de l'innovation pour sa batterie recyclable",
                "Le concurrent lyonnais poursuit sa croissance.",
            ),
            (
                20,
                "Énergéo annonce la suppression de 200 postes",
                "Le groupe invoque la baisse de la demande en chaudières.",
            ),
            (
                60,
                "Le marché du solaire résidentiel en forte croissance",
                "Les installations ont doublé en un an.",
            ),
            (140, "Helios Power lève 20 millions d'euros", "Une belle réussite pour la start-up."),
            (
                300,
                "Tarifs de l'électricité : ce qui change en février",
                "Les tarifs réglementés seront révisés.",
            ),
        ],
    ),
    (
        "Energy Transition Weekly",
        SourceKind.ALERTS,
        "https://energy-weekly.example/alerts/lumiere.atom",
        ["Marché de l'énergie"],
        "en",
        [
            (
                70,
                "Lumiere Energies customers angry over repeated outages",
                "The customer app has been down for days and nobody answers the phone.",
            ),
            (
                9,
                "Strike at Lumiere Energies Lyon plant drags on",
                "Management refuses to negotiate.",
            ),
            (
                40,
                "Voltea wins innovation award for recyclable battery",
                "A great success for the French company.",
            ),
            (
                100,
                "Lumiere Energies named best employer in energy",
                "Employees praise the remote work agreement.",
            ),
            (180, "Energeo to cut 200 jobs as boiler demand slumps", "Unions fear more closures."),
        ],
    ),
]
# A wave ten days ago that made the past alert.
PAST_WAVE = [
    "Fuite de données chez Lumière Énergies : les coordonnées de clients exposées",
    "Lumière Énergies : plainte collective après des factures multipliées par trois",
    "Factures erronées chez Lumière Énergies, le service client injoignable",
    "Lumière Energies data breach: customers furious",
    "Lumière Énergies condamnée à une amende pour démarchage abusif",
    "Clients en colère : Lumière Énergies accusée de pratiques trompeuses",
]
WATCHES = [
    (
        "Lumière Énergies",
        WatchKind.BRAND,
        "Lumière Énergies\nLumiere Energies",
        "Lumière Énergies Québec",
    ),
    ("Nos produits", WatchKind.PRODUCT, "Solévia\nThermiQ", ""),
    ("Concurrents", WatchKind.COMPETITOR, "Voltéa\nÉnergéo\nHelios Power", ""),
]


def _item(
    hours_ago: float, title: str, summary: str, url: str, language: str, now: datetime
) -> ItemData:
    slug = "".join(c if c.isalnum() else "-" for c in title.lower())[:60].strip("-")
    return ItemData(
        guid=f"{url}#{slug}",
        link=f"{url.rsplit('/', 1)[0]}/{slug}",
        title=title,
        summary=f"<p>{summary}</p>",
        image_url="",
        author="",
        published_at=now - timedelta(hours=hours_ago),
        language=language,
    )


def build(world: DemoWorld) -> None:
    now = timezone.now()
    editor = next((p for p in world.people if p.role == Role.EDITOR), None)
    for name, kind, terms, exclude in WATCHES:
        Watch.objects.create(
            name=name, kind=kind, terms=terms, exclude_terms=exclude, created_by=editor
        )
    sources = []
    for name, source_kind, url, topics, language, entries in SOURCES:
        # Fictional addresses: read again only in a day, so a demo is not a list of errors.
        source = Source.objects.create(
            name=name,
            kind=source_kind,
            url=url,
            fetch_interval_minutes=24 * 60,
            created_by=editor,
            created_at=now - timedelta(days=60),
            last_fetched_at=now - timedelta(minutes=10),
            last_success_at=now - timedelta(minutes=10),
            next_fetch_at=now + timedelta(days=1),
        )
        source.topics.set([Topic.objects.get_or_create(name=t)[0] for t in topics])
        items = [_item(h, t, s, url, language, now) for h, t, s in entries]
        items_store(source=source, entries=items, now=now)
        sources.append(source)

    news = sources[3]
    wave_at = now - timedelta(days=10)
    wave = [
        _item(0, title, "", news.url, "en" if "data breach" in title else "fr", wave_at)
        for title in PAST_WAVE
    ]
    items_store(source=news, entries=wave, now=wave_at)
    brand = Watch.objects.get(name="Lumière Énergies")
    alert = Alert.objects.create(
        kind=AlertKind.NEGATIVE_RISE,
        watch=brand,
        negative_count=len(PAST_WAVE),
        window_hours=brand.alert_window_hours,
        usual_count=0.0,
    )
    Alert.objects.filter(pk=alert.pk).update(created_at=wave_at + timedelta(hours=1))
