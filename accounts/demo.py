"""Demo users. Emails use the reserved .test domain; the password is printed by seed_demo."""

from allauth.account.models import EmailAddress

from .models import User
from .roles import COACHES_GROUP, coach_permission

# What the Coaches group may do with pages, from the root down (Wagtail's own codenames).
COACH_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]

DEMO_PASSWORD = "rockstar-demo-2026"
DEMO_LOGINS = {
    "password": DEMO_PASSWORD,
    "users": [
        ("Coach (admin)", "coach@huddle.test"),
        ("Coach's assistant (Coaches group)", "assistant@huddle.test"),
        ("Leader", "leader@huddle.test"),
        ("Graduate leader", "graduate@huddle.test"),
        ("Company buyer", "buyer@huddle.test"),
    ],
}

USERS = [
    {
        "email": "coach@huddle.test",
        "full_name": "Dana Whitfield",
        "company": "Huddle Coaching",
        "job_title": "Sales leadership coach",
        "is_staff": True,
        "is_superuser": True,
    },
    {
        "email": "assistant@huddle.test",
        "full_name": "Rosa Delgado",
        "company": "Huddle Coaching",
        "job_title": "Program assistant",
        "is_staff": False,
        "is_superuser": False,
    },
    {
        "email": "leader@huddle.test",
        "full_name": "Marcus Bell",
        "company": "Cedar Ridge Homes",
        "job_title": "Director of Sales",
        "is_staff": False,
        "is_superuser": False,
        "share_consistency_with_coach": True,  # so the coach's rhythm console shows his team
    },
    {
        "email": "graduate@huddle.test",
        "full_name": "Priya Raman",
        "company": "Lakeshore Realty Group",
        "job_title": "Sales Manager",
        "is_staff": False,
        "is_superuser": False,
    },
    {
        "email": "buyer@huddle.test",
        "full_name": "Tom Okafor",
        "company": "Summit Crest Builders",
        "job_title": "VP of Sales",
        "is_staff": False,
        "is_superuser": False,
    },
]


_HASHES: dict[str, str] = {}


def demo_password_hash() -> str:
    """The demo password, hashed once per process (and hasher) for every demo user: their password
    is published anyway, and the slow hasher then runs once in `seed_demo`, not once a user."""
    from django.contrib.auth.hashers import get_hasher, make_password

    algorithm = get_hasher().algorithm
    if algorithm not in _HASHES:
        _HASHES[algorithm] = make_password(DEMO_PASSWORD)
    return _HASHES[algorithm]


def demo_user(email: str) -> User:
    return User.objects.get(email=email)


def seed(*, log) -> None:
    for data in USERS:
        user, created = User.objects.get_or_create(
            email=data["email"], defaults={k: v for k, v in data.items() if k != "email"}
        )
        if created:
            user.password = demo_password_hash()
            user.save()
            log(f"user {user.email}")
        EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    coaches_group_seed(members=[demo_user("assistant@huddle.test")], log=log)


def coaches_group_seed(*, members: list[User], log) -> None:
    """The Coaches group: the coach permission, Wagtail admin access, and page rights on the tree."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission, Page

    group, created = Group.objects.get_or_create(name=COACHES_GROUP)
    group.permissions.add(
        *coach_permission(), Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    root = Page.get_first_root_node()
    if root is not None:
        for codename in COACH_PAGE_PERMISSIONS:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
    group.user_set.add(*members)
    if created:
        log(f"group {group.name}")
