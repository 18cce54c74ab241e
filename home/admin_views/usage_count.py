"""The page status side panel's usage count ("Referenced N times") read as a subquery of a page's own
query instead of Wagtail's COUNT query of its own (issue 16); used by the explorer (the parent page)
and the editor (the edited page, when its data was read from the database in this request: the
count is never kept in a cache, as the reference index is written in bulk, with no signals)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils.translation import ngettext
from wagtail.admin.ui.side_panels import PageStatusSidePanel
from wagtail.models import Page, ReferenceIndex

USAGE_COUNT = "_huddle_usage_count"


class UsageCountedPageStatusSidePanel(PageStatusSidePanel):
    """Wagtail's status side panel, with the parent page's usage count read with the page itself
    (`USAGE_COUNT`) instead of its own COUNT query; Wagtail's when the page was read elsewhere."""

    def get_usage_context(self):
        count = getattr(self.live_object, USAGE_COUNT, None)
        if count is None or self.live_object.pk != self.object.pk:
            return super().get_usage_context()
        text = ngettext("Referenced %(count)s time", "Referenced %(count)s times", count) % {"count": count}
        return {"usage_count": count, "usage_url": self.usage_url, "usage_url_text": text}


def usage_count():
    """`ReferenceIndex.get_grouped_references_to(page).count()` (the distinct referring objects) as
    a subquery of the page's own query."""
    page_type = ContentType.objects.get_for_model(Page)
    referrer = Concat(Cast("base_content_type_id", CharField()), Value("/"), "object_id")
    counted = (
        ReferenceIndex.objects.filter(to_content_type_id=page_type.pk, to_object_id=Cast(OuterRef("pk"), CharField()))
        .order_by()
        .values("to_object_id")
        .annotate(n=Count(referrer, distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)
