"""The learner dashboard panel: enrolled programs, continue, next lesson, reflections, commitments."""

from accounts.dashboard import shared
from program.certificates.selectors import ON_FILE_KEY as CERTIFICATES_ON_FILE
from program.certificates.selectors import VALID_ROWS_KEY as CERTIFICATE_ROWS
from program.payments.selectors import ON_FILE_KEY as PAYMENTS_ON_FILE

from .selectors import dashboard_learning


def learning_panel(request) -> dict | None:
    """One query whatever the number of programs, lessons and answers (see `dashboard_learning`).
    Hidden for leaders who are not enrolled anywhere and have nothing to show."""
    learning = dashboard_learning(user=request.user)
    # The same query counted the certificates and payments: their panels skip their query at 0; the
    # certificates panel shows the valid certificates it read too, with no query of its own.
    shared(request, CERTIFICATES_ON_FILE, lambda: learning.on_file.certificates)
    shared(request, PAYMENTS_ON_FILE, lambda: learning.on_file.payments)
    shared(request, CERTIFICATE_ROWS, lambda: learning.certificates)  # and the certificates themselves
    if not learning.states and not learning.commitments and not learning.reflections:
        return None
    return {"states": learning.states, "commitments": learning.commitments, "reflections": learning.reflections}
