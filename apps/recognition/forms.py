from django import forms

from apps.cameras.models import Camera


class VideoUploadForm(forms.Form):
    file = forms.FileField(
        label="Video",
        help_text="Dash-cam, fixed-camera export or phone footage: MP4, MOV, MKV, AVI or MPEG-TS.",
        widget=forms.ClearableFileInput(attrs={"accept": "video/*"}),
    )
    camera = forms.ModelChoiceField(
        queryset=Camera.objects.exclude(status=Camera.Status.PROPOSED).order_by("code"),
        to_field_name="code",
        help_text="The camera that recorded it (a dash-cam is a vehicle-mounted camera).",
    )
    recorded_at = forms.DateTimeField(
        label="Recording started",
        help_text="When the first frame was recorded; each read's time is counted from it.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "step": "1"}),
    )
    latitude = forms.FloatField(
        required=False, min_value=-90, max_value=90, help_text="Needed for a vehicle-mounted camera."
    )
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180)
