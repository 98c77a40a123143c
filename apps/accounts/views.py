"""Sign-in, sign-out, the user's own account and password, reset by mail, and user administration."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from apps.audit.selectors import security_events

from . import passwords, services, tokens
from .access import choosing_password, public, requires, signed_in
from .enrolment import totp_enrolment
from .forms import (
    NewPasswordForm,
    PasswordChangeForm,
    PasswordResetRequestForm,
    SignInForm,
    TokenForm,
    UserCreateForm,
    UserRolesForm,
)
from .models import ApiToken, User
from .selectors import account_locked_from, address_locks_met, locked_usernames, users_for_administration

RESET_LINK_KEY = "password_reset_link"  # the session's copy of the mailed link being used


@public
@sensitive_post_parameters("password", "code")
@csrf_protect
@never_cache
def sign_in(request):
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user)
        target = request.POST.get("next") or request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            target = reverse("portal:home")
        return HttpResponseRedirect(target)
    return render(request, "accounts/sign_in.html", {"form": form, "next": request.GET.get("next", "")})


@public
@require_POST
def sign_out(request):
    logout(request)
    messages.info(request, "You have signed out.")
    return redirect("accounts:login")


@signed_in
def my_account(request):
    return _my_account_page(request, TokenForm())


def _my_account_page(request, token_form: TokenForm, status: int = 200):
    """One's own account; `token_form` bound when it came back with errors (shown at the top)."""
    recent = security_events(username=request.user.username)[:20]
    return render(
        request,
        "accounts/my_account.html",
        {"recent": recent, "tokens": tokens.tokens_of(request.user), "token_form": token_form},
        status=status,
    )


@choosing_password
@sensitive_post_parameters("current_password", "new_password", "new_password_again")
def password_change(request):
    """The holder's own new password; the only page open to one who must first choose it."""
    first = request.user.password_change_required
    form = PasswordChangeForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        passwords.password_change(
            user=request.user, password=form.cleaned_data["new_password"], request=request
        )
        messages.success(request, "Your password is changed. Your other sessions and API tokens have ended.")
        return redirect("portal:home" if first else "accounts:my_account")
    return render(request, "accounts/password_change.html", {"form": form, "first": first})


@public
def password_reset(request):
    """Ask for a reset link by e-mail address; the answer never says whether an account holds it."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            passwords.password_reset_request(email=form.cleaned_data["email"], request=request)
        except passwords.ResetRequestsThrottled:
            return render(
                request, "accounts/password_reset.html", {"form": form, "throttled": True}, status=429
            )
        return redirect("accounts:password_reset_sent")
    return render(request, "accounts/password_reset.html", {"form": form})


@public
def password_reset_sent(request):
    return render(
        request, "accounts/password_reset_sent.html", {"minutes": settings.PASSWORD_RESET_TIMEOUT // 60}
    )


@public
@sensitive_post_parameters("new_password", "new_password_again")
def password_reset_link(request):
    """Where a mailed link lands: a new password for its account, then back to sign in."""
    if "token" in request.GET:
        # Moved into the session and out of the address, its history and any Referer at once.
        request.session[RESET_LINK_KEY] = {key: request.GET.get(key, "") for key in ("account", "token")}
        return redirect("accounts:password_reset_link")
    user = passwords.account_from_reset_link(passwords.ResetLink(**_held_link(request)))
    if user is None:
        request.session.pop(RESET_LINK_KEY, None)
        return render(request, "accounts/password_reset_link.html", {"form": None})
    form = NewPasswordForm(user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.user.is_authenticated:
            logout(request)  # a reset signs no one in, and leaves no session of the account open
        passwords.password_reset_complete(
            user=user, password=form.cleaned_data["new_password"], request=request
        )
        request.session.pop(RESET_LINK_KEY, None)
        messages.success(
            request, "Your password is changed. Sign in with it and the code from your authenticator app."
        )
        return redirect("accounts:login")
    return render(request, "accounts/password_reset_link.html", {"form": form, "subject": user})


@signed_in
@require_POST
def my_token_issue(request):
    """A token for the signed-in member of staff (second factor verified), for a working day."""
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _my_account_page(request, form, status=400)
    token, secret = tokens.api_token_issue(
        user=request.user, actor=request.user, label=form.cleaned_data["label"], request=request
    )
    return _show_token_once(request, request.user, token, secret)


@signed_in
@require_POST
def my_token_revoke(request, ref: str):
    token = get_object_or_404(tokens.tokens_of(request.user), digest__startswith=_ref(ref))
    tokens.api_token_revoke(token=token, actor=request.user, request=request)
    messages.success(request, "Token revoked.")
    return redirect("accounts:my_account")


@requires("accounts.view_user")
def user_list(request):
    locked = locked_usernames()
    users = [(user, user.username in locked) for user in users_for_administration()]
    return render(request, "accounts/user_list.html", {"users": users})


@requires("accounts.add_user")
@sensitive_post_parameters("password")
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user, secret = services.user_create(
            username=data["username"],
            password=data["password"],
            roles=data["roles"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            staff_number=data["staff_number"],
            actor=request.user,
            password_change_required=True,
            request=request,
        )
        messages.success(request, f"Account {user.username} created.")
        return _show_secret_once(request, user, secret)
    return render(request, "accounts/user_form.html", {"form": form})


@requires("accounts.view_user")
def user_detail(request, pk: int):
    return _user_page(request, get_object_or_404(users_for_administration(), pk=pk))


def _user_page(
    request,
    user: User,
    *,
    roles_form: UserRolesForm | None = None,
    token_form: TokenForm | None = None,
    status: int = 200,
):
    """An account as administrators see it; a form given bound came back with errors (shown at
    the top, above the page's other forms left as they were)."""
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": user,
            "locked_from": account_locked_from(username=user.username),
            "address_locks": address_locks_met(username=user.username),
            "roles_form": roles_form or UserRolesForm(initial={"roles": user.role_names}),
            "events": security_events(username=user.username)[:20],
            "tokens": tokens.tokens_of(user),
            "token_form": token_form or (TokenForm() if not user.has_portal_access else None),
        },
        status=status,
    )


