import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from crewplan.workspaces import services


class Command(BaseCommand):
    help = "Create a workspace and its owner (the account is created when it does not exist)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="company name, e.g. 麥香烘焙坊")
        parser.add_argument("--slug", required=True, help="address part: /w/SLUG/")
        parser.add_argument("--owner", required=True, help="owner's e-mail address")
        parser.add_argument(
            "--password",
            help="owner's password when the account is new "
            "(default: a generated one, printed once)",
        )
        parser.add_argument("--language", default="zh-hant", choices=["zh-hant", "en"])

    def handle(
        self,
        *args: Any,
        name: str,
        slug: str,
        owner: str,
        password: str | None,
        language: str,
        **options: Any,
    ) -> None:
        User = get_user_model()
        email = owner.strip().lower()
        generated = None
        try:
            with transaction.atomic():
                user = User.objects.filter(email__iexact=email).first()
                if user is None:
                    email = services.normalize_email(email)
                    if password is None:
                        generated = password = secrets.token_urlsafe(12)
                    user = User.objects.create_user(email, password)
                elif password is not None:
                    raise CommandError(
                        f"{email} already has an account; its password is left as it is. "
                        "Leave out --password."
                    )
                workspace = services.workspace_create(
                    name=name, slug=slug, owner=user, default_language=language
                )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        if generated:
            self.stderr.write(f"Owner account {email} created with password: {generated}")
            self.stderr.write("(shown once; change it after signing in)")
        self.stdout.write(workspace.slug)
