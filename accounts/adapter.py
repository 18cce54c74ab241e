from allauth.account.adapter import DefaultAccountAdapter

from home.core.mail import email_queue
from home.core.ratelimit import client_ip

from .known_device import device_for_login, remember_device


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """allauth's login and signup limits key on the same client address as ours."""
        return client_ip(request)

    def pre_authenticate(self, request, **credentials):
        """allauth's failed-login limits, with a known device's attempts in a bucket of their own
        (accounts/known_device.py): the per-IP limit is the same, the per-account one is the
        device's, so a stranger's failures cannot lock the person out of their own browser."""
        login = credentials.get("email", credentials.get("username", "")) or ""
        device = device_for_login(request, login)
        if device:
            credentials = {**credentials, "email": f"{login} device:{device}"}
        return super().pre_authenticate(request, **credentials)

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        remember_device(request, response, user)
        return response

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.full_name = form.cleaned_data.get("full_name", "").strip()
        user.company = form.cleaned_data.get("company", "").strip()
        if commit:
            user.save()
        return user

    def send_mail(self, template_prefix, email, context):
        """Verification, password-reset and other account emails leave through the task queue
        (retried with backoff), so a mail server that is down never makes sign-up answer 500.
        Marked as the account's own mail: an address suppressed because its account was deleted
        still gets the confirmation of a new sign-up (home.core.mail_suppression)."""
        message = self.render_mail(template_prefix, email, context)
        message.account_mail = True
        email_queue(message)
