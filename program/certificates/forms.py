from django import forms

MAX_CREDENTIAL_LENGTH = 64_000  # a signed certificate is about 3 kB; anything this long is not one


class CredentialCheckForm(forms.Form):
    credential = forms.CharField(
        label="Signed credential",
        help_text="Paste the text of the .jwt file (it starts with eyJ).",
        max_length=MAX_CREDENTIAL_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
    )
