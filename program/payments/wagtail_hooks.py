"""Volume pricing for company seats, edited by the coach as snippets in the Wagtail admin."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SeatPriceTier


class SeatPriceTierViewSet(SnippetViewSet):
    model = SeatPriceTier
    icon = "tag"
    menu_label = "Seat prices"
    menu_order = 320
    add_to_admin_menu = True
    list_display = ["program", "min_seats", "price_per_seat"]
    list_filter = ["program"]

    def get_queryset(self, request):
        return SeatPriceTier.objects.select_related("program")


register_snippet(SeatPriceTierViewSet)
