"""The Wagtail dashboard within the query budget (at most 12 per page, fixed as data grows).

Wagtail's own panels ask the database each on their own: the site summary (three queries for one
number), the moderation panels (four, even with nothing in moderation), the recent edits (one per
page type) and the locked pages. Here one query gathers what they need alongside the coach's "What
changed" counts: how many pages the site has, and whether anything is in moderation, recently
edited by this user or locked by them. Panels with nothing to show are left out (Wagtail's own
templates show nothing for them either); the recent edits and locked pages are listed from one
query each, only when there are some. Pages in moderation keep Wagtail's own panels."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, IntegerField, Max, OuterRef, Q, Subquery
from django.template.loader import get_template
from wagtail.admin.navigation import get_site_for_user
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.home import (
    LockedPagesPanel,
    RecentEditsPanel,
    UserObjectsInWorkflowModerationPanel,
    WorkflowObjectsToModeratePanel,
)
from wagtail.models import Page, PageLogEntry, Site, WorkflowState

from accounts.roles import is_coach

from .changes import Changes, changes_since_last_look

_FACTS = "_huddle_dashboard"
_COUNT = "(SELECT COUNT(*) FROM (%(subquery)s) _rows)"
MODERATION_PANELS = (WorkflowObjectsToModeratePanel, UserObjectsInWorkflowModerationPanel)


@dataclass(frozen=True)
class Dashboard:
    changes: Changes | None  # the coach's "What changed" (None for other admin users)
    root_page: Page | None  # the user's explorable root (Wagtail's site summary links there)
    site_name: str
    page_count: int
    in_moderation: bool
    has_edits: bool
    has_locked: bool


def _page_facts(*, user, root: Page | None) -> dict:
    last_edit = PageLogEntry.objects.filter(user=user, action="wagtail.edit")
    pages = (
        Subquery(
            Page.objects.filter(path__startswith=root.path, depth__gte=root.depth).values("pk"),
            template=_COUNT,
            output_field=IntegerField(),
        )
        if root is not None
        else None
    )
    facts = {
        "has_edits": Exists(last_edit),
        "has_locked": Exists(Page.objects.filter(locked=True, locked_by=user)),
        "in_moderation": Exists(WorkflowState.objects.active())
        if getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True)
        else None,
        "page_count": pages,
        "sites": Subquery(Site.objects.values("pk"), template=_COUNT, output_field=IntegerField()),
        "site_home": Subquery(Site.objects.order_by("pk").values("root_page_id")[:1]),
    }
    return {name: value for name, value in facts.items() if value is not None}


def dashboard_for(request) -> Dashboard:
    """Everything the dashboard's panels need, in one query (kept on the request: the panel hook and
    the summary hook both ask)."""
    if (found := getattr(request, _FACTS, None)) is not None:
        return found
    user = request.user
    site = get_site_for_user(user)  # Wagtail's view asks the same (the answer is kept on the user)
    root = site["root_page"]
    extra = _page_facts(user=user, root=root)
    if is_coach(user):
        changes = changes_since_last_look(user=user, extra=extra)
        facts = changes.extra
    else:
        changes = None
        facts = get_user_model()._default_manager.filter(pk=user.pk).annotate(**extra).values(*extra).get()
    count = facts.get("page_count") or 0
    if root is not None and root.is_root():
        count -= 1  # the tree's root is not a real page
        if facts["sites"] == 1:  # one site: link to its home page rather than the tree's root, as Wagtail
            root = Page(pk=facts["site_home"], path=root.path, depth=root.depth)
    found = Dashboard(
        changes=changes,
        root_page=root,
        site_name=site["site_name"],
        page_count=count,
        in_moderation=bool(facts.get("in_moderation")),
        has_edits=bool(facts["has_edits"]),
        has_locked=bool(facts["has_locked"]),
    )
    setattr(request, _FACTS, found)
    return found


class PageListPanel(Component):
    """Wagtail's "Your most recent edits" or "Your locked pages", from one query of plain pages."""

    template_name = "lessons/admin/dashboard_pages.html"

    def __init__(self, *, name: str, order: int, heading: str, rows: list[tuple], when_label: str):
        self.name, self.order, self.heading, self.rows, self.when_label = name, order, heading, rows, when_label

    def render_html(self, parent_context=None):
        context = {"heading": self.heading, "rows": self.rows, "when_label": self.when_label, "panel_id": self.name}
        return get_template(self.template_name).render(context)


def recent_edits(*, user, limit: int | None = None) -> list[tuple]:
    """(last edit, page) for the pages `user` edited most recently, newest first: one query."""
    limit = limit or getattr(settings, "WAGTAILADMIN_RECENT_EDITS_LIMIT", 5)
    last = (
        PageLogEntry.objects.filter(page_id=OuterRef("pk"), user=user, action="wagtail.edit")
        .values("page_id")
        .annotate(at=Max("timestamp"))
        .values("at")
    )
    pages = Page.objects.annotate(last_edit=Subquery(last)).filter(last_edit__isnull=False)
    return [(page.last_edit, page) for page in pages.order_by("-last_edit", "-pk")[:limit]]


def locked_pages(*, user) -> list[tuple]:
    """(locked at, page) for the pages `user` locked: one query."""
    pages = Page.objects.filter(Q(locked=True) & Q(locked_by=user)).order_by("-locked_at", "-pk")
    return [(page.locked_at, page) for page in pages]


def slim_panels(request, panels: list) -> None:
    """Replace Wagtail's dashboard panels with the gated ones above (in place)."""
    dashboard = dashboard_for(request)
    kept = []
    for panel in panels:
        if isinstance(panel, MODERATION_PANELS):
            if dashboard.in_moderation:
                kept.append(panel)  # Wagtail's own, when there is something to moderate
        elif isinstance(panel, RecentEditsPanel):
            if dashboard.has_edits:
                rows = recent_edits(user=request.user)
                kept.append(
                    PageListPanel(
                        name=panel.name,
                        order=panel.order,
                        heading="Your most recent edits",
                        rows=rows,
                        when_label="Edited",
                    )
                )
        elif isinstance(panel, LockedPagesPanel):
            if dashboard.has_locked:
                rows = locked_pages(user=request.user)
                kept.append(
                    PageListPanel(
                        name=panel.name, order=panel.order, heading="Your locked pages", rows=rows, when_label="Locked"
                    )
                )
        else:
            kept.append(panel)
    panels[:] = kept


class CountedPagesSummaryItem(PagesSummaryItem):
    """Wagtail's "N Pages" summary item, its count and link from the dashboard's one query."""

    def get_context_data(self, parent_context):
        dashboard = dashboard_for(self.request)
        return {"root_page": dashboard.root_page, "total_pages": dashboard.page_count, "site_name": dashboard.site_name}


def count_pages_once(request, items: list) -> None:
    items[:] = [CountedPagesSummaryItem(request) if type(item) is PagesSummaryItem else item for item in items]
