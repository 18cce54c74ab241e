"""Links from lessons to the team tracker. The tracker app names its step page `tracker:step`;
until it exists every link goes to the tracker's home."""

from django.urls import NoReverseMatch, reverse

TRACKER_STEPS = [
    ("1", "1. Establish and communicate"),
    ("2", "2. Publish"),
    ("3", "3. Track and review"),
    ("4", "4. Address"),
    ("5", "5. Celebrate"),
]


def step_url(step: int) -> str:
    """The tracker page for accountability step `step` (1..5), or /tracker/ as a fallback."""
    try:
        return reverse("tracker:step", args=[step])
    except NoReverseMatch:
        return "/tracker/"


def step_label(step: int | str) -> str:
    return dict(TRACKER_STEPS).get(str(step), "")
