"""The receivables API: trade background, issuance with maker-checker, acceptance, transfers,
splits, freezes, lineage, holdings and debtor notices. One view per operation; every view
fetches through a selector and makes at most one service call. Chain-backed actions answer 202
with the operation to poll (GET /api/operations/<id>); in eager mode it is already final."""

from .common import (  # noqa: F401
    CanFreeze,
    CanMovePieces,
    CanProposeIssue,
    CanRecordInvoice,
    CanRecordTrade,
    CanRespond,
    DocumentOutputSerializer,
    K,
    PieceOperationAcceptedSerializer,
    VoucherOperationAcceptedSerializer,
    document_of,
)
from .notices import (  # noqa: F401
    DebtorNoticeDetailApi,
    DebtorNoticeListApi,
    DebtorNoticeOutputSerializer,
    PieceOperationDetailApi,
    PieceOperationListApi,
    debtor_notice_text,
)
from .pieces import (  # noqa: F401
    HoldingGroupOutputSerializer,
    HoldingsApi,
    HoldingsPagination,
    LineageNodeSerializer,
    LineageOutputSerializer,
    PieceDetailApi,
    PieceDetailOutputSerializer,
    PieceFreezeApi,
    PieceLineageApi,
    PieceListApi,
    PieceOperationOutputSerializer,
    PieceOutputSerializer,
    PieceSplitApi,
    PieceTransferApi,
    PieceUnfreezeApi,
    PieceVoucherSerializer,
)
from .trade import (  # noqa: F401
    InvoiceCreateApi,
    InvoiceDetailApi,
    InvoiceDownloadApi,
    InvoiceListApi,
    InvoiceOutputSerializer,
    TradeContractCreateApi,
    TradeContractDetailApi,
    TradeContractDetailOutputSerializer,
    TradeContractDownloadApi,
    TradeContractListApi,
    TradeContractOutputSerializer,
    TradeRefSerializer,
)
from .vouchers import (  # noqa: F401
    VoucherAcceptApi,
    VoucherDetailApi,
    VoucherInvoiceSerializer,
    VoucherIssueApi,
    VoucherListApi,
    VoucherMaturitiesApi,
    VoucherMaturityOutputSerializer,
    VoucherOutputSerializer,
    VoucherRejectApi,
)
