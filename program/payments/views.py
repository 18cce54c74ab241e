"""Checkout, success/cancel, billing portal and the company seats pages. Thin: parse, call, render."""

import logging
import re

import stripe
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from wagtail.models import Page

from .models import Payment, SeatInvitation
from .pricing import seat_tiers, tier_table
from .seats import SeatError, invitation_for_token, seat_accept, seat_invitation_revoke, seat_invite, seat_reassign
from .selectors import program_for_checkout, purchase_for_buyer, purchases_for_buyer
from .services import (
    MAX_SEATS,
    PaymentsNotConfigured,
    billing_portal_url,
    checkout_fulfil,
    checkout_session_create,
    program_purchasable,
)

logger = logging.getLogger(__name__)


class CheckoutForm(forms.Form):
    quantity = forms.IntegerField(
        label="Seats",
        min_value=1,
        max_value=MAX_SEATS,
        initial=1,
        help_text="One seat enrols you. Buying for your team? Choose more and invite them afterwards.",
    )
    invoice = forms.BooleanField(
        label="My company needs an invoice",
        required=False,
        help_text="Stripe emails an invoice with your billing address and, if you add it, your company's tax ID.",
    )


class MoreSeatsForm(CheckoutForm):
    quantity = forms.IntegerField(label="Seats to add", min_value=1, max_value=MAX_SEATS, initial=5)


class InviteForm(forms.Form):
    email = forms.EmailField(label="Leader's email")


def _first_lesson_url(program) -> str:
    """The first live lesson under the program (program > module > lesson), else the program."""
    lesson = Page.objects.live().descendant_of(program).filter(depth=program.depth + 2).order_by("path").first()
    return lesson.url if lesson else program.url


@login_required
def checkout_start(request: HttpRequest, program_id: int) -> HttpResponse:
    """GET: confirm the purchase (and choose seats). POST: create the Stripe session and go there."""
    program = program_for_checkout(program_id=program_id)
    form = CheckoutForm(request.POST or None)
    context = {
        "program": program,
        "form": form,
        "purchasable": program_purchasable(program),
        "tiers": tier_table(program=program, tiers=seat_tiers(program=program)),
    }
    if request.method == "POST" and form.is_valid():
        redirect_to = _start_checkout(request, program, form, context)
        if redirect_to:
            return redirect_to
    return render(request, "payments/checkout.html", context)


def _start_checkout(request, program, form, context, add_to=None) -> HttpResponse | None:
    success = request.build_absolute_uri(reverse("payments:checkout_success")) + "?session_id={CHECKOUT_SESSION_ID}"
    cancel = request.build_absolute_uri(reverse("payments:checkout_cancel")) + f"?program={program.pk}"
    try:
        url = checkout_session_create(
            user=request.user,
            program=program,
            quantity=form.cleaned_data["quantity"],
            invoice=form.cleaned_data["invoice"],
            add_to=add_to,
            success_url=success,
            cancel_url=cancel,
        )
    except PaymentsNotConfigured:
        context["purchasable"] = False
    except stripe.StripeError as exc:
        logger.error("could not start checkout for program %s: %s", program.pk, exc)
        messages.error(request, "We couldn't reach our payment provider. Nothing was charged; please try again.")
    else:
        return redirect(url, permanent=False)
    return None


@login_required
def company_more_seats(request: HttpRequest, pk: int) -> HttpResponse:
    """Buy more seats for one of the buyer's own company purchases (404 for anyone else's)."""
    purchase = purchase_for_buyer(user=request.user, pk=pk)
    if purchase.revoked_at:
        raise Http404("These seats were refunded.")
    program = purchase.program
    form = MoreSeatsForm(request.POST or None)
    context = {
        "program": program,
        "purchase": purchase,
        "form": form,
        "purchasable": program_purchasable(program),
        "tiers": tier_table(program=program, tiers=seat_tiers(program=program)),
    }
    if request.method == "POST" and form.is_valid():
        redirect_to = _start_checkout(request, program, form, context, add_to=purchase)
        if redirect_to:
            return redirect_to
    return render(request, "payments/company_more.html", context)


@login_required
def checkout_success(request: HttpRequest) -> HttpResponse:
    """Stripe sends the buyer here. Fulfil now if the webhook hasn't yet; otherwise just report."""
    session_id = request.GET.get("session_id", "")
    payment = (
        Payment.objects.select_related("program").filter(checkout_session_id=session_id, user=request.user).first()
    )
    if payment is None:
        raise Http404("No such checkout.")
    if payment.status == Payment.Status.PENDING:
        try:
            payment = checkout_fulfil(session_id=session_id)
        except stripe.StripeError as exc:  # Stripe unreachable: the page refreshes and tries again
            logger.warning("success page could not confirm %s yet: %s", session_id, exc)
    context = {"payment": payment, "program": payment.program}
    if payment.status == Payment.Status.PAID and payment.program:
        if payment.adds_to_id:
            context["next_url"] = reverse("payments:company_detail", args=[payment.adds_to_id])
        elif payment.quantity > 1:
            context["next_url"] = reverse("payments:company_detail", args=[payment.seat_purchase.pk])
        else:
            context["next_url"] = _first_lesson_url(payment.program)
    return render(request, "payments/checkout_success.html", context)


