from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms

from .models import User
from .widgets import FixedChoicesField, FixedChoicesSelect, QuickCheckboxInput, QuickTextInput


class SignupForm(AllauthSignupForm):
    full_name = forms.CharField(
        max_length=200, label="Full name", widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    company = forms.CharField(
        max_length=200, label="Company", required=False, widget=forms.TextInput(attrs={"autocomplete": "organization"})
    )

    field_order = ["full_name", "email", "company", "password1", "password2"]


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me logged in on this device"


class AddEmailForm(AllauthAddEmailForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "New email address"
        self.fields[
            "email"
        ].help_text = "We'll send a confirmation link there; the change takes effect once you follow it."


def _profile_formfield(db_field, **kwargs):
    if db_field.name == "time_zone":  # ~430 zones, shared by every form
        kwargs["choices_form_class"] = FixedChoicesField
    return db_field.formfield(**kwargs)


class ProfileForm(forms.ModelForm):
    class Meta:
        formfield_callback = _profile_formfield
        model = User
        fields = [
            "full_name",
            "company",
            "job_title",
            "time_zone",
            "share_consistency_with_coach",
            "share_rhythm_with_company",
        ]
        labels = {
            "share_consistency_with_coach": "Share my consistency score with the coach",
            "share_rhythm_with_company": "Share my monthly rhythm with the company that bought my seat",
        }
        help_texts = {"time_zone": "Lesson dates, webinars and tracker months are shown in this zone."}
        widgets = {
            "full_name": QuickTextInput(attrs={"autocomplete": "name"}),
            "company": QuickTextInput(attrs={"autocomplete": "organization"}),
            "job_title": QuickTextInput(attrs={"autocomplete": "organization-title"}),
            "share_consistency_with_coach": QuickCheckboxInput,
            "share_rhythm_with_company": QuickCheckboxInput,
            "time_zone": FixedChoicesSelect,  # ~430 zones: options built once per process
        }


class DeleteAccountForm(forms.Form):
    """Asks for the current password, so a borrowed laptop can't delete the account."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Enter your password to confirm that you want to delete your account for good.",
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password is not right. Your account has not been deleted.")
        return password
