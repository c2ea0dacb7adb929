"""Reads of the receivables domain, scoped to what the user may see.

Who sees what:
- the platform operator and the regulator read everything;
- a core enterprise: the trade contracts, vouchers and debtor notices it is the debtor of, and
  every piece of its vouchers (it owes their holders), with the whole lineage tree (穿透);
- a supplier or a bank: the trade contracts it is a party to, the vouchers it received or whose
  credit line it granted, the pieces it holds now (and their ancestry), the trade background of
  the vouchers it holds pieces of, and the debtor notices it is a party to.
Another organisation's object one cannot see answers 404, not 403.
"""

import time
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.shortcuts import get_object_or_404

from receivables.models import (
    DebtorNotice,
    Invoice,
    PieceOperation,
    TradeContract,
    Voucher,
    VoucherInvoice,
)
from scf.accounts.models import Organisation
from scf.accounts.permissions import is_member, reads_all_organisations
from scf.chain.models import ChainEvent, PieceState, SlotState
from scf.clock import date_of
from scf.pieces.claims import Claim

# Pieces that still carry value towards their root's face value.
LIVE_PIECE_STATUSES = (PieceState.Status.PENDING, PieceState.Status.ACTIVE,
                       PieceState.Status.LOCKED, PieceState.Status.OVERDUE)
# What an organisation "holds": accepted value it may use or is owed.
HELD_PIECE_STATUSES = (PieceState.Status.ACTIVE, PieceState.Status.LOCKED,
                       PieceState.Status.OVERDUE)
LIVE_VOUCHER_STATUSES = (Voucher.Status.PENDING, Voucher.Status.ACCEPTING,
                         Voucher.Status.ACCEPTED, Voucher.Status.REJECTING)


def _address(user) -> str | None:
    organisation = user.organisation
    return organisation.chain_account.address if organisation.chain_account_id else None


def _org_field(address_ref, field_name: str):
    return Subquery(Organisation.objects.filter(chain_account__address=address_ref)
                    .values(field_name)[:1])


def _held_roots(address: str | None):
    return PieceState.objects.filter(owner=address or "-").values("root_id")


def _debtor_roots(address: str | None):
    return SlotState.objects.filter(debtor=address or "-").values("root_id")


# --- trade background -------------------------------------------------------------------------

def trade_contract_list(*, user) -> QuerySet[TradeContract]:
    if not is_member(user):
        return TradeContract.objects.none()
    contracts = TradeContract.objects.select_related("debtor", "supplier")
    if reads_all_organisations(user):
        return contracts
    organisation_id = user.organisation_id
    visible = TradeContract.objects.filter(
        Q(debtor_id=organisation_id) | Q(supplier_id=organisation_id)
        | Q(vouchers__bank_id=organisation_id)
        | Q(vouchers__token_id__in=_held_roots(_address(user)))).values("pk")
    return contracts.filter(pk__in=visible)


def trade_contract_get(*, user, pk: int) -> TradeContract:
    return get_object_or_404(trade_contract_list(user=user), pk=pk)


def invoice_list(*, user) -> QuerySet[Invoice]:
    if not is_member(user):
        return Invoice.objects.none()
    live_voucher = Subquery(VoucherInvoice.objects.filter(
        invoice=OuterRef("pk"), released_at__isnull=True).values("voucher_id")[:1])
    return (Invoice.objects.select_related("trade_contract")
            .filter(trade_contract__in=trade_contract_list(user=user))
            .annotate(backing_voucher_id=live_voucher))


def invoice_get(*, user, pk: int) -> Invoice:
    return get_object_or_404(invoice_list(user=user), pk=pk)


# --- vouchers -----------------------------------------------------------------------------------

def _voucher_scope(user) -> Q | None:
    """None: every voucher; else the condition on what the user's organisation may see."""
    if reads_all_organisations(user):
        return None
    organisation_id = user.organisation_id
    return (Q(debtor_id=organisation_id) | Q(supplier_id=organisation_id)
            | Q(bank_id=organisation_id))


