from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import WebinarFollowUp


class WebinarFollowUpViewSet(SnippetViewSet):
    """The coach writes one follow-up email per segment (attended, left early, missed, enrolled)."""

    model = WebinarFollowUp
    icon = "mail"
    menu_label = "Webinar follow-ups"
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["segment", "subject", "offer_percent_off", "is_active"]


register_snippet(WebinarFollowUpViewSet)
