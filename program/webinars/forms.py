from django import forms

TEAM_SIZES = [
    ("", "Choose…"),
    ("1-5", "1 to 5"),
    ("6-10", "6 to 10"),
    ("11-25", "11 to 25"),
    ("26-50", "26 to 50"),
    ("51+", "More than 50"),
]


class WebinarRegistrationForm(forms.Form):
    session = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect, label="Choose a date")
    name = forms.CharField(max_length=120, label="Your name")
    email = forms.EmailField(max_length=254, label="Email")
    company = forms.CharField(max_length=120, required=False)
    role = forms.CharField(max_length=120, required=False, label="Your role")
    team_size = forms.ChoiceField(choices=TEAM_SIZES, required=False, label="How many people do you lead?")
    question = forms.CharField(
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="A question for the presenter",
        help_text="Optional. We try to answer these live.",
    )
    newsletter = forms.BooleanField(
        required=False, label="Also send me the weekly newsletter (you can unsubscribe at any time)"
    )
    # Bots fill every field; people never see this one.
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    time_zone = forms.CharField(
        required=False, max_length=64, widget=forms.HiddenInput(attrs={"data-browser-zone": ""})
    )

    def __init__(self, *args, sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = [(s.pk, str(s.pk)) for s in sessions]
        if len(self.fields["session"].choices) == 1 and not self.is_bound:
            self.initial.setdefault("session", self.fields["session"].choices[0][0])

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class AttendanceUploadForm(forms.Form):
    file = forms.FileField(
        label="Participant export (CSV)",
        help_text="Zoom: Reports → Usage → Participants → Export. Google Meet: the attendance report in Drive, "
        "downloaded as CSV.",
    )