def voucher_list(*, user) -> QuerySet[Voucher]:
    """Vouchers I issued (debtor), received (supplier) or whose credit line I granted (bank)."""
    if not is_member(user):
        return Voucher.objects.none()
    vouchers = (Voucher.objects
                .select_related("debtor", "supplier", "bank", "trade_contract", "approval",
                                "issue_intent", "response_intent", "proposed_by",
                                "approved_by")
                .prefetch_related("invoice_links__invoice")
                .annotate(settled_fen=Subquery(SlotState.objects.filter(
                              root_id=OuterRef("token_id")).values("settled_amount")[:1]),
                          root_status=Subquery(PieceState.objects.filter(
                              token_id=OuterRef("token_id")).values("status")[:1])))
    scope = _voucher_scope(user)
    return vouchers if scope is None else vouchers.filter(scope)


def voucher_get(*, user, pk: int) -> Voucher:
    return get_object_or_404(voucher_list(user=user), pk=pk)


def voucher_invoice_numbers(root_id: int) -> set[str]:
    """The invoices the root voucher cites (its trade background), by number."""
    return set(VoucherInvoice.objects.filter(voucher__token_id=root_id).values_list(
        "invoice__number", flat=True))


def voucher_list_pending_acceptance(*, user) -> QuerySet[Voucher]:
    """The supplier's inbox: issued to it on chain, waiting for its acceptance."""
    return voucher_list(user=user).filter(supplier_id=user.organisation_id,
                                          status=Voucher.Status.PENDING)


def voucher_maturities(*, user) -> QuerySet:
    """Live vouchers on chain grouped by debtor and maturity date, soonest first: what each
    core enterprise must fund when (到期日历). Rows: debtor_id, debtor__name,
    debtor__credit_code, maturity_date,
    vouchers, face_value_fen. A core enterprise sees its own; the platform and the regulator
    every debtor's."""
    if not is_member(user):
        return Voucher.objects.none()
    vouchers = Voucher.objects.filter(status__in=LIVE_VOUCHER_STATUSES)
    if not reads_all_organisations(user):
        vouchers = vouchers.filter(debtor_id=user.organisation_id)
    return (vouchers.values("debtor_id", "debtor__name", "debtor__credit_code", "maturity_date")
            .annotate(vouchers=Count("pk"), face_value_fen=Sum("face_value_fen"))
            .order_by("maturity_date", "debtor_id"))


# --- pieces (the chain's projection) ------------------------------------------------------------

def _annotated_pieces(pieces: QuerySet[PieceState]) -> QuerySet[PieceState]:
    slot = SlotState.objects.filter(root_id=OuterRef("root_id"))
    return (pieces
            .annotate(debtor_address=Subquery(slot.values("debtor")[:1]),
                      maturity=Subquery(slot.values("maturity")[:1]),
                      face_value=Subquery(slot.values("face_value")[:1]),
                      holder_id=_org_field(OuterRef("owner"), "pk"),
                      holder_name=_org_field(OuterRef("owner"), "name"),
                      voucher_id=Subquery(Voucher.objects.filter(token_id=OuterRef("root_id"))
                                          .values("pk")[:1]))
            .annotate(debtor_id=_org_field(OuterRef("debtor_address"), "pk"),
                      debtor_name=_org_field(OuterRef("debtor_address"), "name"),
                      lock_bank_name=_org_field(OuterRef("lock_bank"), "name"))
            .order_by("root_id", "token_id"))


def piece_list(*, user) -> QuerySet[PieceState]:
    """Pieces I hold now, and every piece of the vouchers I am the debtor of."""
    if not is_member(user):
        return PieceState.objects.none()
    pieces = _annotated_pieces(PieceState.objects.all())
    if reads_all_organisations(user):
        return pieces
    address = _address(user)
    if address is None:
        return pieces.none()
    return pieces.filter(Q(owner=address) | Q(root_id__in=_debtor_roots(address)))


def piece_get(*, user, token_id: int) -> PieceState:
    return get_object_or_404(piece_list(user=user), token_id=token_id)


def piece_is_held_by(piece: PieceState, user) -> bool:
    address = _address(user) if is_member(user) else None
    return address is not None and piece.owner == address


def piece_voucher(piece: PieceState) -> Voucher | None:
    """The business record of the piece's root (debtor, trade, invoices, maturity)."""
    return (Voucher.objects.select_related("debtor", "supplier", "bank", "trade_contract")
            .prefetch_related("invoice_links__invoice")
            .filter(token_id=piece.root_id).first())


