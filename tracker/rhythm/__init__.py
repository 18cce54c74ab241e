"""The leader's month on a schedule (issue 17): which reminder is due for which team (`due`), the
team's working days (`calendar`), the emails (`emails`), the signed links in them (`links`) and the
exactly-once sending (`dispatch`, run hourly by the scheduler through tracker.tasks)."""
