"""Seed for scripts/bench_e2e.py, run as a child process with the stack's environment (its
database, its chain), so it writes where the web server and workers read:

    python scripts/bench_e2e_seed.py OUT.json CLIENTS

Through the services the API calls, as `manage.py demo` does: a platform operator, a bank, a core
enterprise (with a credit line), CLIENTS holder suppliers each holding one accepted voucher, and
a receiver; every organisation registered on chain (member registry, as the test suite's
`onboard` fixture does, without the KYC paperwork). Writes what the benchmark needs: API tokens,
pieces, and the holders' chain keys (throw-away development keys on a throw-away chain) for the
raw part's pre-signed transactions."""

import json
import os
import sys
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scf.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from scf import clock  # noqa: E402
from scf.accounts.models import OrganisationKind, Role, User  # noqa: E402

K = OrganisationKind
PASSWORD = "bench-password-2026"  # noqa: S105 (throw-away users of a throw-away database)
FACE_FEN = 10**10  # 1 亿元 per holder: far more than any run transfers (1 yuan each)


def settle() -> None:
    """Every intent driven to its outcome (a no-op when the eager outbox already ran it), a
    failure refused, the projection brought to the chain head (as `manage.py demo` does)."""
    from scf.chain.indexer import index_until_head
    from scf.chain.models import ChainIntent
    from scf.chain.outbox import intent_execute

    S = ChainIntent.Status
    for pk in ChainIntent.objects.filter(status__in=[S.PENDING, S.SUBMITTED]).values_list(
            "pk", flat=True):
        intent_execute(intent_id=pk)
    failed = ChainIntent.objects.filter(status=S.FAILED).first()
    if failed:
        raise SystemExit(f"seed: chain transaction failed: {failed.function} "
                         f"{failed.error_name} {failed.error_message}")
    index_until_head()


class Seeder:
    def __init__(self):
        self.n = 0
        self.platform_admin = None

    def organisation(self, key: str, kind: str, *roles: str):
        from receivables.management.commands.demo import credit_code, demo_mobile
        from scf.accounts.services import (
            member_register_or_update,
            organisation_create,
            user_create,
        )

        self.n += 1
        name = f"基准测试{kind}{self.n:03d}有限公司"
        # Only the platform gets an administrator (the actor creating the others' users): every
        # user costs a password hash, and the smoke test has a minute.
        admin = f"{key}_admin" if kind == K.PLATFORM else ""
        organisation = organisation_create(
            actor=self.platform_admin, kind=kind, name=name,
            credit_code=credit_code(self.n, "320500", kind), legal_representative="张三",
            registered_address="江苏省苏州市工业园区星湖街 328 号", bank_account_name=name,
            bank_name="中国工商银行", bank_account_number=f"6222{self.n:012d}",
            admin_username=admin, admin_password=PASSWORD if admin else "",
            admin_person_id=demo_mobile(self.n * 10) if admin else "")
        users = {}
        if admin:
            self.platform_admin = users[Role.ADMIN] = organisation.users.get(username=admin)
        for i, role in enumerate(roles, start=1):
            users[role] = user_create(actor=self.platform_admin, organisation=organisation,
                                      username=f"{key}_{role}", password=PASSWORD, roles=[role],
                                      person_id=demo_mobile(self.n * 10 + i))
        User.objects.filter(organisation=organisation).update(password_change_required=False)
        if kind != K.PLATFORM:
            member_register_or_update(organisation=organisation,
                                      expires_on=clock.today() + timedelta(days=365),
                                      requested_by=None, case_pk=0, revision=0)
            settle()
            organisation.refresh_from_db()
        organisation.bench_users = users
        return organisation


def voucher_to(core, bank, supplier, n: int):
    """One voucher issued by the core enterprise (maker-checker) and accepted by `supplier`."""
    from receivables.models import Voucher
    from receivables.services import (
        invoice_create,
        trade_contract_create,
        voucher_accept,
        voucher_issue_propose,
    )
    from scf.approvals.services import approval_approve

    today = clock.today()
    operator = core.bench_users[Role.OPERATOR]
    contract = trade_contract_create(user=operator, supplier=supplier, number=f"BENCH-{n:04d}",
                                     title="基准测试采购合同", amount_fen=FACE_FEN,
                                     signed_on=today - timedelta(days=10))
    invoice = invoice_create(user=operator, trade_contract=contract,
                             number=f"{today.year % 100:02d}32{n:08d}{1:08d}",
                             amount_fen=FACE_FEN, issued_on=today - timedelta(days=1))
    voucher = voucher_issue_propose(user=operator, trade_contract=contract, bank=bank,
                                    face_value_fen=FACE_FEN,
                                    maturity_date=today + timedelta(days=180), invoices=[invoice])
    approval_approve(request=voucher.approval, user=core.bench_users[Role.APPROVER])
    settle()
    voucher = Voucher.objects.get(pk=voucher.pk)
    voucher_accept(user=supplier.bench_users[Role.OPERATOR], voucher=voucher)
    settle()
    return Voucher.objects.get(pk=voucher.pk)


def main(out_path: str, clients: int) -> None:
    from banking.services import credit_line_change_approve, credit_line_change_propose
    from scf.accounts.security import token_obtain
    from scf.chain.contracts import abi_of, platform_contract
    from scf.chain.deployment import ensure_deployed
    from scf.chain.keys import decrypt_private_key

    call_command("migrate", interactive=False, verbosity=0)
    ensure_deployed()
    seeder = Seeder()
    seeder.organisation("platform", K.PLATFORM)
    bank = seeder.organisation("bank", K.BANK, Role.OPERATOR, Role.APPROVER)
    core = seeder.organisation("core", K.CORE_ENTERPRISE, Role.OPERATOR, Role.APPROVER)
    receiver = seeder.organisation("receiver", K.SUPPLIER)
    change = credit_line_change_propose(user=bank.bench_users[Role.OPERATOR],
                                        core_enterprise=core, limit_fen=FACE_FEN * (clients + 1),
                                        expires_on=clock.today() + timedelta(days=365))
    credit_line_change_approve(change=change, user=bank.bench_users[Role.APPROVER])
    settle()
    holders = []
    for i in range(clients):
        supplier = seeder.organisation(f"holder{i:02d}", K.SUPPLIER, Role.OPERATOR)
        voucher = voucher_to(core, bank, supplier, i + 1)
        _, token = token_obtain(user=supplier.bench_users[Role.OPERATOR])
        account = supplier.chain_account
        holders.append({"organisation": supplier.pk, "address": account.address,
                        "private_key": decrypt_private_key(account.encrypted_key),
                        "token_id": voucher.token_id, "voucher": voucher.pk, "api_token": token})
    ledger = platform_contract("VoucherLedger")
    transfer_abi = [item for item in abi_of("VoucherLedger")
                    if item.get("name") == "transferValue"]
    with open(out_path, "w") as out:
        json.dump({"ledger": ledger.address, "transfer_abi": transfer_abi,
                   "receiver": {"organisation": receiver.pk,
                                "address": receiver.chain_account.address},
                   "holders": holders}, out, indent=1)
    print(f"seeded: {clients} holders, receiver {receiver.pk}, ledger {ledger.address}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
