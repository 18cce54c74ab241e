from django.core.management.base import BaseCommand

from lessons.notices import module_open_notices_send


class Command(BaseCommand):
    help = (
        "Email leaders whose next module opened (its date passed, or the coach unlocked it), once per "
        "leader and module. Run every few minutes from the scheduler; safe to run twice at once."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Sent {module_open_notices_send()} 'your next step is open' email(s).")
