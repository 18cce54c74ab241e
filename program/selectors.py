from accounts.models import User

from .models import Enrollment, ProgramPage


def user_has_access(*, user: User, program: ProgramPage | int) -> bool:
    """True when `user` holds an active enrollment in `program` (staff always do)."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    program_id = program if isinstance(program, int) else program.pk
    return Enrollment.objects.filter(user=user, program_id=program_id, status=Enrollment.Status.ACTIVE).exists()
