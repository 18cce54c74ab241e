"""The demo program's sales page: "9 Steps to Leading a Rock Star Sales Team" at /program/."""

from decimal import Decimal

from home.models import HomePage

from .models import ProgramPage

SLUG = "program"

FIELDS = {
    "title": "9 Steps to Leading a Rock Star Sales Team",
    "promise": "A simple monthly system that turns a group of individual sellers into a team that holds "
    "itself to a standard, and gives you your evenings back.",
    "who_for": "<ul><li>Sales managers and directors at homebuilders and real-estate companies</li>"
    "<li>Top sellers recently promoted into leading the people they used to sell beside</li>"
    "<li>Leaders whose teams hit the number some months and miss it in others</li></ul>",
    "outcomes": "<ul><li>Every rep knows their target on the first of the month, in writing</li>"
    "<li>Results are published on time and discussed openly, without drama</li>"
    "<li>A monthly one-on-one with every direct report that actually happens</li>"
    "<li>A fair, prompt way to address performance below the standard</li>"
    "<li>Recognition that reaches the middle of the pack, not just the top three</li></ul>",
    "whats_included": "<ul><li>Nine short modules you can finish in an evening a week</li>"
    "<li>Printable worksheets for targets, one-on-ones and your ninety-day plan</li>"
    "<li>Knowledge checks and private reflection prompts</li>"
    "<li>The team tracker, so the five accountability steps become a habit</li>"
    "<li>A certificate when you complete the program</li></ul>",
    "instructor_bio": "<p>Dana Whitfield led new-home sales teams for twenty years, from a single model home "
    "to sixty sales consultants across three states. She now coaches sales leaders who want a team that "
    "performs every month, not only in the good ones.</p>",
    "price": Decimal("497.00"),
    "currency": "USD",
    "estimated_hours": Decimal("6.5"),
    "search_description": "An online program for sales managers: nine steps to a consistently high-performing team.",
}

FAQ = [
    ("How long does the program take?", "<p>Most leaders finish in six to eight weeks at about an hour a week.</p>"),
    (
        "Can I enrol my whole sales management team?",
        "<p>Yes. Companies can buy several seats and invite their managers; each manager gets their own "
        "progress and tracker.</p>",
    ),
    (
        "Is this only for homebuilders?",
        "<p>The examples come from new-home and real-estate sales, but the monthly rhythm works for any team "
        "that sells against a target.</p>",
    ),
]


def get_program() -> ProgramPage | None:
    return ProgramPage.objects.filter(slug=SLUG).first()


def seed(*, log) -> None:
    if get_program() is not None:
        return
    home = HomePage.objects.first()
    if home is None:
        log("program: no home page, skipped")
        return
    program = ProgramPage(slug=SLUG, **FIELDS)
    program.faq = [("faq", {"question": q, "answer": a}) for q, a in FAQ]
    home.add_child(instance=program)
    program.save_revision().publish()
    log(f"program page /{SLUG}/")
