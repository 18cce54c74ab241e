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


class IssueSendForm(forms.Form):
    """The coach's confirmation: send now or at a time (in the coach's own zone)."""

    when = forms.ChoiceField(
        choices=[("now", "Send now"), ("later", "Schedule for")], initial="now", widget=forms.RadioSelect
    )
    send_at = forms.DateTimeField(
        required=False,
        label="Date and time",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean(self):
        data = super().clean()
        if data.get("when") == "later" and not data.get("send_at"):
            self.add_error("send_at", "Choose the date and time to send it.")
        if data.get("when") != "later":
            data["send_at"] = None
        return data