def checkout_cancel(request: HttpRequest) -> HttpResponse:
    program = None
    if re.fullmatch(r"[0-9]{1,9}", request.GET.get("program", "")):
        program = program_for_checkout(program_id=int(request.GET["program"]))
    return render(request, "payments/checkout_cancel.html", {"program": program})


@login_required
@require_POST
def billing_portal(request: HttpRequest) -> HttpResponse:
    """Open Stripe's customer portal (invoices, receipts, card) for this user only."""
    try:
        url = billing_portal_url(
            user=request.user, return_url=request.build_absolute_uri(reverse("accounts:dashboard"))
        )
    except stripe.StripeError as exc:
        logger.error("could not open the billing portal: %s", exc)
        messages.error(request, "The billing portal is not reachable right now. Please try again shortly.")
        return redirect("accounts:dashboard")
    if url is None:
        raise Http404("No billing account.")
    return redirect(url)


@login_required
def company(request: HttpRequest) -> HttpResponse:
    purchases = list(purchases_for_buyer(user=request.user))
    if len(purchases) == 1:
        return redirect("payments:company_detail", purchases[0].pk)
    return render(request, "payments/company.html", {"purchases": purchases})


@login_required
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    purchase = purchase_for_buyer(user=request.user, pk=pk)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _ = seat_invite(purchase=purchase, email=form.cleaned_data["email"])
        except (SeatError, ValidationError) as exc:
            form.add_error("email", exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("payments:company_detail", purchase.pk)
    return render(request, "payments/company_detail.html", {"purchase": purchase, "form": form})


@login_required
@require_POST
def company_billing(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Manage billing and invoices": Stripe's customer portal for the buyer of this purchase only."""
    purchase = purchase_for_buyer(user=request.user, pk=pk)  # 404 for anyone but the buyer
    back = request.build_absolute_uri(reverse("payments:company_detail", args=[purchase.pk]))
    try:
        url = billing_portal_url(user=request.user, return_url=back)
    except stripe.StripeError as exc:
        logger.error("could not open the billing portal for purchase %s: %s", purchase.pk, exc)
        url = None
    if url is None:
        messages.error(
            request,
            "Your invoices can't be opened right now. Please try again in a few minutes; "
            "each invoice is also in the email Stripe sent after payment.",
        )
        return redirect("payments:company_detail", purchase.pk)
    return redirect(url)


def _own_invitation(request: HttpRequest, pk: int) -> SeatInvitation:
    return get_object_or_404(
        SeatInvitation.objects.select_related("purchase__program", "purchase__buyer"),
        pk=pk,
        purchase__buyer=request.user,
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _own_invitation(request, pk)
    try:
        seat_invitation_revoke(invitation=invitation)
    except SeatError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"The invitation to {invitation.email} was withdrawn; the seat is free again.")
    return redirect("payments:company_detail", invitation.purchase_id)


@login_required
@require_POST
def invitation_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _own_invitation(request, pk)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter a valid email address to give this seat to.")
        return redirect("payments:company_detail", invitation.purchase_id)
    try:
        new, _ = seat_reassign(invitation=invitation, email=form.cleaned_data["email"])
    except (SeatError, ValidationError) as exc:
        messages.error(request, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(request, f"The seat now goes to {new.email}; the old link no longer works.")
    return redirect("payments:company_detail", invitation.purchase_id)


def seat_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone with the link sees what it offers; accepting needs an account (login comes back here)."""
    invitation = invitation_for_token(token)
    context = {"invitation": invitation, "token": token}
    if invitation is None:
        context["error"] = "This invitation link is not valid. Check that you copied the whole link."
        return render(request, "payments/company_accept.html", context, status=404)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        try:
            seat_accept(token=token, user=request.user)
        except SeatError as exc:
            context["error"] = str(exc)
            return render(request, "payments/company_accept.html", context, status=400)
        messages.success(request, f"Welcome to {invitation.purchase.program.title}! Your seat is ready.")
        return redirect(_first_lesson_url(invitation.purchase.program))
    if invitation.state != "pending":
        context["error"] = {
            "accepted": "This invitation has already been used.",
            "revoked": "This invitation was withdrawn. Ask the person who invited you for a new one.",
            "expired": "This invitation has expired. Ask the person who invited you for a new one.",
        }[invitation.state]
        return render(request, "payments/company_accept.html", context, status=400)
    return render(request, "payments/company_accept.html", context)
