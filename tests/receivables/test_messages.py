"""receivables words every notification in receivables/messages.py: the services pass a key and
its parameters only."""

from pathlib import Path

import pytest

import receivables
from receivables import messages
from tests.notification_wording import (
    check_catalogue,
    check_missing_parameters,
    check_rendering,
    scan,
)

APP = Path(receivables.__file__).parent


def test_every_notification_the_services_send_has_its_wording_in_the_catalogue():
    check_catalogue(messages.CATALOGUE, APP)
    keys = {send.key for send in scan(APP)[0]}
    assert {"voucher.to_accept", "voucher.accepted", "voucher.rejected", "piece.received",
            "debtor_notice"} <= keys


def test_an_inline_wording_is_found_by_the_scan(tmp_path):
    """The scan would see a service that words a notification itself again."""
    services = tmp_path / "app" / "services"
    services.mkdir(parents=True)
    (services / "new.py").write_text(
        "def f(voucher):\n"
        "    notification_send(organisation=voucher.debtor, kind='voucher.x',\n"
        "                      title=f'新 / New {voucher.pk}')\n")
    sends, inline = scan(tmp_path / "app")
    assert sends == [] and len(inline) == 2 and "new.py:2" in inline[0]


def test_every_entry_renders_bilingual_with_its_parameters():
    check_rendering(messages.CATALOGUE)


def test_todays_wording_is_kept():
    assert messages.notification(
        "voucher.to_accept", face_value_fen=100_000_000, debtor="核心企业",
        maturity_date="2027-06-30") == {
        "kind": "voucher.to_accept",
        "title": "待签收电子债权凭证 1,000,000.00 元 / A voucher awaits your acceptance",
        "body": "核心企业 开立，到期日 2027-06-30 / Issued by 核心企业, maturing on 2027-06-30"}
    assert messages.notification("voucher.rejected", supplier="一级供应商", face_value_fen=5,
                                 reason="金额不符") == {
        "kind": "voucher.rejected",
        "title": "一级供应商 已拒签凭证 0.05 元 / The supplier rejected your voucher",
        "body": "金额不符"}
    assert messages.notification(
        "debtor_notice", from_organisation="甲", to_organisation="乙", amount_fen=250,
        kind_label="拆分 / split", root_id=1, from_token_id=1, to_token_id=7)["title"] == (
        "债权转让通知：甲 → 乙 2.50 元 / Debtor notice (拆分 / split)")
    assert messages.notification("piece.frozen", token_id=9)["title"] == (
        "凭证 #9 已被司法冻结 / A piece of yours was frozen")


def test_a_missing_or_unknown_parameter_fails_loudly():
    check_missing_parameters(messages.CATALOGUE)
    with pytest.raises(TypeError, match="token_id"):
        messages.notification("piece.frozen")
    with pytest.raises(TypeError, match="tokenid"):
        messages.notification("piece.frozen", token_id=1, tokenid=1)
    with pytest.raises(KeyError, match="piece.melted"):
        messages.notification("piece.melted", token_id=1)
    with pytest.raises(TypeError, match="fen"):  # an amount is integer fen, never a float
        messages.notification("piece.received", holder="甲", amount_fen=1.5)
