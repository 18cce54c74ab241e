"""The learner dashboard panel: enrolled programs, continue, next lesson, reflections, commitments."""

from .selectors import dashboard_learning


def learning_panel(request) -> dict | None:
    """One query whatever the number of programs, lessons and answers (see `dashboard_learning`).
    Hidden for leaders who are not enrolled anywhere and have nothing to show."""
    learning = dashboard_learning(user=request.user)
    if not learning.states and not learning.commitments and not learning.reflections:
        return None
    return {"states": learning.states, "commitments": learning.commitments, "reflections": learning.reflections}
