from django_tasks import task


@task()
def newsletter_confirmation_send(*, subscriber_id: int) -> None:
    from .newsletter_models import NewsletterSubscriber
    from .newsletter_sending import confirmation_email

    subscriber = NewsletterSubscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is not None and subscriber.status == NewsletterSubscriber.Status.PENDING:
        confirmation_email(subscriber).send()


@task()
def newsletter_issue_send(*, issue_id: int) -> int:
    """Background send of one issue to all confirmed subscribers (resumable)."""
    from .newsletter_sending import newsletter_issue_deliver

    return newsletter_issue_deliver(issue_id=issue_id)
