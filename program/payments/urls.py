from django.urls import path

from . import views
from .webhooks import stripe_webhook

app_name = "payments"
urlpatterns = [
    path("checkout/<int:program_id>/", views.checkout_start, name="checkout_start"),
    path("checkout/success/", views.checkout_success, name="checkout_success"),
    path("checkout/cancel/", views.checkout_cancel, name="checkout_cancel"),
    path("stripe/webhook/", stripe_webhook, name="stripe_webhook"),
    path("billing/portal/", views.billing_portal, name="billing_portal"),
    path("company/", views.company, name="company"),
    path("company/<int:pk>/", views.company_detail, name="company_detail"),
    path("company/<int:pk>/billing/", views.company_billing, name="company_billing"),
    path("company/<int:pk>/more/", views.company_more_seats, name="company_more_seats"),
    path("company/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("company/invitations/<int:pk>/reassign/", views.invitation_reassign, name="invitation_reassign"),
    path("seats/accept/<str:token>/", views.seat_accept_view, name="seat_accept"),
]
