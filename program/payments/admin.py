"""The coach's payment screens in the Django admin.

Payments and webhook events are read-only records of what Stripe told us; flagged and disputed
payments are filterable. Company seat purchases show their invitations inline.
"""

from django.contrib import admin

from .models import Payment, SeatInvitation, SeatPurchase, SeatTopUp, StripeEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("checkout_session_id", "user", "program", "quantity", "amount_display", "status", "disputed")
    list_filter = ("status", "disputed")
    search_fields = ("checkout_session_id", "payment_intent_id", "user__email")
    list_select_related = ("user", "program")


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdmin):
    """Events Stripe sent: processed, waiting for a retry (Stripe's API was away) or failed for good
    (also listed, with a retry button, on the Wagtail dashboard's failed-work page)."""

    list_display = ("event_id", "type", "received_at", "processed_at", "attempts", "last_error", "failed_at")
    list_filter = ("type", ("processed_at", admin.EmptyFieldListFilter), ("failed_at", admin.EmptyFieldListFilter))
    search_fields = ("event_id",)


class SeatInvitationInline(admin.TabularInline):
    model = SeatInvitation
    extra = 0
    can_delete = False
    fields = readonly_fields = ("email", "created_at", "expires_at", "accepted_by", "accepted_at", "revoked_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SeatPurchase)
class SeatPurchaseAdmin(ReadOnlyAdmin):
    list_display = ("buyer", "program", "quantity", "created_at", "revoked_at")
    list_select_related = ("buyer", "program")
    search_fields = ("buyer__email",)
    inlines = [SeatInvitationInline]


@admin.register(SeatTopUp)
class SeatTopUpAdmin(ReadOnlyAdmin):
    """Seats a company added to its pool later ("buy more seats"), one per payment."""

    list_display = ("purchase", "quantity", "payment", "created_at", "revoked_at")
    list_select_related = ("purchase__program", "purchase__buyer", "payment")
