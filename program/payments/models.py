"""Payments and company seats: what Stripe told us and who holds which seat."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel


class StripeCustomer(models.Model):
    """The Stripe customer remembered for a user, so the next checkout and the portal reuse it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stripe_customer")
    customer_id = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user} ({self.customer_id})"


class Payment(models.Model):
    """One Checkout Session. The session id is unique, so fulfilment can never run twice."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for payment"
        PAID = "paid", "Paid"
        FAILED = "failed", "Payment failed"
        REFUNDED = "refunded", "Refunded"
        FLAGGED = "flagged", "Flagged for the coach"

    checkout_session_id = models.CharField(max_length=255, unique=True)
    payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    # Null only for a flagged session we never started (no idea whose it is).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="payments"
    )
    program = models.ForeignKey(
        "program.ProgramPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="payments"
    )
    quantity = models.PositiveIntegerField(default=1)
    amount = models.PositiveIntegerField(default=0, help_text="Total in the currency's minor unit (cents).")
    amount_refunded = models.PositiveIntegerField(default=0)
    currency = models.CharField(max_length=3, default="usd")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    disputed = models.BooleanField(default=False, help_text="The buyer opened a dispute with their bank.")
    # A volume tier's price per seat (minor units) when the checkout used one; fulfilment checks
    # Stripe charged exactly that. 0: the program's own Stripe price.
    unit_amount = models.PositiveIntegerField(default=0)
    # "Buy more seats": the company purchase these seats are added to.
    adds_to = models.ForeignKey(
        "SeatPurchase", null=True, blank=True, on_delete=models.SET_NULL, related_name="top_up_payments"
    )
    invoice_requested = models.BooleanField(default=False)
    invoice_id = models.CharField(max_length=255, blank=True, db_index=True)
    invoice_url = models.URLField(max_length=500, blank=True, help_text="Stripe's hosted invoice page.")
    invoice_pdf = models.URLField(max_length=500, blank=True)
    flag_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    fulfilled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.checkout_session_id} ({self.get_status_display()})"

    @property
    def amount_display(self) -> str:
        return f"{self.amount / 100:,.2f} {self.currency.upper()}"


class StripeEvent(models.Model):
    """Every webhook event we acknowledged, stored before acting (so a repeat is ignored) with the
    few ids and numbers its action needs; the task queue acts on it, retrying while Stripe's API is
    unreachable (program.payments.stripe_events)."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)
    # What the action needs, read from the signed event (ids, amounts, invoice links; no personal data).
    details = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True, help_text="Every retry failed: the coach retries it.")

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class SeatPurchase(models.Model):
    """A company buyer's block of seats in one program, bought in one checkout."""

    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seat_purchases")
    program = models.ForeignKey("program.ProgramPage", on_delete=models.CASCADE, related_name="seat_purchases")
    quantity = models.PositiveIntegerField()
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="seat_purchase"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True, help_text="Set when the purchase was refunded.")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.quantity} seats in {self.program} for {self.buyer}"


class SeatInvitation(models.Model):
    """One seat offered to one email address. The link carries a token; we keep only its hash."""

    purchase = models.ForeignKey(SeatPurchase, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="seat_invitations"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.email} ({self.state})"

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class SeatTopUp(models.Model):
    """Seats added to a company purchase by a later payment ("buy more seats"). One per payment:
    the unique payment makes a second delivery of the same Stripe event harmless."""

    purchase = models.ForeignKey(SeatPurchase, on_delete=models.CASCADE, related_name="top_ups")
    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="top_up")
    quantity = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True, help_text="Set when the payment was refunded.")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"+{self.quantity} seats for {self.purchase}"


class SeatPriceTier(models.Model):
    """Volume pricing: from `min_seats` seats in one company pool, each seat costs
    `price_per_seat`. Below the lowest tier the program's own price applies."""

    program = models.ForeignKey("program.ProgramPage", on_delete=models.CASCADE, related_name="seat_price_tiers")
    min_seats = models.PositiveIntegerField(
        "from seats", validators=[MinValueValidator(2)], help_text="e.g. 5 for the 5–19 tier."
    )
    price_per_seat = models.DecimalField(
        max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal("0.50"))]
    )

    panels = [FieldPanel("program"), FieldPanel("min_seats"), FieldPanel("price_per_seat")]

    class Meta:
        ordering = ["program", "min_seats"]
        constraints = [models.UniqueConstraint(fields=["program", "min_seats"], name="one_tier_per_seat_count")]
        verbose_name = "seat price tier"

    def __str__(self) -> str:
        return f"{self.program}: from {self.min_seats} seats, {self.price_per_seat} each"

    @property
    def unit_amount(self) -> int:
        return int(self.price_per_seat * 100)
