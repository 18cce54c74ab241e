"""The learner dashboard panel: enrolled programs, continue, next lesson, reflections, commitments."""

from .selectors import dashboard_programs, open_commitments, recent_reflections, url_from_path


def learning_panel(request) -> dict | None:
    """Four queries whatever the number of programs, lessons and answers. Hidden for leaders
    who are not enrolled anywhere and have nothing to show."""
    user = request.user
    states = dashboard_programs(user=user)
    commitments = open_commitments(user=user)
    reflections = recent_reflections(user=user)
    if not states and not commitments and not reflections:
        return None
    for item in [*commitments, *reflections]:
        item.lesson_url = url_from_path(item.lesson.url_path)
    return {"states": states, "commitments": commitments, "reflections": reflections}
