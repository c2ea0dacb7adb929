"""When a mined transaction is final: deep enough (SCF_CHAIN_CONFIRMATIONS) and, on a node
that keeps its state in a file (the embedded anvil), inside the last state the node saved. A
node killed between two saves comes back without its latest blocks: what was mined there was
never final, so no business outcome may have been taken from it."""

import re
from pathlib import Path

from django.conf import settings

_SAVED_BLOCK = re.compile(rb'"best_block_number"\s*:\s*"?(0x[0-9a-fA-F]+|[0-9]+)')
_saved: dict[str, tuple[tuple[int, int], int | None]] = {}


def saved_block(state_file: str | Path | None = None) -> int | None:
    """The block number of the state the node last saved, None when it saved none (or when no
    state file is configured: then blocks are final by depth alone)."""
    path = Path(state_file or settings.SCF_CHAIN_STATE_FILE or "")
    if not str(path) or str(path) == ".":
        return None
    try:
        stat = path.stat()
    except OSError:
        return -1  # configured but not written yet: nothing is final
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _saved.get(str(path))
    if cached and cached[0] == stamp:
        return cached[1]
    try:
        match = _SAVED_BLOCK.search(path.read_bytes())
    except OSError:
        return -1
    # A file caught half-written has no number yet: nothing new is final until the next save.
    number = int(match.group(1), 0) if match else -1
    _saved[str(path)] = (stamp, number)
    return number


def final_block(head: int) -> int:
    """The highest block number whose transactions are final, given the node's head."""
    final = head - settings.SCF_CHAIN_CONFIRMATIONS
    saved = saved_block()
    return final if saved is None else min(final, saved)
