"""Every email leaves through the task queue, never from the request: a mail server that is down
costs a retry later, not a 500 now (see home.core.tasks for the retry policy).

`email_queue(message)` serialises an EmailMessage (subject, bodies, addresses, headers,
attachments) to JSON and sends it from the `email_send` task.
"""

import base64
import re
from urllib.parse import urljoin

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django_tasks import task

from .metrics import EMAIL_ATTEMPTS_FAILED, EMAILS_SENT
from .tasks import retrying


def _attachment(item) -> dict:
    filename, content, mimetype = item
    raw = content.encode() if isinstance(content, str) else bytes(content)
    return {"filename": filename, "content": base64.b64encode(raw).decode(), "mimetype": mimetype}


def email_to_payload(message: EmailMessage) -> dict:
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {str(k): str(v) for k, v in (message.extra_headers or {}).items()},
        "alternatives": [[str(c), m] for c, m in getattr(message, "alternatives", [])],
        "attachments": [_attachment(a) for a in message.attachments if isinstance(a, tuple | list)],
        # The account's own mail (see home.core.mail_suppression.SuppressingBackend).
        "account_mail": bool(getattr(message, "account_mail", False)),
    }


def email_from_payload(payload: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload.get("from_email"),
        to=payload.get("to") or [],
        cc=payload.get("cc") or [],
        bcc=payload.get("bcc") or [],
        reply_to=payload.get("reply_to") or [],
        headers=payload.get("headers") or {},
    )
    for content, mimetype in payload.get("alternatives") or []:
        message.attach_alternative(content, mimetype)
    for item in payload.get("attachments") or []:
        message.attach(item["filename"], base64.b64decode(item["content"]), item["mimetype"])
    message.account_mail = bool(payload.get("account_mail"))
    return message


@task()
@retrying()
def email_send(*, payload: dict) -> None:
    """Send one serialised message (retried with backoff by the worker)."""
    try:
        email_from_payload(payload).send()
    except Exception:
        EMAIL_ATTEMPTS_FAILED.inc()
        raise
    EMAILS_SENT.inc()


def email_queue(message: EmailMessage) -> None:
    """Send `message` from the task queue. The database queue writes the task in the current
    transaction, so a rollback takes the email with it and no worker sees it before the commit."""
    email_send.enqueue(payload=email_to_payload(message))


def email_queue_plain(*, subject: str, message: str, from_email: str | None, recipient_list: list[str]) -> None:
    """`send_mail`'s arguments, sent from the task queue."""
    email_queue(EmailMessage(subject=subject, body=message, from_email=from_email, to=recipient_list))


def one_click_unsubscribe_headers(url: str, *, list_id: str = "", mailto: str = "") -> dict[str, str]:
    """Headers that let a mail client offer "Unsubscribe" that works in one click (RFC 2369 and
    RFC 8058): `url` must be an absolute https/http address that unsubscribes on a POST with no
    login and no further question. `list_id` names the list (RFC 2919), e.g. "Weekly <weekly.huddle>".
    """
    targets = [f"<{url}>"] + ([f"<mailto:{mailto}>"] if mailto else [])
    headers = {"List-Unsubscribe": ", ".join(targets), "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    if list_id:
        headers["List-Id"] = list_id
    return headers


_LINK = re.compile(r"""(\s(?:href|src|background)\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_SRCSET = re.compile(r"""(\ssrcset\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_KEEP = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|#|%%)", re.IGNORECASE)  # a scheme, an anchor, a mail-merge mark


def absolute_urls(html: str, base_url: str) -> str:
    """Every relative link and image address in `html` made absolute against `base_url` (mail
    clients have no page to resolve "/media/..." against). Schemes (https:, mailto:, tel:, data:),
    anchors and %%MARKS%% are left as they are."""
    base = base_url.rstrip("/") + "/"

    def one(url: str) -> str:
        url = url.strip()
        return url if not url or _KEEP.match(url) else urljoin(base, url)

    def link(match) -> str:
        return f"{match.group(1)}{match.group(2)}{one(match.group(3))}{match.group(2)}"

    def srcset(match) -> str:
        parts = []
        for candidate in match.group(3).split(","):
            url, _, size = candidate.strip().partition(" ")
            parts.append(f"{one(url)} {size}".strip())
        return f"{match.group(1)}{match.group(2)}{', '.join(parts)}{match.group(2)}"

    return _SRCSET.sub(srcset, _LINK.sub(link, html))
