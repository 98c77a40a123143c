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
        help_text="For the first sign-in only: the holder must then choose their own.",
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
        max_length=100,
        label="What it is for",
        help_text="E.g. the gateway or script using it.",
        error_messages={"required": "Say what the token is for."},
    )


class NewPasswordForm(forms.Form):
    """A new password for `user`, typed twice, passing every rule in AUTH_PASSWORD_VALIDATORS and
    not the password it replaces (an administrator's choice must not survive its own change)."""

    new_password = forms.CharField(
        label="New password",
        strip=False,
        help_text="At least 12 characters; no need for symbols or digits: three or more random "
        "words make a strong password. Passwords found in lists of breached passwords are refused.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password_again = forms.CharField(
        label="New password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user: User, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_new_password(self) -> str:
        password = self.cleaned_data["new_password"]
        password_validation.validate_password(password, self.user)
        if self.user.check_password(password):
            raise forms.ValidationError("That is the password you have now: choose a new one.")
        return password

    def clean(self):
        data = super().clean() or {}  # the stubs allow None; Form.clean returns cleaned_data
        again = data.get("new_password_again")
        if data.get("new_password") and again is not None and again != data["new_password"]:
            self.add_error("new_password_again", "The two differ: type the same new password twice.")
        return data


class PasswordChangeForm(NewPasswordForm):
    """The signed-in holder's current password, then the new one twice."""

    current_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["current_password", "new_password", "new_password_again"]

    def __init__(self, request, *args, **kwargs) -> None:
        super().__init__(request.user, *args, **kwargs)
        self.request = request

    def clean_current_password(self) -> str:
        typed = self.cleaned_data["current_password"]
        # Through authenticate(), so that a wrong one counts towards the sign-in lockout and is
        # audited as a failed sign-in, and a lock in force refuses even the right one: an
        # unattended session is no place to guess the password at leisure.
        checked = authenticate(
            self.request,
            username=self.user.get_username(),
            password=typed,
            reason="wrong current password, changing it",
        )
        if checked is None:
            raise forms.ValidationError("That is not your current password.")
        return typed


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label="Your e-mail address",
        max_length=254,
        help_text="The address your account holds, as your administrator recorded it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
