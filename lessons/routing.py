"""Fast routing from a program to one of its lessons: one query by url_path."""

from django.http import Http404
from wagtail.url_routing import RouteResult

from .models import LessonPage, ModulePage


def route_lesson(program, request, path_components: list[str]) -> RouteResult:
    url_path = program.url_path + "/".join(path_components) + "/"
    lesson = LessonPage.objects.filter(url_path=url_path, live=True).first()
    if lesson is None:
        # Not a live lesson at that address: fall back to Wagtail's walk (404s as usual).
        module = ModulePage.objects.filter(url_path=program.url_path + path_components[0] + "/").first()
        if module is None:
            raise Http404
        module._cached_parent_obj = program
        return module.route(request, path_components[1:])
    lesson._huddle_program = program
    return RouteResult(lesson)
