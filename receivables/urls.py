from django.urls import path

from receivables import apis

urlpatterns = [
    # trade background
    path("trade-contracts", apis.TradeContractListApi.as_view(), name="trade-contract-list"),
    path("trade-contracts/create", apis.TradeContractCreateApi.as_view(),
         name="trade-contract-create"),
    path("trade-contracts/<id:pk>", apis.TradeContractDetailApi.as_view(),
         name="trade-contract-detail"),
    path("trade-contracts/<id:pk>/download", apis.TradeContractDownloadApi.as_view(),
         name="trade-contract-download"),
    path("invoices", apis.InvoiceListApi.as_view(), name="invoice-list"),
    path("invoices/create", apis.InvoiceCreateApi.as_view(), name="invoice-create"),
    path("invoices/<id:pk>", apis.InvoiceDetailApi.as_view(), name="invoice-detail"),
    path("invoices/<id:pk>/download", apis.InvoiceDownloadApi.as_view(),
         name="invoice-download"),
    # vouchers
    path("vouchers", apis.VoucherListApi.as_view(), name="voucher-list"),
    path("vouchers/issue", apis.VoucherIssueApi.as_view(), name="voucher-issue"),
    path("vouchers/maturities", apis.VoucherMaturitiesApi.as_view(), name="voucher-maturities"),
    path("vouchers/<id:pk>", apis.VoucherDetailApi.as_view(), name="voucher-detail"),
    path("vouchers/<id:pk>/accept", apis.VoucherAcceptApi.as_view(), name="voucher-accept"),
    path("vouchers/<id:pk>/reject", apis.VoucherRejectApi.as_view(), name="voucher-reject"),
    # pieces
    path("pieces", apis.PieceListApi.as_view(), name="piece-list"),
    path("pieces/<id:token_id>", apis.PieceDetailApi.as_view(), name="piece-detail"),
    path("pieces/<id:token_id>/lineage", apis.PieceLineageApi.as_view(), name="piece-lineage"),
    path("pieces/<id:token_id>/transfer", apis.PieceTransferApi.as_view(),
         name="piece-transfer"),
    path("pieces/<id:token_id>/split", apis.PieceSplitApi.as_view(), name="piece-split"),
    path("pieces/<id:token_id>/freeze", apis.PieceFreezeApi.as_view(), name="piece-freeze"),
    path("pieces/<id:token_id>/unfreeze", apis.PieceUnfreezeApi.as_view(),
         name="piece-unfreeze"),
    path("holdings", apis.HoldingsApi.as_view(), name="holdings"),
    path("piece-operations", apis.PieceOperationListApi.as_view(), name="piece-operation-list"),
    path("piece-operations/<id:pk>", apis.PieceOperationDetailApi.as_view(),
         name="piece-operation-detail"),
    path("debtor-notices", apis.DebtorNoticeListApi.as_view(), name="debtor-notice-list"),
    path("debtor-notices/<id:pk>", apis.DebtorNoticeDetailApi.as_view(),
         name="debtor-notice-detail"),
]
