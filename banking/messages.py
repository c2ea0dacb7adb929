"""Every notification banking sends, worded once: the services pass a kind and its parameters
(`notify(bank, "financing.applied", link=..., applicant=..., amount_fen=...)`). A `kind:variant`
key words one kind differently for different readers or moments. Audit entries carry action
codes and summaries only, so they have no wording here."""

from scf.notifications.catalogue import Catalogue, Message

CATALOGUE = Catalogue({
    # credit lines
    "credit_line.changed": Message(
        "授信已生效：{bank} ¥{limit_fen:yuan}，至 {expires_on}，状态 {status:zh}",
        "Credit line in force: {bank} ¥{limit_fen:yuan} until {expires_on}, {status:en}"),
    "credit_line.failed": Message(
        "授信调整上链失败", "Credit line change failed: {error_name}"),
    "credit_line.expired": Message(
        "授信已到期", "Credit line expired: {bank} → {core_enterprise}"),
    # financing
    "financing.applied": Message(
        "新融资申请", "New financing application: {applicant} ¥{amount_fen:yuan}"),
    "financing.applied:multi_bank": Message(
        "新融资申请（多家银行报价）",
        "New financing application (several banks quote): {applicant} ¥{amount_fen:yuan}"),
    "financing.failed:lock": Message(
        "融资锁定未成功", "The financing lock failed: {error_name}"),
    "financing.failed:approve": Message(
        "放款审批上链失败", "approveFinancing failed: {error_name}"),
    "financing.quote_offered": Message(
        "{bank} 报价：实付 ¥{net_proceeds_fen:yuan}（年利率 {annual_rate}，{days} 天）",
        "{bank} offers net proceeds of ¥{net_proceeds_fen:yuan} ({annual_rate} a year, "
        "{days} days)", body="{formula}"),
    "financing.financed": Message(
        "{bank} 已批准融资：实付 ¥{net_proceeds_fen:yuan}",
        "{bank} approved the financing: net proceeds ¥{net_proceeds_fen:yuan}", body="{formula}"),
    "financing.disbursed": Message(
        "{bank} 已放款 ¥{amount_fen:yuan}（{disbursed_on}，流水 {payment_reference}）",
        "{bank} disbursed ¥{amount_fen:yuan} ({disbursed_on}, payment reference "
        "{payment_reference})"),
    "financing.declined": Message(
        "{bank} 拒绝了融资申请", "{bank} declined the application", body="{reason}"),
    "financing.declined:lock_released": Message(
        "{bank} 拒绝了融资申请，锁定已解除", "{bank} declined: the lock is released",
        body="{reason}"),
    "financing.lapse:withdrawn": Message(
        "融资申请已撤回", "The financing application was withdrawn"),
    "financing.lapse:other_accepted": Message(
        "供应商已接受其他银行的报价，本行报价失效",
        "The supplier accepted another bank's quote: yours has lapsed"),
    # clearing
    "clearing.due": Message(
        "到期清分：{count} 笔凭证共 ¥{total_fen:yuan} 待付款确认",
        "Maturity clearing: {count} pieces due"),
    "clearing.failed": Message(
        "清分上链失败", "Settlement failed on chain: {error_name}"),
    "clearing.settled": Message(
        "到期清分：{core_enterprise} 已付 ¥{amount_fen:yuan}（流水 {payment_reference}）",
        "Maturity clearing: {core_enterprise} paid ¥{amount_fen:yuan} (payment reference "
        "{payment_reference})"),
    "clearing.overdue:core": Message(
        "逾期提醒：{count} 笔凭证共 ¥{total_fen:yuan} 已逾期未付",
        "Overdue reminder: pay the holders and confirm the clearing"),
    "clearing.overdue:holder": Message(
        "逾期提醒：{core_enterprise} 到期未付 ¥{amount_fen:yuan}", "Overdue reminder"),
})


def notification(key: str, **params) -> dict[str, str]:
    """The kind, title and body of one notification (see `scf.notifications.catalogue`)."""
    return CATALOGUE.notification(key, **params)
