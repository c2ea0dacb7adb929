"""The chain gateway: the only package of scf that imports web3. Everything the platform does on
chain goes through here: compiling, the embedded node, deployment and (later) the outbox."""

import sys

# py_ecc (imported by web3's eth stack) raises the interpreter's recursion limit to 100,000 at
# import. With that limit a deeply nested request body overflows the C stack and kills the whole
# process (a segfault) before any RecursionError can be raised and answered. Import it here,
# first, so the package's import is what raises the limit, then put Python's default back: every
# later import of web3 finds py_ecc loaded and leaves the limit alone. scf never needs deeper
# recursion (py_ecc's pairing code, which might, is not used: we sign with coincurve).
import py_ecc  # noqa: F401, E402 — imported for its side effect, undone just below

RECURSION_LIMIT = 1000  # Python's own default
sys.setrecursionlimit(RECURSION_LIMIT)
