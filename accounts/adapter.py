from allauth.account.adapter import DefaultAccountAdapter

from home.core.mail import email_queue
from home.core.ratelimit import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """allauth's login and signup limits key on the same client address as ours."""
        return client_ip(request)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.full_name = form.cleaned_data.get("full_name", "").strip()
        user.company = form.cleaned_data.get("company", "").strip()
        if commit:
            user.save()
        return user

    def send_mail(self, template_prefix, email, context):
        """Verification, password-reset and other account emails leave through the task queue
        (retried with backoff), so a mail server that is down never makes sign-up answer 500."""
        email_queue(self.render_mail(template_prefix, email, context))
