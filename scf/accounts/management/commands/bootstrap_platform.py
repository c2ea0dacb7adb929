import os
from getpass import getpass

from django.core.management.base import BaseCommand, CommandError

from scf.accounts.models import Organisation, OrganisationKind
from scf.accounts.services import organisation_create
from scf.errors import ApplicationError


class Command(BaseCommand):
    help = ("Create the platform operator's organisation and its first administrator (once), "
            "so that organisations can then be admitted through the API. The password comes "
            "from SCF_BOOTSTRAP_PASSWORD or a prompt. The first administrator's role is the one "
            "grant without a checker (nobody exists yet to check it); until the platform has a "
            "second administrator, that administrator's grants take effect at once too "
            "(scf/accounts/grants.py).")

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--credit-code", required=True)
        parser.add_argument("--legal-representative", required=True)
        parser.add_argument("--registered-address", required=True)
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--person-id", required=True,
                            help="the administrator's mobile or resident ID number (only its "
                                 "keyed hash is stored)")

    def handle(self, *args, **options):
        existing = Organisation.objects.filter(kind=OrganisationKind.PLATFORM).first()
        if existing:
            self.stdout.write(f"platform operator already exists: {existing} (id {existing.pk})")
            return
        password = os.environ.get("SCF_BOOTSTRAP_PASSWORD") or getpass("administrator password: ")
        try:
            organisation = organisation_create(
                actor=None, kind=OrganisationKind.PLATFORM, name=options["name"],
                credit_code=options["credit_code"],
                legal_representative=options["legal_representative"],
                registered_address=options["registered_address"],
                admin_username=options["username"], admin_password=password,
                admin_email=options["email"], admin_person_id=options["person_id"])
        except ApplicationError as exc:
            raise CommandError(f"{exc.message}: {exc.extra}") from exc
        self.stdout.write(self.style.SUCCESS(
            f"platform operator {organisation} (id {organisation.pk}) with administrator "
            f"{options['username']}"))
