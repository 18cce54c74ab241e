import contextlib
import signal

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from home.runtime.heartbeat import heartbeat_forget, lease_release
from home.runtime.scheduler import LEASE_NAME, Scheduler


class Command(BaseCommand):
    help = (
        "Run the scheduler: enqueues settings.SCHEDULED_TASKS on their cron schedules. Run one per "
        "machine if you like; a database lease keeps exactly one of them active."
    )

    def handle(self, *args, **options):
        process_id = f"scheduler-{get_random_string(16)}"
        scheduler = Scheduler(process_id=process_id)

        def stop(signum, frame):
            scheduler.stop()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            scheduler.run()
        finally:
            with contextlib.suppress(Exception):  # the database may be what stopped us
                lease_release(name=LEASE_NAME, holder=process_id)  # a standby takes over at once
                heartbeat_forget(process_id=process_id)
