"""Wagtail's user admin, taught our user model (email login, one full-name field)."""

from django import forms
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet


class HuddleUserCreationForm(UserCreationForm):
    first_name = None
    last_name = None
    full_name = forms.CharField(required=True, label="Full name", max_length=200)

    class Meta(UserCreationForm.Meta):
        fields = {"email", "full_name", "is_superuser", "groups"}


class HuddleUserEditForm(UserEditForm):
    first_name = None
    last_name = None
    full_name = forms.CharField(required=True, label="Full name", max_length=200)

    class Meta(UserEditForm.Meta):
        fields = {"email", "full_name", "is_active", "is_superuser", "groups"}


class UserViewSet(WagtailUserViewSet):
    # Wagtail's templates name first_name/last_name; ours add the full-name field.
    create_template_name = "accounts/wagtail_users/create.html"
    edit_template_name = "accounts/wagtail_users/edit.html"

    def get_form_class(self, for_update=False):
        return HuddleUserEditForm if for_update else HuddleUserCreationForm
