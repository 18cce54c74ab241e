"""Who may download a document: worksheets of paid lessons go only to enrolled leaders."""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseForbidden

from accounts.roles import is_coach

from .models import LessonDocument, LessonPage
from .selectors import lesson_view


def document_gate(document, request):
    """None to let Wagtail serve the document, or a refusal. A document used by a free-preview
    lesson is public; one used only by paid lessons needs an active enrollment in one of their
    programs and the lesson's step open to them (drip, coach unlock: the lesson page's own rule; the coach always passes); documents no lesson uses are left to Wagtail's own rules."""
    links = list(LessonDocument.objects.filter(document=document).values_list("lesson__free_preview", "lesson_id"))
    lesson_ids = [lesson_id for _, lesson_id in links]
    if not links or any(free for free, _ in links):
        return None
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if is_coach(user):
        return None
    # The same rule as the lesson page (enrolled, and the step open by drip or the coach's unlock):
    # a worksheet opens with the first of its lessons that this leader may read.
    for lesson in LessonPage.objects.filter(pk__in=lesson_ids):
        if lesson_view(user=user, lesson=lesson).access == "full":
            return None
    return HttpResponseForbidden("This worksheet is for enrolled leaders, and opens with its lesson.")
