"""Demo newsletter: the archive page, three sent issues and a few subscribers with their consent
records. Idempotent: nothing is added twice."""

from datetime import timedelta

from django.utils import timezone
from wagtail.models import Site

from home.models import HomePage

from .models import (
    NewsletterConsent,
    NewsletterIndexPage,
    NewsletterIssuePage,
    NewsletterSettings,
    NewsletterSubscriber,
)
from .wording import CONFIRM_WORDING, signup_wording

ISSUES = [
    (
        "consistency-beats-intensity",
        "Consistency beats intensity",
        "Why the dull monthly routine wins",
        "<p>Big kick-off meetings feel productive. What moves the numbers is the routine nobody notices: targets out on the first, results posted every week, a review with every rep every month.</p>"
        "<p>This week, put next month's target emails in your calendar now, so they go out on time even when the month gets busy.</p>",
    ),
    (
        "the-rep-you-avoid",
        "The rep you keep avoiding",
        "Silence is not kindness",
        "<p>Every team has one: the person whose numbers slipped three months ago and who now gets fewer of your minutes, not more.</p>"
        "<p>Book twenty minutes with them this week. Ask what is getting in the way before you talk about the number.</p>",
    ),
    (
        "celebrate-personal-bests",
        "Celebrate the personal best",
        "Recognition beyond the top of the leaderboard",
        "<p>The same two names win every month. Add a second list: who beat their own best, who closed their first sale in a new community, who kept paperwork clean all month.</p>",
    ),
]
SUBSCRIBERS = [
    ("olivia.demo@example.com", "Olivia", "confirmed", "footer"),
    (
        "jamal.demo@example.com",
        "Jamal",
        "confirmed",
        "webinar form: 5 Strategies to Create a Culture of High Performance",
    ),
    ("mei.demo@example.com", "Mei", "confirmed", "newsletter archive"),
    ("sam.demo@example.com", "", "pending", "footer"),
]


def seed(*, log) -> None:
    home = HomePage.objects.first()
    if home is None:
        log("newsletter: no home page, skipped")
        return
    index = NewsletterIndexPage.objects.first()
    if index is None:
        index = NewsletterIndexPage(
            title="The weekly newsletter",
            slug="newsletter",
            intro="One short email a week with an idea you can use in your next sales meeting.",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
        log("newsletter: archive page /newsletter/")
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        settings_row = NewsletterSettings.for_site(site)
        if not settings_row.postal_address:  # a made-up demo address; the coach puts the real one here
            settings_row.postal_address = "Huddle Coaching (demo)\n400 Example Avenue, Suite 12\nSpringfield, ST 00000"
            settings_row.save()
            log("newsletter: demo postal address in Settings")
    now = timezone.now()
    for weeks_ago, (slug, subject, preheader, text) in zip((3, 2, 1), ISSUES, strict=True):
        if NewsletterIssuePage.objects.filter(slug=slug).exists():
            continue
        issue = NewsletterIssuePage(
            title=subject, slug=slug, subject=subject, preheader=preheader, body=[("text", text)]
        )
        index.add_child(instance=issue)
        issue.save_revision().publish()
        sent = now - timedelta(weeks=weeks_ago)
        NewsletterIssuePage.objects.filter(pk=issue.pk).update(sent_at=sent, send_requested_at=sent)
        log(f"newsletter: issue '{subject}'")
    for email, first_name, status, source in SUBSCRIBERS:
        subscriber, created = NewsletterSubscriber.objects.get_or_create(
            email=email, defaults={"first_name": first_name, "status": status, "source": source}
        )
        if not created:
            continue
        NewsletterConsent.objects.create(
            subscriber=subscriber,
            action="subscribe",
            ip="198.51.100.7",
            source=source,
            wording=signup_wording("", source=source),
        )
        if status == "confirmed":
            NewsletterSubscriber.objects.filter(pk=subscriber.pk).update(confirmed_at=now)
            NewsletterConsent.objects.create(
                subscriber=subscriber,
                action="confirm",
                ip="198.51.100.7",
                source="confirmation link",
                wording=CONFIRM_WORDING,
            )
        log(f"newsletter: subscriber {email} ({status})")
