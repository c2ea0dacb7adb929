"""banking words every notification in banking/messages.py: the services pass a key and its
parameters only (notify(organisation, key, link=..., **params))."""

from pathlib import Path

import pytest

import banking
from banking import messages
from banking.services.common import notify
from scf.accounts.models import OrganisationKind
from scf.notifications.models import Notification
from tests.factories import organisation_factory
from tests.notification_wording import (
    check_catalogue,
    check_missing_parameters,
    check_rendering,
    scan,
)

APP = Path(banking.__file__).parent


def test_every_notification_the_services_send_has_its_wording_in_the_catalogue():
    check_catalogue(messages.CATALOGUE, APP)
    keys = {send.key for send in scan(APP)[0]}
    # close_for_banks(notice=...) forwards its key to notify: the scan follows it
    assert {"financing.lapse:withdrawn", "financing.lapse:other_accepted",
            "financing.applied", "clearing.due"} <= keys


def test_every_entry_renders_bilingual_with_its_parameters():
    check_rendering(messages.CATALOGUE)


def test_todays_wording_is_kept_and_chinese_only_titles_gain_english():
    applied = messages.notification("financing.applied", applicant="一级供应商",
                                    amount_fen=5_000_000)
    assert applied == {"kind": "financing.applied", "body": "",
                       "title": "新融资申请 / New financing application: 一级供应商 ¥50,000.00"}
    assert messages.notification("financing.lapse:withdrawn")["kind"] == "financing.lapse"
    assert messages.notification("clearing.overdue:holder", core_enterprise="核心企业",
                                 amount_fen=100) == {
        "kind": "clearing.overdue", "body": "",
        "title": "逾期提醒：核心企业 到期未付 ¥1.00 / Overdue reminder"}
    financed = messages.notification("financing.financed", bank="甲银行",
                                     net_proceeds_fen=4_950_000, formula="5,000,000 × …")
    assert financed["title"] == ("甲银行 已批准融资：实付 ¥49,500.00 / 甲银行 approved the "
                                 "financing: net proceeds ¥49,500.00")
    assert financed["body"] == "5,000,000 × …"
    changed = messages.notification("credit_line.changed", bank="甲银行", limit_fen=10**9,
                                    expires_on="2027-12-31", status="有效 / active")
    assert changed["title"] == ("授信已生效：甲银行 ¥10,000,000.00，至 2027-12-31，状态 有效 / "
                                "Credit line in force: 甲银行 ¥10,000,000.00 until 2027-12-31, "
                                "active")


def test_a_missing_or_unknown_parameter_fails_loudly():
    check_missing_parameters(messages.CATALOGUE)
    with pytest.raises(TypeError, match="amount_fen"):
        messages.notification("financing.applied", applicant="甲")
    with pytest.raises(TypeError, match="bilingual"):  # a status label, not its code
        messages.notification("credit_line.changed", bank="甲", limit_fen=1,
                              expires_on="2027-01-01", status="active")
    with pytest.raises(KeyError, match="financing.lapse"):  # a kind alone, its variant unsaid
        messages.notification("financing.lapse")


@pytest.mark.django_db
def test_notify_stores_the_rendered_wording():
    bank = organisation_factory(OrganisationKind.BANK, name="甲银行")
    notify(bank, "financing.declined", link="/api/financing/applications/1", bank=bank.name,
           reason="额度不足")
    notify(None, "financing.declined", bank=bank.name, reason="nobody to tell")
    stored = Notification.objects.get(organisation=bank)
    assert (stored.kind, stored.title, stored.body, stored.link) == (
        "financing.declined", "甲银行 拒绝了融资申请 / 甲银行 declined the application", "额度不足",
        "/api/financing/applications/1")
