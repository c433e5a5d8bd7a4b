"""`manage.py analytics_synthetic`: the large synthetic organisation of the benchmark."""

from django.core.management.base import BaseCommand

from portevoix.analytics.bench.synthetic import synthetic_build


class Command(BaseCommand):
    help = "Build a large synthetic organisation (people, posts, shares, click counters)."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=10_000)
        parser.add_argument("--posts", type=int, default=5_000)
        parser.add_argument("--shares", type=int, default=100_000)
        parser.add_argument("--clicks", type=int, default=10_000_000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        figures = synthetic_build(
            people=options["people"],
            posts=options["posts"],
            shares=options["shares"],
            clicks=options["clicks"],
            seed=options["seed"],
            log=lambda text: self.stdout.write(text),
        )
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in figures.items()))
