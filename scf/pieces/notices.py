"""The debtor notice (债权转让通知) hook: every confirmed movement of value must be notified to
the debtor (Civil Code art. 546). receivables owns the notices and registers the recorder in
its AppConfig.ready(); banking (a financing approval hands a piece to the bank) records through
this hook instead of importing receivables."""

from collections.abc import Callable

Recorder = Callable[..., object]
_recorder: list[Recorder] = []


def register_debtor_notice_recorder(recorder: Recorder) -> Recorder:
    _recorder[:] = [recorder]
    return recorder


def record_debtor_notice(*, kind: str, intent, debtor, from_organisation, to_organisation,
                         root_id: int, from_token_id: int, to_token_id: int,
                         amount_fen: int) -> object:
    """Record one debtor notice through the registered recorder (idempotent per intent and new
    holding, as the recorder is)."""
    if not _recorder:
        raise RuntimeError("no debtor notice recorder registered: is receivables installed?")
    return _recorder[0](kind=kind, intent=intent, debtor=debtor,
                        from_organisation=from_organisation, to_organisation=to_organisation,
                        root_id=root_id, from_token_id=from_token_id, to_token_id=to_token_id,
                        amount_fen=amount_fen)
