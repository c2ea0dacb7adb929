"""Every notification receivables sends, worded once: the services pass a kind and its
parameters (`notification_send(..., **messages.notification("piece.received", ...))`). Audit
entries carry action codes and summaries only, so they have no wording here."""

from scf.notifications.catalogue import Catalogue, Message

CATALOGUE = Catalogue({
    "voucher.to_accept": Message(
        "待签收电子债权凭证 {face_value_fen:yuan} 元", "A voucher awaits your acceptance",
        body=("{debtor} 开立，到期日 {maturity_date}",
              "Issued by {debtor}, maturing on {maturity_date}")),
    "voucher.issue_failed": Message(
        "凭证开立失败", "Voucher issue failed: {error_name}", body="{error_message}"),
    "voucher.accepted": Message(
        "{supplier} 已签收凭证 {face_value_fen:yuan} 元", "The supplier accepted your voucher"),
    "voucher.rejected": Message(
        "{supplier} 已拒签凭证 {face_value_fen:yuan} 元", "The supplier rejected your voucher",
        body="{reason}"),
    "piece.received": Message(
        "收到 {holder} 转让的凭证 {amount_fen:yuan} 元", "You received a voucher piece"),
    "piece.frozen": Message("凭证 #{token_id} 已被司法冻结", "A piece of yours was frozen"),
    "piece.unfrozen": Message("凭证 #{token_id} 已解冻", "A piece of yours was unfrozen"),
    "debtor_notice": Message(
        "债权转让通知：{from_organisation} → {to_organisation} {amount_fen:yuan} 元",
        "Debtor notice ({kind_label})",
        body=("凭证 #{root_id} 项下 #{from_token_id} → #{to_token_id}",
              "Voucher #{root_id}: piece #{from_token_id} → #{to_token_id}")),
})


def notification(key: str, **params) -> dict[str, str]:
    """The kind, title and body of one notification (see `scf.notifications.catalogue`)."""
    return CATALOGUE.notification(key, **params)
