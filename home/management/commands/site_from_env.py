"""Set the default Wagtail Site's hostname and port from SITE_URL. Run at every deploy, after
migrate; running it twice changes nothing the second time."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from home.services import site_set_address


class Command(BaseCommand):
    help = "Point the default Wagtail Site at SITE_URL (hostname, port and so scheme). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--url", default=None, help="Use this address instead of the SITE_URL setting.")

    def handle(self, *args, url=None, **options):
        try:
            site, changed = site_set_address(url=url or settings.SITE_URL)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        verb = "now points at" if changed else "already points at"
        self.stdout.write(f"The Wagtail site {verb} {site.root_url}/")
