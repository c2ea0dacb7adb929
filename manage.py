#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scf.settings")
    if sys.argv[1:2] == ["serve"] and not os.environ.get("SCF_SECRET_KEY"):
        # `serve` runs the embedded demo (what `bin/scf run` starts): debug mode and the in-repo
        # development keys, unless SCF_DEBUG says otherwise or the process was given its
        # production secret. Every other entry point (WSGI, ASGI, Celery, the other commands)
        # defaults to production. Settings are read on the first access, after this line.
        os.environ.setdefault("SCF_DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
