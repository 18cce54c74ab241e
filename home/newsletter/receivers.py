"""The newsletter reacts to the email provider's bounce and complaint reports (home.core's
`email_suppressed`): the subscriber is unsubscribed, recorded in the consent ledger, so the coach's
recipient counts stay exact."""

from home.core.mail_suppression import email_suppressed

from .models import NewsletterSubscriber
from .services import newsletter_unsubscribe


def unsubscribe_suppressed(sender, *, email: str, reason: str, **kwargs) -> None:
    subscriber = NewsletterSubscriber.objects.filter(email=email.lower()).first()
    if subscriber is not None:
        newsletter_unsubscribe(subscriber=subscriber, source=f"email provider: {reason}")


email_suppressed.connect(unsubscribe_suppressed, dispatch_uid="newsletter-unsubscribe-suppressed")
