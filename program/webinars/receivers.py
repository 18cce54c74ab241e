"""Wiring for webinars: the funnel (link registrations to users)."""

from allauth.account.signals import email_confirmed, user_signed_up
from django.dispatch import receiver

from .services import webinar_registrations_link_user


@receiver(user_signed_up, dispatch_uid="webinar_link_on_signup")
def _link_on_signup(sender, request, user, **kwargs):
    webinar_registrations_link_user(user=user)


@receiver(email_confirmed, dispatch_uid="webinar_link_on_email_confirmed")
def _link_on_email_confirmed(sender, request, email_address, **kwargs):
    if email_address.user_id:
        webinar_registrations_link_user(user=email_address.user, email=email_address.email)
