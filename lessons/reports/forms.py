"""The coach's forms on the learner page and the stuck list: a nudge, in her own words."""

from django import forms

from ..nudges import BODY_MAX, SUBJECT_MAX


class NudgeForm(forms.Form):
    subject = forms.CharField(max_length=SUBJECT_MAX, label="Subject")
    body = forms.CharField(
        max_length=BODY_MAX,
        label="Your message",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Sent as you write it, with a greeting by first name. Replies come to your email address.",
    )


class BulkNudgeForm(NudgeForm):
    learners = forms.TypedMultipleChoiceField(
        coerce=int, label="Leaders", error_messages={"required": "Tick at least one leader to nudge."}
    )

    def __init__(self, *args, learner_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learners"].choices = list(learner_choices)
