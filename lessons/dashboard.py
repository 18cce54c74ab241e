"""The learner dashboard panel: enrolled programs, continue, next lesson, reflections, commitments."""

from .selectors import dashboard_programs, dashboard_responses


def learning_panel(request) -> dict | None:
    """Three queries whatever the number of programs, lessons and answers. Hidden for leaders
    who are not enrolled anywhere and have nothing to show."""
    user = request.user
    states = dashboard_programs(user=user)
    reflections, commitments = dashboard_responses(user=user)
    if not states and not commitments and not reflections:
        return None
    return {"states": states, "commitments": commitments, "reflections": reflections}
