"""Receivables' reconcile checks (registered in ReceivablesConfig.ready(), run by the reconciler,
scf.chain.reconcile_run): what the business records say of vouchers and piece operations holds
on chain.

- "receivables.vouchers": a voucher marked issued has its root on chain with the debtor, bank,
  face value and maturity it was proposed with; while it awaits acceptance its token is pending
  and held by the supplier; once rejected it is cancelled; once accepted it is neither.
- "receivables.piece_operations": the pieces a confirmed split or transfer derived exist on
  chain, in the operation's root."""

from collections.abc import Iterator
from datetime import datetime

from receivables.models import PieceOperation, Voucher
from scf.chain.checks import Finding
from scf.chain.readers import PieceStatus, pieces_of, slots_of

VOUCHERS = "receivables.vouchers"
PIECE_OPERATIONS = "receivables.piece_operations"
ISSUED = (Voucher.Status.PENDING, Voucher.Status.ACCEPTING, Voucher.Status.ACCEPTED,
          Voucher.Status.REJECTING, Voucher.Status.REJECTED)
# The token's status on chain each business status implies (None: any live status).
EXPECTED_STATUS = {Voucher.Status.PENDING: PieceStatus.PENDING,
                   Voucher.Status.REJECTED: PieceStatus.CANCELLED}


def _same(a: str, b: str) -> bool:
    return a.lower() == b.lower()


def vouchers_check(since: datetime | None) -> Iterator[Finding]:
    vouchers = Voucher.objects.filter(status__in=ISSUED, token_id__isnull=False).select_related(
        "debtor__chain_account", "bank__chain_account", "supplier__chain_account")
    if since is not None:
        vouchers = vouchers.filter(updated_at__gte=since)
    vouchers = list(vouchers.order_by("pk"))
    slots = slots_of(v.token_id for v in vouchers)
    pieces = pieces_of(v.token_id for v in vouchers)
    for voucher in vouchers:
        subject = f"voucher {voucher.pk} (token {voucher.token_id}) [{voucher.status}]"
        slot, piece = slots[voucher.token_id], pieces[voucher.token_id]
        if slot is None or piece is None:
            yield Finding(VOUCHERS, subject, "marked issued, but no such voucher on chain")
            continue
        expected = {"debtor": voucher.debtor.chain_account.address,
                    "bank": voucher.bank.chain_account.address,
                    "face_value": voucher.face_value_fen, "maturity": voucher.maturity_at}
        for name, value in expected.items():
            on_chain = getattr(slot, name)
            if not (_same(on_chain, value) if isinstance(value, str) else on_chain == value):
                yield Finding(VOUCHERS, subject, f"{name}: chain={on_chain!r} database={value!r}")
        wanted = EXPECTED_STATUS.get(voucher.status)
        if wanted is not None and piece.status != wanted:
            yield Finding(VOUCHERS, subject, f"token is {piece.status_name} on chain, "
                                             f"{PieceStatus(wanted).name.lower()} expected")
        if voucher.status == Voucher.Status.ACCEPTED and piece.status in (
                PieceStatus.PENDING, PieceStatus.CANCELLED):
            yield Finding(VOUCHERS, subject, f"accepted, but {piece.status_name} on chain")
        supplier = voucher.supplier.chain_account.address
        if voucher.status == Voucher.Status.PENDING and not _same(piece.owner, supplier):
            yield Finding(VOUCHERS, subject, f"held by {piece.owner} on chain, by the supplier "
                                             f"{supplier} in the database")


def piece_operations_check(since: datetime | None) -> Iterator[Finding]:
    operations = PieceOperation.objects.filter(
        status=PieceOperation.Status.CONFIRMED,
        kind__in=[PieceOperation.Kind.SPLIT, PieceOperation.Kind.TRANSFER])
    if since is not None:
        operations = operations.filter(updated_at__gte=since)
    operations = list(operations.order_by("pk").only("pk", "kind", "root_id", "new_token_ids"))
    pieces = pieces_of(int(t) for op in operations for t in op.new_token_ids)
    for operation in operations:
        for token_id in map(int, operation.new_token_ids):
            piece = pieces[token_id]
            subject = f"piece operation {operation.pk} ({operation.kind}) piece {token_id}"
            if piece is None:
                yield Finding(PIECE_OPERATIONS, subject, "confirmed, but no such piece on chain")
            elif piece.root_id != operation.root_id:
                yield Finding(PIECE_OPERATIONS, subject, f"root {piece.root_id} on chain, "
                                                         f"{operation.root_id} in the database")