@dataclass(frozen=True)
class MovementBlock:
    """Why the holder cannot transfer, split or finance the piece now (the code is the API
    error's that trying would get)."""

    code: str
    message: str


def piece_movement_block(piece: PieceState, claims: list[Claim], *,
                         now: int | None = None) -> MovementBlock | None:
    """The first reason no movement of the piece can succeed now, as the chain and the
    platform would refuse it: its status (locked for financing, not accepted, settled…),
    a judicial freeze, maturity, a claim on the whole piece. A claim on part of it leaves the
    rest free to transfer (None then)."""
    status = PieceState.Status(piece.status)
    if status == PieceState.Status.LOCKED:
        bank = getattr(piece, "lock_bank_name", None) or piece.lock_bank
        return MovementBlock("piece_locked", f"已为融资锁定（{bank}） / Locked for financing "
                                             f"with {bank}")
    if status != PieceState.Status.ACTIVE:
        zh, _, en = str(status.label).partition(" / ")
        return MovementBlock("piece_not_active", f"凭证状态为“{zh}”，不能转让或拆分 / The "
                                                 f"piece is {en}: it cannot move")
    if piece.frozen:
        return MovementBlock("piece_frozen", "已被司法冻结，不能转让、拆分或融资 / Frozen by a "
                                             "judicial order: it cannot move")
    maturity = getattr(piece, "maturity", None)
    if maturity and (now if now is not None else int(time.time())) >= maturity:
        return MovementBlock("piece_matured", "已到期，只待清分 / Matured: it now waits for "
                                              "settlement")
    whole = next((claim for claim in claims if claim.amount_fen is None), None)
    if whole is not None:
        return MovementBlock(whole.kind, whole.message)
    return None


@dataclass
class HoldingGroup:
    debtor: Organisation | None
    debtor_address: str
    maturity_date: date | None
    pieces: int = 0
    total_fen: int = 0
    token_ids: list[int] = field(default_factory=list)


def holding_pieces(*, user) -> QuerySet[PieceState]:
    """The live, accepted pieces my organisation holds (PieceState.owner is my address)."""
    if not is_member(user):
        return PieceState.objects.none()
    return _annotated_pieces(PieceState.objects.filter(
        owner=_address(user) or "-", status__in=HELD_PIECE_STATUSES))


def holdings(*, pieces: QuerySet[PieceState]) -> list[HoldingGroup]:
    """The pieces grouped by debtor and maturity, soonest maturity first."""
    groups: dict[tuple[str, int], HoldingGroup] = {}
    rows = pieces.values_list("token_id", "balance", "debtor_address", "maturity")
    for token_id, balance, debtor_address, maturity in rows:
        key = (debtor_address or "", maturity or 0)
        group = groups.get(key)
        if group is None:
            group = groups[key] = HoldingGroup(debtor=None, debtor_address=key[0],
                                               maturity_date=date_of(key[1]))
        group.pieces += 1
        group.total_fen += balance
        group.token_ids.append(token_id)
    debtors = organisations_by_address(address for address, _ in groups)
    for group in groups.values():
        group.debtor = debtors.get(group.debtor_address)
    return [groups[key] for key in sorted(groups, key=lambda k: (k[1], k[0]))]


def organisations_by_address(addresses) -> dict[str, Organisation]:
    return {org.chain_account.address: org for org in Organisation.objects.select_related(
        "chain_account").filter(chain_account__address__in=set(addresses))}


# --- lineage (穿透) ------------------------------------------------------------------------------

@dataclass
class LineageNode:
    token_id: int
    parent_id: int
    depth: int
    owner: str
    holder: Organisation | None
    balance: int
    status: int
    frozen: bool
    lock_bank: str
    created_tx_hash: str
    created_block: int | None


@dataclass
class Lineage:
    piece: PieceState
    root_id: int
    debtor: Organisation | None
    maturity_date: date | None
    face_value_fen: int
    settled_fen: int
    outstanding_fen: int
    ancestry: list[LineageNode] = field(default_factory=list)
    tree: list[LineageNode] | None = None

    @property
    def conserved(self) -> bool:
        return self.outstanding_fen + self.settled_fen == self.face_value_fen


def sees_whole_tree(*, user, debtor_address: str | None) -> bool:
    """The full tree (every holder of every piece) is for the debtor, the platform operator and
    the regulator; a holder sees its piece's ancestry only."""
    if reads_all_organisations(user):
        return True
    address = _address(user) if is_member(user) else None
    return address is not None and address == debtor_address


