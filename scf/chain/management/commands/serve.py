"""Run the whole platform: database migrated, broker checked, chain node started (the embedded
anvil unless SCF_CHAIN_RPC_URL is set), contracts deployed once, then the web server. Every
missing part is reported as one line saying which part and how to fix it."""

import signal
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.utils import Error as DatabaseError

from scf.chain.deployment import ensure_deployed
from scf.chain.node import embedded_node
from scf.chain.schedule import start_embedded_schedule
from scf.errors import ApplicationError
from scf.health import check_broker, check_chain


class Command(BaseCommand):
    help = "Start the platform: migrate, start/check the chain, deploy contracts, serve HTTP."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--check", action="store_true",
                            help="prepare everything, then stop instead of serving")
        parser.add_argument("--no-demo", action="store_true",
                            help="do not seed the demo scenario into an empty database")

    def handle(self, *args, addrport: str, check: bool, no_demo: bool, **options):
        self._prepare_database()
        broker = check_broker()
        if not broker["ok"]:
            raise CommandError(broker["error"] + " — start it or unset CELERY_BROKER_URL.")

        node = embedded_node() if settings.SCF_CHAIN_EMBEDDED else None
        stop_schedule = None
        # `kill` (SIGTERM) must stop the chain too, as Ctrl-C does: anvil runs in a session of
        # its own so that it can save its state, and would otherwise outlive us.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            if node:
                self.stdout.write(f"Starting the local chain (anvil) on {node.url}, "
                                  f"state in {node.state_path} …")
                node.start()
            self._prepare_chain()
            if not no_demo and not check:
                self._offer_demo()
            if check:
                self.stdout.write(self.style.SUCCESS("Platform ready (--check: not serving)."))
                return
            if settings.CELERY_TASK_ALWAYS_EAGER:  # no worker, no beat: the gateway's own
                stop_schedule = start_embedded_schedule()
            self.stdout.write(self.style.SUCCESS(f"scf is running at http://{addrport}/ "
                                                 "(Ctrl-C to stop)"))
            # Static files come through the URLconf (scf.spa.static_file), not runserver's own
            # handler, which answers a path like /static/../manage.py with a 500.
            call_command("runserver", addrport, use_reloader=False, use_static_handler=False)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        finally:
            if stop_schedule:
                stop_schedule.set()
            if node:
                self.stdout.write("Stopping the local chain (state saved) …")
                node.stop()

    def _prepare_database(self) -> None:
        db = settings.DATABASES["default"]
        try:
            connection.ensure_connection()
        except DatabaseError as exc:
            raise CommandError(
                f"数据库不可用 / Database unavailable ({db['ENGINE'].rsplit('.', 1)[-1]} "
                f"{db.get('HOST') or db['NAME']}): {str(exc).strip().splitlines()[0]} — start it "
                "or fix DATABASE_URL (unset it to use the embedded SQLite)."
            ) from exc
        call_command("migrate", interactive=False, verbosity=0)

    def _offer_demo(self) -> None:
        """An empty platform shows nothing: seed the demo scenario (manage.py demo) once."""
        from scf.accounts.models import Organisation

        if Organisation.objects.exists():
            return
        self.stdout.write("Empty database: seeding the demo scenario (skip with --no-demo) …")
        call_command("demo", stdout=self.stdout, stderr=self.stderr)

    def _prepare_chain(self) -> None:
        chain = check_chain()
        if not chain["ok"]:
            raise CommandError(chain["error"])
        addresses = ensure_deployed()
        for name, address in addresses.items():
            self.stdout.write(f"  {name:<16} {address}")
