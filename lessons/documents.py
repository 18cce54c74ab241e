"""Who may download a document: worksheets of paid lessons go only to enrolled leaders."""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseForbidden
from wagtail.models import Page

from accounts.roles import is_coach
from program.models import Enrollment

from .models import LessonDocument


def document_gate(document, request):
    """None to let Wagtail serve the document, or a refusal. A document used by a free-preview
    lesson is public; one used only by paid lessons needs an active enrollment in one of their
    programs (the coach always passes); documents no lesson uses are left to Wagtail's own rules."""
    links = list(LessonDocument.objects.filter(document=document).values_list("lesson__free_preview", "lesson__path"))
    if not links or any(free for free, _ in links):
        return None
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if is_coach(user):
        return None
    program_paths = {path[: -2 * Page.steplen] for _, path in links}
    allowed = Enrollment.objects.filter(
        user=user, status=Enrollment.Status.ACTIVE, program__path__in=program_paths
    ).exists()
    return None if allowed else HttpResponseForbidden("This worksheet is for leaders enrolled in the program.")
