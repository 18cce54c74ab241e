from accounts.models import User
from accounts.roles import is_coach

from .models import Enrollment, ProgramPage


def user_has_access(*, user: User, program: ProgramPage | int) -> bool:
    """True when `user` holds an active enrollment in `program` (the coach always does)."""
    if not user.is_authenticated:
        return False
    if is_coach(user):
        return True
    program_id = program if isinstance(program, int) else program.pk
    return Enrollment.objects.filter(user=user, program_id=program_id, status=Enrollment.Status.ACTIVE).exists()
