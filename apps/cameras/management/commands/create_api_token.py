"""Issue an API token for USERNAME (binding a machine account to its cameras first) and print it
as the last word of the output. An administrator's command: staff issue their own tokens in the
portal, after signing in with both factors."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import User
from apps.accounts.tokens import api_token_issue
from apps.cameras.bindings import camera_account_bind
from apps.core.times import shown


class Command(BaseCommand):
    help = (
        "Issue a new API token for USERNAME; the token is the last word printed. "
        "--cameras binds a machine account to exactly those cameras."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--cameras",
            help="CODE[,CODE...]: the cameras this machine account may post for (replaces its set).",
        )
        parser.add_argument(
            "--in-vehicle", action="store_true", help="Mark the account as an in-vehicle unit."
        )
        parser.add_argument(
            "--days", type=int, help="Days the token lasts (default: the setting for the account)."
        )
        parser.add_argument("--label", default="", help="What the token is for.")

    def handle(
        self,
        *args,
        username: str,
        cameras: str | None,
        in_vehicle: bool,
        days: int | None,
        label: str,
        **options,
    ) -> None:
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as missing:
            raise CommandError(f"No user named {username!r}.") from missing
        if not user.is_active:
            raise CommandError(f"{username!r} is disabled; enable the account first.")
        if days is not None and days < 1:
            raise CommandError("--days must be 1 or more.")
        if days is not None and user.has_portal_access:
            raise CommandError(
                "A member of staff's token lasts a working day (STAFF_TOKEN_HOURS); --days is for machines."
            )
        if cameras is not None or in_vehicle:
            codes = [code for code in (cameras or "").split(",") if code.strip()]
            try:
                binding = camera_account_bind(
                    account=user, camera_codes=codes, in_vehicle_unit=in_vehicle or None, actor=None
                )
            except ValidationError as refused:
                raise CommandError(" ".join(refused.messages)) from refused
            bound = ", ".join(binding.cameras.values_list("code", flat=True)) or "no camera"
            self.stdout.write(f"{username} may post reads for: {bound}.")
        token, secret = api_token_issue(
            user=user,
            actor=None,
            label=label or "issued by command",
            lifetime=timedelta(days=days) if days else None,
        )
        self.stdout.write(f"Expires {shown(token.expiry)}. Shown once; keep it safe.")
        self.stdout.write(f"API token for {username}: {secret}")
