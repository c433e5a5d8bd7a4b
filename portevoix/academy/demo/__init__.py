"""A short course in French and English: sharing well, personalising a message, the charter."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from portevoix.academy.models import Choice, Lesson, LessonAttempt, Question
from portevoix.core.demo import DemoWorld

COURSE = [
    (
        "fr",
        "Bien partager en 3 minutes",
        "Quand, où et comment partager pour être lu.",
        """## Choisir le bon réseau
LinkedIn pour l'actualité de l'entreprise et les offres d'emploi, X ou Bluesky pour l'actualité
à chaud, WhatsApp pour vos proches.

## Choisir le bon moment
En semaine, le matin ou à l'heure du déjeuner : c'est là que vos contacts lisent.

## Ajouter votre regard
Une phrase à vous — pourquoi ce contenu vous parle — vaut mieux que le message proposé tel quel.""",
        [
            (
                "Quel réseau convient le mieux à une offre d'emploi ?",
                ["*LinkedIn", "WhatsApp", "Aucun"],
            ),
            (
                "Qu'est-ce qui rend un partage plus lu ?",
                ["*Une phrase personnelle", "Dix hashtags", "Le message proposé sans changement"],
            ),
        ],
    ),
    (
        "fr",
        "Personnaliser son message",
        "Pourquoi les messages identiques lassent, et comment écrire le vôtre.",
        """Quand cinquante collègues publient **le même texte**, vos contacts le remarquent : cela
ressemble à de la publicité. Portevoix vous prévient quand votre texte est identique à celui de
nombreux collègues.

- Dites ce que *vous* en pensez.
- Mentionnez un détail concret : un projet, une personne, un chiffre.
- Gardez la mention #collaborateur : la transparence est dans la charte.""",
        [
            (
                "Que faire si Portevoix signale un texte identique à celui de collègues ?",
                [
                    "*Le réécrire avec mes mots",
                    "Le publier quand même deux fois",
                    "Supprimer le lien",
                ],
            ),
            ("Faut-il garder la mention #collaborateur ?", ["*Oui, toujours", "Non, jamais"]),
        ],
    ),
    (
        "fr",
        "Ce que demande la charte",
        "Volontariat, transparence, confidentialité, respect.",
        """La charte tient en cinq points : le partage est **volontaire**, vos messages restent
**authentiques**, vous signalez votre lien avec l'entreprise, vous ne partagez **aucune
information interne**, et vous ne répondez pas à chaud aux commentaires négatifs : vous les
signalez à l'équipe communication.""",
        [
            (
                "Un commentaire négatif apparaît sous votre partage. Que faire ?",
                [
                    "*Le signaler à l'équipe communication",
                    "Répondre tout de suite",
                    "Supprimer votre compte",
                ],
            ),
        ],
    ),
    (
        "en",
        "Sharing well in 3 minutes",
        "When, where and how to share so people read it.",
        """## Pick the right network
LinkedIn for company news and job offers, X or Bluesky for breaking news, WhatsApp for friends.

## Add your own view
One sentence of your own — why this matters to you — beats the suggested message as it is.""",
        [
            ("Which network suits a job offer best?", ["*LinkedIn", "WhatsApp", "None"]),
            ("What makes a share read more?", ["*A personal sentence", "Ten hashtags"]),
        ],
    ),
    (
        "en",
        "Personalising your message",
        "Identical posts tire people: write your own.",
        """When fifty colleagues post **the same text**, your contacts notice. Say what *you* think,
add a concrete detail, and keep the #employee disclosure.""",
        [
            (
                "What should you do when Portevoix says your text is identical to colleagues'?",
                ["*Rewrite it in my own words", "Post it twice"],
            )
        ],
    ),
]


def build(world: DemoWorld) -> None:
    now = timezone.now()
    lessons = []
    for position, (language, title, summary, body, questions) in enumerate(COURSE):
        lesson = Lesson.objects.create(
            title=title,
            language=language,
            summary=summary,
            body=body,
            position=position,
            published=True,
        )
        for index, (text, answers) in enumerate(questions):
            question = Question.objects.create(lesson=lesson, text=text, position=index)
            for answer in answers:
                Choice.objects.create(
                    question=question, text=answer.lstrip("*"), is_correct=answer.startswith("*")
                )
        lessons.append(lesson)
    # About half the ambassadors took the first lesson; a few failed once before passing.
    for person in world.people:
        if person.opted_in_at and world.rng.random() < 0.5:
            when = person.opted_in_at + timedelta(days=world.rng.randint(1, 30))
            if when > now:
                continue
            if world.rng.random() < 0.2:
                LessonAttempt.objects.create(
                    person=person, lesson=lessons[0], score=50, passed=False, at=when
                )
            LessonAttempt.objects.create(
                person=person,
                lesson=lessons[0],
                score=100,
                passed=True,
                at=when + timedelta(minutes=5),
            )
