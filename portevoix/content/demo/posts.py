"""The demo's posts: what a French energy-services company's communication team would offer
its ambassadors over a few months (fictional)."""

from __future__ import annotations

from dataclasses import dataclass, field

from portevoix.content.models import PostKind, PostStatus, Priority

P = PostStatus
K = PostKind


@dataclass(frozen=True)
class DemoPost:
    title: str
    kind: str
    commentary: str
    path: str  # on the demo site; "" for none
    topics: tuple[str, ...]
    status: str = P.PUBLISHED
    days: int | None = -10  # publication, in days from now
    lasts: int | None = None  # days before expiry
    campaign: str = ""
    languages: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    alumni: bool = False
    priority: int = Priority.NORMAL
    event_in: int | None = None
    location: str = ""
    messages: tuple[tuple[str, str, str], ...] = field(default=())


TAG = "#collaborateur"

POSTS: list[DemoPost] = [
    DemoPost(
        "Notre parc éolien en mer de Saint-Nazaire produit ses premiers mégawattheures",
        K.LINK,
        "Après trois ans de chantier, les 80 éoliennes alimentent l'équivalent de 700 000 foyers.",
        "/actualites/parc-eolien-saint-nazaire",
        ("Énergie", "RSE"),
        days=-3,
        campaign="energie",
        priority=Priority.TOP,
        alumni=True,
        messages=(
            ("", "fr", f"Fier de voir nos éoliennes de Saint-Nazaire tourner enfin ! {TAG}"),
            (
                "",
                "fr",
                f"80 éoliennes, 700 000 foyers : quelle aventure d'équipe à Saint-Nazaire. {TAG}",
            ),
            (
                "linkedin",
                "fr",
                "Trois ans de chantier, des centaines de collègues mobilisés, et aujourd'hui les "
                "premiers mégawattheures de notre parc éolien en mer de Saint-Nazaire. "
                f"Une belle étape pour la transition énergétique. {TAG}",
            ),
            ("", "en", f"Proud to see our Saint-Nazaire offshore wind farm up and running! {TAG}"),
            ("x", "fr", f"Les éoliennes de Saint-Nazaire tournent ⚡🌊 {TAG} #énergie"),
        ),
    ),
    DemoPost(
        "Semaine de l'énergie : 5 gestes simples pour votre logement",
        K.LINK,
        "Nos conseillers partagent leurs astuces pour réduire la facture sans perdre en confort.",
        "/conseils/semaine-energie-5-gestes",
        ("Énergie", "Clients"),
        days=-2,
        campaign="energie",
        priority=Priority.HIGH,
        messages=(
            (
                "",
                "fr",
                f"5 gestes simples et efficaces, partagés par mes collègues conseillers. {TAG}",
            ),
            ("", "fr", f"Réduire sa facture sans perdre en confort, c'est possible : {TAG}"),
        ),
    ),
    DemoPost(
        "Webinaire : la pompe à chaleur, mode d'emploi",
        K.EVENT,
        "Une heure pour tout comprendre avec nos experts, questions en direct.",
        "/evenements/webinaire-pompe-a-chaleur",
        ("Événements", "Énergie"),
        days=-5,
        lasts=12,
        campaign="energie",
        event_in=6,
        location="En ligne",
        messages=(
            (
                "",
                "fr",
                f"Envie de comprendre la pompe à chaleur ? Rejoignez notre webinaire. {TAG}",
            ),
            (
                "linkedin",
                "fr",
                f"Mes collègues experts répondent à toutes vos questions en direct. {TAG}",
            ),
        ),
    ),
    DemoPost(
        "Technicien·ne de maintenance éolienne (H/F) – Nantes",
        K.JOB,
        "CDI, travail en hauteur, formation GWO prise en charge. Rejoignez l'équipe de Nantes !",
        "/carrieres/offres/technicien-maintenance-eolienne-nantes",
        ("Recrutement",),
        days=-20,
        campaign="talents",
        location="Nantes",
        priority=Priority.HIGH,
        alumni=True,
        messages=(
            ("", "fr", f"Mon équipe recrute à Nantes ! Un métier qui a du sens, en hauteur. {TAG}"),
            (
                "",
                "fr",
                f"Vous connaissez un·e technicien·ne passionné·e ? On recrute à Nantes. {TAG}",
            ),
            ("", "en", f"We're hiring wind turbine technicians in Nantes! {TAG}"),
        ),
    ),
    DemoPost(
        "Ingénieur·e réseaux intelligents (H/F) – Lyon",
        K.JOB,
        "Concevoir les réseaux électriques de demain : pilotage, stockage, flexibilité.",
        "/carrieres/offres/ingenieur-reseaux-intelligents-lyon",
        ("Recrutement", "Innovation"),
        days=-35,
        campaign="talents",
        location="Lyon",
        alumni=True,
        messages=(
            ("", "fr", f"Les réseaux de demain se construisent à Lyon, et on recrute. {TAG}"),
            (
                "linkedin",
                "fr",
                f"Une super opportunité dans mon équipe à Lyon : ingénieur·e réseaux intelligents. {TAG}",
            ),
        ),
    ),
    DemoPost(
        "Alternance 2026 : 120 postes ouverts",
        K.JOB,
        "Du CAP au master, rejoignez-nous en alternance dans toute la France.",
        "/carrieres/alternance-2026",
        ("Recrutement",),
        days=-60,
        campaign="talents",
        alumni=True,
        messages=(
            ("", "fr", f"120 alternances ouvertes chez nous, du CAP au master ! {TAG}"),
            ("", "fr", f"J'ai commencé en alternance ici. À votre tour ? {TAG}"),
        ),
    ),
    DemoPost(
        "Chargé·e de clientèle (H/F) – Toulouse",
        K.JOB,
        "Accompagner nos clients professionnels dans leurs projets d'efficacité énergétique.",
        "/carrieres/offres/charge-clientele-toulouse",
        ("Recrutement", "Clients"),
        status=P.EXPIRED,
        days=-80,
        lasts=45,
        campaign="talents",
        location="Toulouse",
        messages=(("", "fr", f"On recrute à Toulouse pour accompagner nos clients pros. {TAG}"),),
    ),
    DemoPost(
        "Salon Énergies d'avenir : retrouvez-nous stand B12",
        K.EVENT,
        "Démonstrations de stockage par batterie et de pilotage de bâtiments.",
        "/evenements/salon-energies-avenir",
        ("Événements", "Innovation"),
        status=P.EXPIRED,
        days=-150,
        lasts=30,
        campaign="salon",
        event_in=None,
        location="Paris Expo",
        messages=(
            ("", "fr", f"Rendez-vous stand B12 au salon Énergies d'avenir ! {TAG}"),
            ("", "fr", f"Venez voir nos démonstrations de stockage au salon, stand B12. {TAG}"),
        ),
    ),
    DemoPost(
        "Vidéo : une journée avec nos équipes d'astreinte",
        K.MEDIA,
        "24 heures aux côtés de celles et ceux qui interviennent la nuit et le week-end.",
        "/videos/journee-astreinte",
        ("Vie de l'entreprise",),
        days=-14,
        alumni=True,
        messages=(
            ("", "fr", f"Ils veillent quand nous dormons : bravo à nos équipes d'astreinte. {TAG}"),
            ("", "fr", f"Une journée (et une nuit) avec mes collègues d'astreinte. {TAG}"),
        ),
    ),
    DemoPost(
        "Nos résultats RSE 2025 : –32 % d'émissions depuis 2019",
        K.LINK,
        "Le rapport complet détaille nos engagements climat, diversité et achats responsables.",
        "/rse/rapport-2025",
        ("RSE",),
        days=-45,
        messages=(
            ("", "fr", f"–32 % d'émissions depuis 2019 : des engagements tenus. {TAG}"),
            (
                "linkedin",
                "fr",
                f"Notre rapport RSE 2025 est en ligne. Climat, diversité, achats responsables : tout y est. {TAG}",
            ),
            ("", "en", f"Our 2025 CSR report: emissions down 32% since 2019. {TAG}"),
        ),
    ),
    DemoPost(
        "Our 2025 CSR report is out",
        K.LINK,
        "Climate, diversity and responsible purchasing: the full report in English.",
        "/en/csr/report-2025",
        ("RSE",),
        days=-44,
        languages=("en",),
        messages=(
            ("", "en", f"Emissions down 32% since 2019 — proud of our teams. {TAG}"),
            (
                "linkedin",
                "en",
                f"Our 2025 CSR report is out: climate, diversity, purchasing. {TAG}",
            ),
        ),
    ),
    DemoPost(
        "Lumière Énergies Belgique ouvre une agence à Liège",
        K.LINK,
        "Une nouvelle agence pour accompagner les collectivités wallonnes.",
        "/actualites/agence-liege",
        ("Vie de l'entreprise", "Clients"),
        days=-25,
        groups=("Belgique",),
        messages=(("", "fr", f"Bienvenue à notre nouvelle agence de Liège ! {TAG}"),),
    ),
    DemoPost(
        "Portes ouvertes du site de Lyon",
        K.EVENT,
        "Visites guidées du centre de pilotage, ateliers pour les enfants.",
        "/evenements/portes-ouvertes-lyon",
        ("Événements", "Vie de l'entreprise"),
        days=-7,
        lasts=20,
        groups=("Lyon",),
        event_in=9,
        location="Lyon, Gerland",
        messages=(
            ("", "fr", f"Venez visiter notre centre de pilotage à Lyon, en famille ! {TAG}"),
        ),
    ),
    DemoPost(
        "Innovation : un jumeau numérique pour nos réseaux de chaleur",
        K.LINK,
        "Nos équipes R&D simulent le réseau en temps réel pour anticiper les pics de demande.",
        "/innovation/jumeau-numerique-reseaux-chaleur",
        ("Innovation", "Énergie"),
        days=-30,
        messages=(
            (
                "",
                "fr",
                f"Un jumeau numérique pour anticiper les pics de chaleur : bravo la R&D ! {TAG}",
            ),
            ("x", "fr", f"Jumeau numérique + réseaux de chaleur = moins de gaspillage 🔥 {TAG}"),
        ),
    ),
    DemoPost(
        "Témoignage client : la ville de Rezé divise sa facture par deux",
        K.LINK,
        "Rénovation de 14 écoles et pilotage intelligent du chauffage.",
        "/clients/reze-renovation-ecoles",
        ("Clients", "Énergie"),
        days=-55,
        messages=(
            ("", "fr", f"14 écoles rénovées, une facture divisée par deux : merci Rezé ! {TAG}"),
            (
                "linkedin",
                "fr",
                f"Fier d'avoir accompagné la ville de Rezé dans la rénovation de ses écoles. {TAG}",
            ),
        ),
    ),
    DemoPost(
        "Photo : l'équipe de Toulouse a planté 500 arbres",
        K.MEDIA,
        "Une matinée solidaire avec l'association Arbres & Territoires.",
        "/actualites/toulouse-500-arbres",
        ("RSE", "Vie de l'entreprise"),
        days=-90,
        messages=(("", "fr", f"500 arbres plantés par mes collègues de Toulouse 🌳 {TAG}"),),
    ),
    DemoPost(
        "Podcast « Les voix de l'énergie » – épisode 4",
        K.MEDIA,
        "Notre directrice de l'innovation raconte la course au stockage.",
        "/podcast/episode-4",
        ("Innovation",),
        days=-110,
        messages=(("", "fr", f"Un épisode passionnant sur le stockage de l'énergie. {TAG}"),),
    ),
    DemoPost(
        "Nouvelle offre solaire pour les PME",
        K.LINK,
        "Autoconsommation clé en main, installation en six semaines.",
        "/offres/solaire-pme",
        ("Clients", "Énergie"),
        status=P.SCHEDULED,
        days=4,
        messages=(("", "fr", f"Le solaire clé en main pour les PME arrive ! {TAG}"),),
    ),
    DemoPost(
        "Semaine de l'énergie : le grand quiz",
        K.EVENT,
        "Testez vos connaissances, les meilleurs gagnent une visite du parc éolien.",
        "/evenements/grand-quiz-energie",
        ("Événements", "Énergie"),
        status=P.SCHEDULED,
        days=2,
        lasts=10,
        campaign="energie",
        event_in=5,
        location="En ligne",
        messages=(("", "fr", f"Qui connaît le mieux l'énergie ? Le grand quiz arrive. {TAG}"),),
    ),
    DemoPost(
        "Hydrogène vert : premier électrolyseur à Fos-sur-Mer",
        K.LINK,
        "Un projet pilote avec deux partenaires industriels.",
        "/actualites/hydrogene-fos",
        ("Innovation", "Énergie"),
        status=P.IN_REVIEW,
        days=None,
        messages=(("", "fr", f"L'hydrogène vert devient concret à Fos-sur-Mer. {TAG}"),),
    ),
    DemoPost(
        "Interview de notre PDG dans Les Échos",
        K.LINK,
        "Stratégie 2030 et transition énergétique.",
        "/presse/interview-pdg",
        ("Vie de l'entreprise",),
        status=P.IN_REVIEW,
        days=None,
        messages=(),
    ),
    DemoPost(
        "Forum de l'alternance – brouillon",
        K.EVENT,
        "À compléter : date et lieu à confirmer.",
        "/evenements/forum-alternance",
        ("Recrutement", "Événements"),
        status=P.DRAFT,
        days=None,
        campaign="talents",
    ),
    DemoPost(
        "Ancienne offre de stage – archivée",
        K.JOB,
        "Stage pourvu.",
        "/carrieres/offres/stage-communication",
        ("Recrutement",),
        status=P.ARCHIVED,
        days=None,
    ),
    DemoPost(
        "Nouveau restaurant d'entreprise au siège",
        K.ANNOUNCEMENT,
        "Ouverture lundi : produits locaux et de saison. Réservé aux salariés.",
        "",
        ("Vie de l'entreprise",),
        days=-4,
        groups=("Paris",),
    ),
    DemoPost(
        "Rappel : mise à jour de la charte des ambassadeurs",
        K.ANNOUNCEMENT,
        "Pensez à relire la charte : une nouvelle règle sur la mention #collaborateur.",
        "",
        ("Vie de l'entreprise",),
        days=-1,
        priority=Priority.HIGH,
    ),
]
