"""Demo users. Emails use the reserved .test domain; the password is printed by seed_demo."""

from allauth.account.models import EmailAddress

from .models import User

DEMO_PASSWORD = "rockstar-demo-2026"
DEMO_LOGINS = {
    "password": DEMO_PASSWORD,
    "users": [
        ("Coach (admin)", "coach@huddle.test"),
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
        "email": "leader@huddle.test",
        "full_name": "Marcus Bell",
        "company": "Cedar Ridge Homes",
        "job_title": "Director of Sales",
        "is_staff": False,
        "is_superuser": False,
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


def demo_user(email: str) -> User:
    return User.objects.get(email=email)


def seed(*, log) -> None:
    for data in USERS:
        user, created = User.objects.get_or_create(
            email=data["email"], defaults={k: v for k, v in data.items() if k != "email"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            log(f"user {user.email}")
        EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
