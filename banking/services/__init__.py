"""Writes of bank financing: credit lines, financing applications and quotes, maturity clearing.

Every service is keyword-only, runs in one transaction, locks the row it changes and checks an
explicit table of allowed transitions; audit_record is its last step. A chain action is an
intent (scf.chain) sent from the acting organisation's own account once the transaction
commits; its outcome comes back through the hooks at the end of each section
(`*_on_outcome`, registered in banking.apps), which move the business rows on. A transaction
the chain refuses leaves them where they were, with the decoded error recorded."""

from .clearing import (  # noqa: F401
    LIVE_PIECE_STATUSES,
    clearing_batch_confirm,
    clearing_batch_summary,
    clearing_batches_create_due,
    clearing_batches_resume,
    clearing_mark_overdue,
    clearing_run,
    root_token_ids,
)
from .clearing_outcomes import (  # noqa: F401
    clearing_operation_on_outcome,
)
from .common import (  # noqa: F401
    ACTION_CREDIT_LINE_SET,
    ACTION_FINANCING_QUOTE,
    ADDRESSEE_TRANSITIONS,
    APPLICATION_TRANSITIONS,
    BATCH_TRANSITIONS,
    CHANGE_TRANSITIONS,
    ITEM_TRANSITIONS,
    LINE_TRANSITIONS,
    MAX_BANKS_PER_APPLICATION,
    MAX_INVOICE_REFERENCES,
    QUOTE_TRANSITIONS,
    SELF,
    Addressee,
    App,
    Batch,
    Change,
    Item,
    Line,
    PieceStatus,
    Quote,
)
from .credit_lines import (  # noqa: F401
    credit_line_change_approve,
    credit_line_change_on_outcome,
    credit_line_change_propose,
    credit_line_change_reject,
    credit_line_change_summary,
    credit_line_freeze,
    credit_line_set_execute,
    credit_line_summary,
    credit_line_unfreeze,
    credit_lines_expire_due,
)
from .financing_applications import (  # noqa: F401
    financing_application_create,
    financing_application_summary,
    financing_application_withdraw,
    financing_quote_summary,
)
from .financing_outcomes import (  # noqa: F401
    financing_operation_on_outcome,
)
from .financing_quotes import (  # noqa: F401
    financing_application_decline,
    financing_application_disburse,
    financing_quote_accept,
    financing_quote_approve,
    financing_quote_execute,
    financing_quote_propose,
    financing_quote_reject,
)
