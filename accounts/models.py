import zoneinfo

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone


def _time_zone_choices() -> list[tuple[str, str]]:
    zones = sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith("Etc/"))
    return [(z, z.replace("_", " ")) for z in ["UTC", *zones]]


TIME_ZONE_CHOICES = _time_zone_choices()


class UserQuerySet(models.QuerySet):
    def update(self, **kwargs) -> int:
        """A bulk update sends no signal (Wagtail's "set active state" on several users is one):
        the users kept in the shared cache are all forgotten (`accounts.user_cache`)."""
        from .user_cache import users_changed

        rows = super().update(**kwargs)
        if rows:
            users_changed()
        return rows


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_queryset(self) -> UserQuerySet:
        return UserQuerySet(self.model, using=self._db)

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with a login: a leader, a company buyer or the coach's staff.

    Email is the login. `time_zone` is used to show every date and time in the user's zone.
    """

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    company = models.CharField(max_length=200, blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES, default="America/New_York")
    share_consistency_with_coach = models.BooleanField(
        default=False,
        help_text="Let the coach see my monthly consistency score, to know when I need coaching.",
    )
    # A separate choice: the buyer of a company seat is not the coach (tracker.coach.adoption).
    share_rhythm_with_company = models.BooleanField(
        default=False,
        help_text="If my company bought my seat, let its buyer see how many of the five steps I did each month "
        "(never my team's names or numbers).",
    )
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        # The coach role (`accounts.roles.is_coach`), granted through groups in Wagtail's admin.
        permissions = [("coach", "Coach: see every learner's progress and read every lesson in full")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_session_auth_hash(self) -> str:
        """Django's HMAC of the password; a user kept in the shared cache (`accounts.user_cache`)
        comes without its password and with the HMAC made from it, used while the password is not
        loaded (a password set or read on this object is used as Django uses it)."""
        kept = self.__dict__.get("_huddle_session_auth_hash")
        if kept is not None and "password" not in self.__dict__:
            return kept
        return super().get_session_auth_hash()

    # Wagtail and Django admin call these.
    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name.split(" ")[0] if self.full_name else "") or self.email

    @property
    def first_name(self) -> str:
        return self.get_short_name()

    @property
    def last_name(self) -> str:
        parts = self.full_name.split(" ", 1)
        return parts[1] if len(parts) > 1 else ""
