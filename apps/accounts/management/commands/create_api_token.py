"""Create (or return) a user's API token and print it as the last word of the output."""

from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import User
from apps.accounts.services import api_token_issue


class Command(BaseCommand):
    help = "Create or return USERNAME's API token; the token is the last word printed."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as missing:
            raise CommandError(f"No user named {username!r}.") from missing
        if not user.is_active:
            raise CommandError(f"{username!r} is disabled; enable the account first.")
        self.stdout.write(f"API token for {username}: {api_token_issue(user=user)}")
