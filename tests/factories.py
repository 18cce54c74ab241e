"""Shared factories. Apps add theirs in tests/<app>/factories.py."""

import factory
from allauth.account.models import EmailAddress

from accounts.models import User

PASSWORD = "correct-horse-battery-staple"
# The zone of every factory user: a leader's "today" and the times her forms read are in it, not in
# the site's TIME_ZONE (the two are different days for some hours of every day).
LEADER_ZONE_NAME = "America/Chicago"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"leader{n}@example.com")
    full_name = factory.Faker("name")
    company = factory.Faker("company")
    job_title = "Sales Manager"
    time_zone = LEADER_ZONE_NAME

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class CoachFactory(UserFactory):
    """The coach's staff as Wagtail makes them: in the Coaches group, no `is_staff`, no superuser."""

    @factory.post_generation
    def coaches_group(obj, create, extracted, **kwargs):
        if create:
            # The group as the demo makes it (get or create): a transactional test's flush removes
            # the group its data migration made, and a later browser journey needs it back.
            from accounts.demo import coaches_group_seed

            coaches_group_seed(members=[obj], log=lambda message: None)
