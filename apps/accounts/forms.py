"""Sign-in and account administration forms. Validation only; changes go through services."""

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.signals import user_login_failed
from django_otp import match_token

from .models import User
from .roles import PORTAL_ROLES, ROLES
from .selectors import username_taken

FAILED_SIGN_IN = "Those details are not right. Check your username, password and code."


class SignInForm(forms.Form):
    """Username, password and the six-digit code from the authenticator app, in one step."""

    username = forms.CharField(
        max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True})
    )
    password = forms.CharField(
        strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    code = forms.RegexField(
        label="Authenticator code",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "Enter the six digits your authenticator app shows."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 6}
        ),
    )

    def __init__(self, request, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: User | None = None

    def clean(self):
        data = super().clean() or {}  # the stubs allow None; Form.clean returns cleaned_data
        if self.errors:
            return data
        user = authenticate(self.request, username=data["username"], password=data["password"])
        if user is None:
            raise forms.ValidationError(FAILED_SIGN_IN)
        device = match_token(user, data["code"].strip())
        if device is None or not user.has_portal_access:
            # Counts towards the lockout like a wrong password, and is audited with why.
            reason = "wrong one-time code" if user.has_portal_access else "no portal access"
            user_login_failed.send(
                sender=__name__,
                credentials={"username": data["username"], "reason": reason},
                request=self.request,
            )
            raise forms.ValidationError(FAILED_SIGN_IN)
        # django_otp.login() marks the session verified from this (django_otp has no types).
        user.otp_device = device  # type: ignore[attr-defined]
        self.user = user
        return data


class RolesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(
            choices=[(role, role.capitalize()) for role in ROLES],
            widget=forms.CheckboxSelectMultiple,
            help_text="The camera role is for machine accounts only: they post reads with an API token.",
            **kwargs,
        )

    def validate(self, value) -> None:
        super().validate(value)
        if "camera" in value and set(value) & set(PORTAL_ROLES):
            raise forms.ValidationError("A machine account (camera) cannot also hold a staff role.")


class UserCreateForm(forms.Form):
    username = forms.CharField(max_length=150)
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(required=False)
    staff_number = forms.CharField(max_length=32, required=False)
    roles = RolesField()
    password = forms.CharField(
        label="Initial password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if username_taken(username):
            raise forms.ValidationError("That username is taken.")
        return username

    def clean(self):
        data = super().clean() or {}  # the stubs allow None; Form.clean returns cleaned_data
        if data.get("password"):
            candidate = User(username=data.get("username", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(data["password"], candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class UserRolesForm(forms.Form):
    roles = RolesField()


class TokenForm(forms.Form):
    label = forms.CharField(
        max_length=100, label="What it is for", help_text="E.g. the gateway or script using it."
    )
