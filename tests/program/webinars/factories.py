"""Builders for webinar tests (pages need the tree, so these are functions, not factory_boy)."""

from datetime import timedelta

from django.utils import timezone

from program.webinars.models import WebinarIndexPage, WebinarPage, WebinarSession


def tx_home_page():
    """The home page for transactional tests, whose database flush also removes Wagtail's root and locale."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale, Page, Site

    from home.models import HomePage

    ContentType.objects.clear_cache()  # a flush on PostgreSQL re-creates them with new ids
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    for child in root.get_children():
        child.delete()
    home = HomePage(title="Huddle", slug="home")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", port=80, root_page=home, is_default_site=True, site_name="Huddle")
    return home


def webinar_index(home_page) -> WebinarIndexPage:
    existing = WebinarIndexPage.objects.first()
    if existing:
        return existing
    index = WebinarIndexPage(title="Webinars", slug="webinars", intro="Free sessions for sales leaders.")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


def webinar(home_page, *, title="Five strategies", sessions=None, slug=None) -> WebinarPage:
    """A live webinar page; `sessions` is a list of dicts of WebinarSession fields."""
    index = webinar_index(home_page)
    now = timezone.now()
    sessions = sessions if sessions is not None else [{"starts_at": now + timedelta(days=3)}]
    page = WebinarPage(
        title=title,
        slug=slug or title.lower().replace(" ", "-"),
        summary="A short, practical hour for sales managers.",
        presenter="Dana Whitfield",
    )
    page.sessions = [
        WebinarSession(
            **{"duration_minutes": 60, "capacity": 50, "join_url": "https://meet.example.com/secret-room-42", **s}
        )
        for s in sessions
    ]
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def ics_attachment(message) -> tuple[bytes, str]:
    """(the .ics bytes, its Content-Type header) of a sent message, read from the MIME message."""
    for part in message.message().walk():
        if part.get_content_type() == "text/calendar":
            return part.get_payload(decode=True), part["Content-Type"]
    raise AssertionError("no .ics attached")