@requires("accounts.change_user")
@require_POST
def user_token_issue(request, pk: int):
    """A token for a machine account; staff are issued theirs only after their own sign-in."""
    user = get_object_or_404(users_for_administration(), pk=pk)
    form = TokenForm(request.POST)
    if user.has_portal_access or not user.is_active:
        raise PermissionDenied("Tokens are issued here only to active machine accounts.")
    if not form.is_valid():
        return _user_page(request, user, token_form=form, status=400)
    token, secret = tokens.api_token_issue(
        user=user, actor=request.user, label=form.cleaned_data["label"], request=request
    )
    return _show_token_once(request, user, token, secret)


@requires("accounts.change_user")
@require_POST
def user_token_revoke(request, pk: int, ref: str):
    user = get_object_or_404(users_for_administration(), pk=pk)
    token = get_object_or_404(tokens.tokens_of(user), digest__startswith=_ref(ref))
    tokens.api_token_revoke(token=token, actor=request.user, request=request)
    messages.success(request, "Token revoked.")
    return redirect("accounts:user_detail", pk=pk)


@requires("accounts.change_user")
@require_POST
def user_action(request, pk: int, action: str):
    user = get_object_or_404(users_for_administration(), pk=pk)
    if user == request.user and action in {"disable", "roles"}:
        raise PermissionDenied("You cannot disable yourself or change your own roles.")
    if action == "roles":
        form = UserRolesForm(request.POST)
        if not form.is_valid():
            return _user_page(request, user, roles_form=form, status=400)
        services.user_set_roles(
            user=user, roles=form.cleaned_data["roles"], actor=request.user, request=request
        )
        messages.success(request, "Roles saved.")
    elif action == "unlock":
        services.user_unlock(user=user, actor=request.user, request=request)
        messages.success(request, "Account unlocked.")
    elif action == "unlock-address":
        address = request.POST.get("address", "")
        if address not in address_locks_met(username=user.username):
            messages.error(request, "That address is not locked, or this account has not tried from it.")
            return redirect("accounts:user_detail", pk=pk)
        services.address_unlock(address=address, user=user, actor=request.user, request=request)
        messages.success(request, f"Address {address} unlocked for every account.")
    elif action in {"disable", "enable"}:
        services.user_set_active(user=user, active=action == "enable", actor=request.user, request=request)
        messages.success(request, f"Account {action}d.")
    elif action == "reset-second-factor":
        secret = services.user_reset_second_factor(user=user, actor=request.user, request=request)
        return _show_secret_once(request, user, secret)
    else:
        raise Http404("No such action.")
    return redirect("accounts:user_detail", pk=pk)


def _show_token_once(request, user: User, token, secret: str):
    # Like the second factor's secret: in the POST's own answer only, never stored.
    response = render(
        request, "accounts/token_issued.html", {"subject": user, "token": token, "secret": secret}
    )
    return response


def _ref(ref: str) -> str:
    # A token is named in URLs by the start of its hash, never by the token itself; too short
    # a start could name several.
    if len(ref) < ApiToken.REF_LENGTH:
        raise Http404("No such token.")
    return ref


def _held_link(request) -> dict[str, str]:
    held = request.session.get(RESET_LINK_KEY)
    if not isinstance(held, dict):
        return {"account": "", "token": ""}
    return {"account": str(held.get("account", "")), "token": str(held.get("token", ""))}


def _show_secret_once(request, user: User, secret: str | None):
    # Rendered in the POST's own response and never stored in a page anyone can reload.
    if secret is None:
        return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/enrolment.html", {"subject": user, **totp_enrolment(user, secret)})
