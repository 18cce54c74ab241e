"""The exact consent text each sign-up form shows. Forms render it from here and post only its key,
so the consent ledger records, word for word, what the person read when they signed up (never free
text from the request)."""

SIGNUP_WORDING = {
    # The newsletter page's form (/newsletter/subscribe/).
    "page": (
        "Yes, send me the weekly Huddle newsletter: one short email with ideas for leading a sales team. "
        "I can unsubscribe at any time with one click."
    ),
    # The short form in the footer, the newsletter block and the archive page.
    "short": "One short email a week for sales leaders. We'll ask you to confirm; unsubscribe with one click.",
}
CONFIRM_WORDING = "One click and the weekly newsletter is on its way."


def signup_wording(key: str, *, source: str = "") -> str:
    """The text the form `key` showed. A form from before keys were posted (a cached page) is the
    page's own form when it came from the newsletter page, else the short form."""
    if key in SIGNUP_WORDING:
        return SIGNUP_WORDING[key]
    return SIGNUP_WORDING["page" if source == "newsletter page" else "short"]
