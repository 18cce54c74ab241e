"""Free webinars (nested app, label `webinars`): the coach's webinar pages, sessions with seats
and a waitlist, registrations, their emails and calendar invitations, and the coach's admin views."""
