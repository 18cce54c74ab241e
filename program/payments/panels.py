"""The dashboard's billing panel (registered when the payments app is ready)."""

from accounts.dashboard import register_panel, shared

from .selectors import ON_FILE_KEY, billing_panel_context


def _billing(request) -> dict | None:
    if shared(request, ON_FILE_KEY, lambda: None) == 0:  # counted by the dashboard's one query
        return None
    return billing_panel_context(user=request.user)


register_panel(key="billing", template="payments/includes/billing_panel.html", order=90, get_context=_billing)
