"""Writes of the receivables domain: trade background, the issuance of root vouchers with
maker-checker, the supplier's acceptance or rejection, transfers and splits of pieces, judicial
freezes, and the debtor notices confirmed transfers produce.

Every service runs in one transaction, locks the row it changes, checks an explicit table of
allowed transitions, validates everything it can before writing anything (reading the chain's
views, which are the authority), sends chain work only through the outbox
(organisation_intent_enqueue) and ends with an audit entry. The chain still has the last word:
an intent that reverts fails with its decoded error, and its outcome hook puts the business rows
back as they were."""

from .common import (  # noqa: F401
    ISSUE_ACTION,
    LEDGER,
    OPERATION_TRANSITIONS,
    OPS,
    RESERVING_STATUSES,
    VOUCHER_TRANSITIONS,
    VS,
    PieceStatus,
    chain_address,
    invoice_chain_hash,
    max_split_parts,
    organisation_by_address,
    sha256_hex,
    trade_contract_hash,
)
from .issuance import (  # noqa: F401
    voucher_issue_execute,
    voucher_issue_outcome,
    voucher_issue_propose,
    voucher_proposal_close,
    voucher_summary,
)
from .notices import (  # noqa: F401
    debtor_notice_record,
    piece_operation_outcome,
)
from .pieces import (  # noqa: F401
    check_piece_movable,
    operation_in_flight_claim,
    operation_in_flight_claims,
    piece_freeze,
    piece_operation_summary,
    piece_split,
    piece_transfer,
    piece_unfreeze,
)
from .response import (  # noqa: F401
    voucher_accept,
    voucher_reject,
    voucher_response_outcome,
)
from .trade import (  # noqa: F401
    invoice_create,
    invoice_summary,
    trade_contract_create,
    trade_contract_summary,
)
