"""The dashboard's billing panel (registered when the payments app is ready)."""

from accounts.dashboard import register_panel

from .selectors import billing_panel_context


def _billing(request) -> dict | None:
    return billing_panel_context(user=request.user)


register_panel(key="billing", template="payments/includes/billing_panel.html", order=90, get_context=_billing)
