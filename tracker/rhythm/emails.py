"""The rhythm emails: a short text and HTML message per reminder, each with the one-click link to do
the step and one-click unsubscribe for that kind (RFC 8058 headers and a link in the footer)."""

import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from home.core.mail import one_click_unsubscribe_headers

from ..models import ReminderKind, Team
from .calendar import first_working_day
from .due import Due
from .links import absolute, step_url, unsubscribe_url

K = ReminderKind


def _names(names: list[str], limit: int = 6) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _day(day: datetime.date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def reminder_content(*, team: Team, due: Due, country: str) -> dict:
    """Subject, lines and button of one reminder, in the coach's words."""
    month, data = due.month, due.data
    if due.kind == K.TARGETS_NEXT:
        return {
            "subject": f"Set and send {month:%B}'s targets for {team.name}",
            "lines": [
                f"{month:%B} starts soon. Every rep should have their targets on the first working day, "
                f"{_day(first_working_day(month, country))}.",
                "Set them now and send them in one go: each person gets their own sheet.",
            ],
            "button": f"Set {month:%B}'s targets",
        }
    if due.kind == K.TARGETS_DUE:
        return {
            "subject": f"{team.name}: {month:%B}'s targets are due today",
            "lines": ["Today is the first working day of the month, and the team has not had its targets yet."],
            "button": "Send the targets",
        }
    if due.kind == K.ACKNOWLEDGEMENTS:
        return {
            "subject": f"{data['waiting']} of {data['total']} haven't acknowledged {month:%B}'s targets",
            "lines": [
                f"{data['waiting']} of {data['total']} people on {team.name} have not confirmed they have "
                f"their {month:%B} targets.",
                "One button reminds only those still waiting.",
            ],
            "button": "Remind only those",
        }
    if due.kind == K.RESULTS_ENTRY:
        return {
            "subject": f"Enter {month:%B}'s results for {team.name}",
            "lines": [f"{month:%B} is over. Results still missing for: {_names(data['names'])}."],
            "button": "Enter the results",
        }
    if due.kind == K.PRESENT_RESULTS:
        return {
            "subject": f"Present {month:%B}'s results by {_day(data['by'])}",
            "lines": [
                f"Share {month:%B}'s results and rankings with {team.name} in your meeting by {_day(data['by'])}.",
                "Where your focus goes, the team's attention follows.",
            ],
            "button": "Open the meeting view",
        }
    if due.kind == K.ONE_ON_ONES:
        return {
            "subject": f"1:1s left this month: {_names(data['names'], 4)}",
            "lines": [
                f"You have not held the {month:%B} 1:1 with {_names(data['names'])} yet. "
                f"Hold them by {_day(data['by'])}.",
            ],
            "button": "Schedule the 1:1s",
        }
    if due.kind == K.SUBPAR:
        flags = data["flags"]
        first = flags[0]
        if len(flags) == 1:
            subject = f"{first.member.name} has been below standard: open a 1:1 or a plan"
        else:
            subject = f"{len(flags)} people below standard are waiting for you: open a 1:1 or a plan"
        return {
            "subject": subject,
            "lines": [f"{f.member.name}: {f.percent}% overall, {f.reason}." for f in flags]
            + [f"Your deadline to act was {_day(data['by'])}. Find out why, then coach them up."],
            "button": "Open a 1:1 or a plan",
        }
    if due.kind == K.COMMITMENTS:
        return {
            "subject": f"Your commitments due this week ({team.name})",
            "lines": [f"{item.text} (for {item.member.name}, due {_day(item.due_on)})" for item in data["items"]]
            + ["Accountability goes both ways: your people are counting on these."],
            "button": "Open the team",
        }
    raise ValueError(due.kind)


def reminder_message(*, team: Team, due: Due, country: str, html_template: str = "", extra: dict | None = None):
    """The EmailMultiAlternatives of one reminder to the team's leader."""
    leader = team.leader
    off_url = unsubscribe_url(team_id=team.pk, kind=due.kind)
    context = {
        "team": team,
        "leader": leader,
        "due": due,
        "kind_label": K(due.kind).label,
        "action_url": step_url(team_id=team.pk, kind=due.kind, month=due.month),
        "unsubscribe_url": off_url,
        "site_url": settings.SITE_URL,
        "settings_url": absolute(reverse("tracker:rhythm_settings", args=[team.pk])),
        **(extra or {}),
    }
    if not extra:
        context.update(reminder_content(team=team, due=due, country=country))
    name = html_template or "tracker/email/rhythm_reminder"
    message = EmailMultiAlternatives(
        subject=context["subject"],
        body=render_to_string(f"{name}.txt", context),
        to=[leader.email],
        headers=one_click_unsubscribe_headers(
            off_url, list_id=f"{K(due.kind).name.lower()} <{due.kind}.rhythm.huddle>"
        ),
    )
    message.attach_alternative(render_to_string(f"{name}.html", context), "text/html")
    return message
