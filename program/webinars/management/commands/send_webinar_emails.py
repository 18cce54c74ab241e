from django.core.management.base import BaseCommand

from program.webinars.dispatch import webinar_emails_dispatch


class Command(BaseCommand):
    help = (
        "Send due webinar emails (reminders 24 h and 1 h before, replays, time changes). "
        "Run every few minutes from cron; safe to run twice at once or after a crash."
    )

    def handle(self, *args, **options):
        sent = webinar_emails_dispatch()
        total = sum(sent.values())
        detail = ", ".join(f"{kind}: {n}" for kind, n in sorted(sent.items())) or "nothing due"
        self.stdout.write(f"Sent {total} webinar email(s) ({detail}).")
