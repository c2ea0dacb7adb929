"""Settings for the test suite: the embedded platform's (scf/settings.py), selected the way the
run command selects it. Production is the default, and it refuses to start without its secrets;
the tests run on the in-repo development keys. Set in os.environ, so the servers and workers the
tests start as subprocesses inherit it."""

import os

os.environ.setdefault("SCF_DEBUG", "true")

from scf.settings import *  # noqa: E402, F403

# The session's anvil node keeps no state file: its blocks are final by depth alone. A test of
# the embedded node's finality sets the file it runs with.
SCF_CHAIN_STATE_FILE = ""