def piece_lineage(*, user, token_id: int) -> Lineage:
    piece = piece_get(user=user, token_id=token_id)
    root_id = piece.root_id
    slot = SlotState.objects.filter(root_id=root_id).first()
    pieces = {p.token_id: p for p in PieceState.objects.filter(root_id=root_id)}
    created = {}
    events = ChainEvent.objects.filter(
        Q(name="PieceDerived", args__rootId=root_id) | Q(name="VoucherIssued",
                                                         args__tokenId=root_id),
        contract="VoucherLedger").order_by("block_number", "log_index")
    for event in events:
        created.setdefault(int(event.args["tokenId"]), (event.tx_hash, event.block_number))
    holders = organisations_by_address([p.owner for p in pieces.values()]
                                       + ([slot.debtor] if slot else []))

    def node(p: PieceState, depth: int) -> LineageNode:
        tx_hash, block = created.get(p.token_id, ("", None))
        return LineageNode(token_id=p.token_id, parent_id=p.parent_id, depth=depth,
                           owner=p.owner, holder=holders.get(p.owner), balance=p.balance,
                           status=p.status, frozen=p.frozen, lock_bank=p.lock_bank,
                           created_tx_hash=tx_hash, created_block=block)

    chain, current = [], pieces.get(token_id)
    while current is not None:
        chain.append(current)
        current = pieces.get(current.parent_id) if current.parent_id else None
    ancestry = [node(p, depth) for depth, p in enumerate(reversed(chain))]

    tree = None
    if sees_whole_tree(user=user, debtor_address=slot.debtor if slot else None):
        children: dict[int, list[PieceState]] = {}
        for p in pieces.values():
            children.setdefault(p.parent_id, []).append(p)
        tree, stack = [], [(pieces[root_id], 0)] if root_id in pieces else []
        while stack:  # depth first, children in token id order
            p, depth = stack.pop()
            tree.append(node(p, depth))
            stack.extend((c, depth + 1) for c in sorted(children.get(p.token_id, []),
                                                        key=lambda c: -c.token_id))
    outstanding = sum(p.balance for p in pieces.values() if p.status in LIVE_PIECE_STATUSES)
    return Lineage(piece=piece, root_id=root_id,
                   debtor=holders.get(slot.debtor) if slot else None,
                   maturity_date=date_of(slot.maturity) if slot else None,
                   face_value_fen=slot.face_value if slot else 0,
                   settled_fen=slot.settled_amount if slot else 0,
                   outstanding_fen=outstanding, ancestry=ancestry, tree=tree)


# --- operations and debtor notices -------------------------------------------------------------

def piece_operation_list(*, user) -> QuerySet[PieceOperation]:
    """Operations my organisation asked for, on pieces it held or received, or on vouchers it
    is the debtor of."""
    if not is_member(user):
        return PieceOperation.objects.none()
    operations = PieceOperation.objects.select_related(
        "organisation", "holder", "to_organisation", "debtor", "intent", "requested_by")
    if reads_all_organisations(user):
        return operations
    organisation_id = user.organisation_id
    return operations.filter(Q(organisation_id=organisation_id) | Q(holder_id=organisation_id)
                             | Q(to_organisation_id=organisation_id)
                             | Q(debtor_id=organisation_id))


def piece_operation_get(*, user, pk: int) -> PieceOperation:
    return get_object_or_404(piece_operation_list(user=user), pk=pk)


def debtor_notice_list(*, user) -> QuerySet[DebtorNotice]:
    """Notices of my vouchers (debtor), or of transfers I made or received."""
    if not is_member(user):
        return DebtorNotice.objects.none()
    notices = DebtorNotice.objects.select_related("debtor", "from_organisation",
                                                  "to_organisation", "voucher")
    if reads_all_organisations(user):
        return notices
    organisation_id = user.organisation_id
    return notices.filter(Q(debtor_id=organisation_id) | Q(from_organisation_id=organisation_id)
                          | Q(to_organisation_id=organisation_id))


def debtor_notice_get(*, user, pk: int) -> DebtorNotice:
    return get_object_or_404(debtor_notice_list(user=user), pk=pk)
