"""Load the demo content. Idempotent: a second run changes nothing and duplicates nothing.

Each app that has demo content exposes `<app>.demo.seed(*, log)`; they run in the order below,
so later apps can rely on earlier ones (the program exists before lessons, users before teams).
"""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_LOGINS

SEEDERS = [
    "accounts.demo",
    "home.demo",
    "program.demo",
    "lessons.demo",
    "program.payments.demo",
    "program.webinars.demo",
    "home.newsletter.demo",
    "lessons.reports.funnel.demo",
    "tracker.demo",
    "program.certificates.demo",
]


class Command(BaseCommand):
    help = "Create or update the demo site, program, users and sample data."

    def handle(self, *args, **options):
        for name in SEEDERS:
            module = importlib.import_module(name)
            with transaction.atomic():
                module.seed(log=lambda msg: self.stdout.write(f"  {msg}"))
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_LOGINS['password']}):")
        for role, email in DEMO_LOGINS["users"]:
            self.stdout.write(f"  {role:<16} {email}")
