from django import forms


class NewsletterSignupForm(forms.Form):
    email = forms.EmailField(max_length=254, label="Email")
    first_name = forms.CharField(max_length=60, required=False, label="First name (optional)")
    source = forms.CharField(max_length=200, required=False, widget=forms.HiddenInput)
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
