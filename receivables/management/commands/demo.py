"""`manage.py demo`: seed a realistic scenario on an empty database, through the services the API
calls (never raw chain calls), each by the user who would call its endpoint, and onboarding first
checked against that endpoint's permission classes: the platform operator, 2 banks, 2 core
enterprises, 12 suppliers in 3 tiers and a regulator, each KYC-approved and registered on chain;
credit lines granted with maker-checker; 20 vouchers issued with maker-checker and accepted;
splits and transfers down three tiers; financings submitted, quoted, approved and disbursed; a
few vouchers matured (on the embedded chain the clock is moved forward a few hours), cleared and
settled.

Every chain action is driven to its outcome here (a no-op when the eager outbox already ran it),
so the command also works with a Celery worker behind a broker."""

import io
import time
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from scf import clock
from scf.accounts.credit_code import CHARSET, check_character
from scf.accounts.models import Organisation, OrganisationKind, Role, User
from scf.errors import ApplicationError

PASSWORD = "demo-password-2026"  # noqa: S105  (a demo password, printed at the end)
YUAN = 100
K = OrganisationKind

# key, kind, name, area code (GB/T 2260), registered address, legal representative
ORGANISATIONS = [
    ("platform", K.PLATFORM, "链融科技平台运营有限公司", "520100",
     "贵州省贵阳市观山湖区长岭北路 55 号", "周明远"),
    ("bank1", K.BANK, "黔中银行股份有限公司", "520100",
     "贵州省贵阳市观山湖区林城西路 95 号", "杨国华"),
    ("bank2", K.BANK, "浙东商业银行股份有限公司", "330100",
     "浙江省杭州市上城区民心路 288 号", "沈建平"),
    ("core1", K.CORE_ENTERPRISE, "华南电子集团有限公司", "440300",
     "广东省深圳市南山区科技园北区 8 号", "陈志强"),
    ("core2", K.CORE_ENTERPRISE, "西部建工集团有限公司", "510100",
     "四川省成都市高新区天府大道 1199 号", "李建国"),
    # tier 1
    ("supplier01", K.SUPPLIER, "深圳鹏达精密电子有限公司", "440300",
     "广东省深圳市宝安区福永街道 12 号", "王海涛"),
    ("supplier02", K.SUPPLIER, "东莞华信电路板有限公司", "441900",
     "广东省东莞市长安镇振安路 66 号", "刘文斌"),
    ("supplier03", K.SUPPLIER, "成都蜀建钢结构有限公司", "510100",
     "四川省成都市新都区工业大道 18 号", "赵德明"),
    ("supplier04", K.SUPPLIER, "重庆渝通建材有限公司", "500100",
     "重庆市渝北区空港大道 210 号", "孙立军"),
    # tier 2
    ("supplier05", K.SUPPLIER, "惠州联创电子材料有限公司", "441300",
     "广东省惠州市仲恺高新区 3 号", "黄晓东"),
    ("supplier06", K.SUPPLIER, "佛山顺德五金制品有限公司", "440600",
     "广东省佛山市顺德区容桂街道 9 号", "梁永康"),
    ("supplier07", K.SUPPLIER, "绵阳川西混凝土有限公司", "510700",
     "四川省绵阳市涪城区塘汛镇 27 号", "何光荣"),
    ("supplier08", K.SUPPLIER, "贵阳黔丰机械租赁有限公司", "520100",
     "贵州省贵阳市白云区云环路 16 号", "罗成刚"),
    # tier 3
    ("supplier09", K.SUPPLIER, "中山明辉包装材料有限公司", "442000",
     "广东省中山市火炬开发区 21 号", "吴春生"),
    ("supplier10", K.SUPPLIER, "江门恒力化工有限公司", "440700",
     "广东省江门市新会区今古洲 5 号", "郑国庆"),
    ("supplier11", K.SUPPLIER, "遵义鑫达运输有限公司", "520300",
     "贵州省遵义市汇川区上海路 77 号", "邓红兵"),
    ("supplier12", K.SUPPLIER, "德阳汇丰劳务有限公司", "510600",
     "四川省德阳市旌阳区泰山南路 40 号", "唐建华"),
    ("regulator", K.REGULATOR, "南海市地方金融管理局", "440600",
     "广东省佛山市南海区桂城街道南海大道 1 号", "马振东"),
]
ROLES = {K.PLATFORM: (Role.OPERATOR, Role.APPROVER), K.REGULATOR: (Role.OPERATOR, Role.VIEWER)}
DEFAULT_ROLES = (Role.OPERATOR, Role.APPROVER)


def demo_mobile(n: int) -> str:
    """A demo user's natural person: a well-formed mobile number of the 138 0000 range."""
    return f"1380000{n:04d}"

# which tier-1 supplier trades with which core enterprise, and who pays whom further down
TIER1 = {"core1": ["supplier01", "supplier02"], "core2": ["supplier03", "supplier04"]}
TIER2 = {"supplier01": ["supplier05", "supplier06"], "supplier02": ["supplier06", "supplier05"],
         "supplier03": ["supplier07", "supplier08"], "supplier04": ["supplier08", "supplier07"]}
TIER3 = {"supplier05": "supplier09", "supplier06": "supplier10", "supplier07": "supplier11",
         "supplier08": "supplier12"}
# credit lines: bank, core, limit in yuan
LINES = [("bank1", "core1", 50_000_000), ("bank2", "core2", 40_000_000),
         ("bank2", "core1", 20_000_000)]
# vouchers: core, tier-1 supplier, line bank, face in yuan, maturity (days; 0 = soonest), plan
VOUCHERS = [
    ("core1", "supplier01", "bank1", 1_000_000, 0, "three_tiers_financed"),
    ("core1", "supplier02", "bank1", 360_000, 0, "two_tiers"),
    ("core2", "supplier03", "bank2", 800_000, 0, "three_tiers_financed"),
    ("core2", "supplier04", "bank2", 250_000, 0, "hold"),
    ("core1", "supplier01", "bank1", 2_800_000, 90, "three_tiers_financed"),
    ("core1", "supplier01", "bank2", 1_500_000, 120, "financing_quoted"),
    ("core1", "supplier01", "bank1", 680_000, 60, "two_tiers"),
    ("core1", "supplier02", "bank1", 1_200_000, 45, "tier3_financed"),
    ("core1", "supplier02", "bank1", 450_000, 150, "financing_submitted"),
    ("core1", "supplier02", "bank2", 920_000, 180, "three_tiers"),
    ("core1", "supplier01", "bank1", 330_000, 30, "hold"),
    ("core1", "supplier02", "bank1", 120_000, 75, "pending"),
    ("core2", "supplier03", "bank2", 2_000_000, 90, "three_tiers_financed"),
    ("core2", "supplier03", "bank2", 760_000, 60, "financing_approved"),
    ("core2", "supplier03", "bank2", 1_050_000, 120, "tier3_financed"),
    ("core2", "supplier04", "bank2", 540_000, 45, "two_tiers"),
    ("core2", "supplier04", "bank2", 1_600_000, 150, "three_tiers"),
    ("core2", "supplier04", "bank2", 300_000, 30, "financing_quoted"),
    ("core2", "supplier03", "bank2", 880_000, 180, "hold"),
    ("core2", "supplier04", "bank2", 410_000, 100, "two_tiers"),
]
OTHER_BANK = {"bank1": "bank2", "bank2": "bank1"}


def credit_code(n: int, area: str, kind: str) -> str:
    """A valid unified social credit code: registration authority 9 (industry and commerce)
    category 1 (enterprise), or 1 1 (government body) for the regulator."""
    prefix = "11" if kind == K.REGULATOR else "91"
    body, value = "", 7_300_000 + n * 7_919
    for _ in range(9):
        value, digit = divmod(value, len(CHARSET))
        body = CHARSET[digit] + body
    first17 = prefix + area + body
    return first17 + check_character(first17)


def pdf_bytes(text: str) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


def fmt_yuan(fen: int) -> str:
    yuan, cents = divmod(fen, 100)
    return f"¥{yuan:,}.{cents:02d}"


class Command(BaseCommand):
    help = ("Seed a demo scenario on an empty database: platform, 2 banks, 2 core enterprises, "
            "12 suppliers in 3 tiers, a regulator, credit lines, ~20 vouchers with splits, "
            "transfers, financings and settlements. Refuses if organisations already exist.")

    def handle(self, *args, **options):
        if Organisation.objects.exists():
            raise CommandError("数据库已有机构，demo 只在空数据库上运行 / The database already has "
                               "organisations: demo only seeds an empty database.")
        started = time.monotonic()
        node = self._start_chain()
        try:
            self._seed()
        except ApplicationError as exc:
            raise CommandError(f"{exc.message} {exc.extra or ''}".strip()) from exc
        finally:
            if node:
                self._line("stopping the local chain (state saved)")
                node.stop()
        self._line(f"done in {time.monotonic() - started:.0f} s")
        self._summary()

    # --- plumbing -------------------------------------------------------------------------------

    def _line(self, text: str) -> None:
        self.stdout.write(f"[demo] {text}")
        self.stdout.flush()

    def _start_chain(self):
        """The embedded anvil when it is not already running (as `serve` does), then the
        contracts deployed once."""
        from scf.chain.deployment import ensure_deployed
        from scf.chain.node import embedded_node
        from scf.health import check_chain

        node = None
        if not check_chain()["ok"]:
            if not settings.SCF_CHAIN_EMBEDDED:
                raise CommandError(f"链节点不可用 / Chain node unavailable at "
                                   f"{settings.SCF_CHAIN_RPC_URL}: {check_chain()['error']}")
            node = embedded_node()
            self._line(f"starting the local chain (anvil) on {node.url}")
            node.start()
        ensure_deployed()
        self._line(f"chain ready at {settings.SCF_CHAIN_RPC_URL}, contracts deployed")
        return node

    def _settle(self) -> None:
        """Drive every chain intent to its outcome (the worker's job; a no-op when the eager
        outbox already did it), refuse a failure, and bring the projection up to the head."""
        from scf.chain.indexer import index_until_head
        from scf.chain.models import ChainIntent
        from scf.chain.outbox import intent_execute

        S = ChainIntent.Status
        for intent_id in ChainIntent.objects.not_final().order_by("pk").values_list(
                "pk", flat=True):
            intent_execute(intent_id=intent_id)
        failed = ChainIntent.objects.filter(status=S.FAILED, pk__gt=self._checked_intent).first()
        if failed:
            raise CommandError(f"链上交易失败 / Chain transaction failed: {failed.function} "
                               f"{failed.error_name} {failed.error_message}")
        last = ChainIntent.objects.order_by("-pk").values_list("pk", flat=True).first()
        self._checked_intent = last or 0
        index_until_head()

    def _user(self, key: str, role: str):
        return self.users[f"{key}_{role}"]

    # --- the scenario ---------------------------------------------------------------------------

    def _seed(self) -> None:
        self._checked_intent = 0
        self.users, self.orgs = {}, {}
        self.today = clock.today()
        self.counts = {"splits": 0, "transfers": 0, "applications": 0, "quotes": 0,
                       "financed": 0, "disbursed": 0}
        self._organisations()
        self._kyc()
        self._credit_lines()
        vouchers = self._vouchers()
        self._movements(vouchers)
        self._mature_and_clear(vouchers)

    def _allowed(self, user, capability: str) -> None:
        """Refuse what the API would refuse: the permission classes of the endpoint doing it
        (scf/accounts/capabilities.py), so that the demo, calling the services directly, cannot
        do what no user could do in the browser (as it once onboarded a regulator whose
        administrator the API answered 403)."""
        from scf.accounts.capabilities import capabilities_for

        if not capabilities_for(user)[capability]:
            raise CommandError(f"{user.username} ({user.organisation.get_kind_display()}) may "
                               f"not {capability} through the API")

    def _organisations(self) -> None:
        from scf.accounts.services import organisation_create, user_create
        from scf.approvals.services import approval_approve

        # As on a new platform: the platform's first administrator as bootstrap_platform makes
        # it (no actor), then every other organisation admitted by that administrator
        # (POST /api/organisations/create) with its own administrator, who creates its users
        # (POST /api/users/create). The platform's administrator, its only one, grants at once;
        # another administrator's grant of the approver role waits for a checker, the
        # platform's administrator (POST /api/users/grants/<id>/approve), as
        # scf/accounts/grants.py has it. Every demo user is a distinct natural person.
        platform_admin = None
        for n, (key, kind, name, area, address, legal) in enumerate(ORGANISATIONS, start=1):
            if platform_admin is not None:
                self._allowed(platform_admin, "manage_organisations")
            organisation = organisation_create(
                actor=platform_admin, kind=kind, name=name, credit_code=credit_code(n, area, kind),
                legal_representative=legal, registered_address=address,
                bank_account_name=name, bank_name="中国工商银行" if kind != K.BANK else name,
                bank_account_number=f"6222{n:04d}{int(area):06d}{n * 37:05d}",
                admin_username=f"{key}_admin", admin_password=PASSWORD,
                admin_person_id=demo_mobile(len(self.users)))
            self.orgs[key] = organisation
            admin = organisation.users.get(username=f"{key}_admin")
            self.users[f"{key}_admin"] = admin
            if kind == K.PLATFORM:
                platform_admin = admin
            self._allowed(admin, "manage_users")
            for role in ROLES.get(kind, DEFAULT_ROLES):
                user = user_create(
                    actor=admin, organisation=organisation, username=f"{key}_{role}",
                    password=PASSWORD, roles=[role], person_id=demo_mobile(len(self.users)))
                if user.pending_grant is not None:
                    self._allowed(platform_admin, "manage_users")
                    grant = approval_approve(request=user.pending_grant, user=platform_admin)
                    if grant.status != "executed":
                        raise CommandError(f"grant of {role} to {user.username}: {grant.status} "
                                           f"{grant.result}")
                    user = User.objects.get(pk=user.pk)
                self.users[f"{key}_{role}"] = user
        # The demo's users keep the well-known password it prints: no forced change.
        User.objects.filter(pk__in=[user.pk for user in self.users.values()]).update(
            password_change_required=False)
        kinds = {}
        for _, kind, *_ in ORGANISATIONS:
            kinds[kind] = kinds.get(kind, 0) + 1
        self._line("organisations and users created: " + ", ".join(
            f"{count} {kind}" for kind, count in kinds.items()) + f"; {len(self.users)} users")

    def _kyc(self) -> None:
        from scf.kyc.models import KycDocument
        from scf.kyc.services import (
            kyc_case_approve,
            kyc_case_create,
            kyc_case_submit,
            kyc_document_upload,
        )

        reviewer = self._user("platform", Role.APPROVER)
        expires_on = self.today + timedelta(days=365)
        for key, kind, *_ in ORGANISATIONS:
            if kind == K.PLATFORM:
                continue
            organisation, admin = self.orgs[key], self._user(key, Role.ADMIN)
            self._allowed(admin, "prepare_kyc")
            case = kyc_case_create(organisation=organisation, actor=admin)
            for document in KycDocument.Kind.values:
                kyc_document_upload(case=case, actor=admin, kind=document, file=SimpleUploadedFile(
                    f"{document}.pdf", pdf_bytes(f"{document} {organisation.credit_code}"),
                    content_type="application/pdf"))
            case = kyc_case_submit(case=case, actor=admin)
            self._allowed(reviewer, "review_kyc")
            kyc_case_approve(case=case, actor=reviewer, expires_on=expires_on)
            self._settle()
            organisation.refresh_from_db()
        self._line(f"KYC approved and members registered on chain: {len(ORGANISATIONS) - 1} "
                   f"organisations, valid until {expires_on}")

    def _credit_lines(self) -> None:
        from banking.services import credit_line_change_approve, credit_line_change_propose

        for bank, core, limit_yuan in LINES:
            change = credit_line_change_propose(
                user=self._user(bank, Role.OPERATOR), core_enterprise=self.orgs[core],
                limit_fen=limit_yuan * YUAN, expires_on=self.today + timedelta(days=365))
            credit_line_change_approve(change=change, user=self._user(bank, Role.APPROVER))
            self._settle()
        self._line("credit lines granted (maker-checker): " + "; ".join(
            f"{self.orgs[b].name} → {self.orgs[c].name} {fmt_yuan(v * YUAN)}"
            for b, c, v in LINES))

    def _soonest_maturity(self) -> date:
        """The first date whose 00:00 (Asia/Shanghai) is still ahead of the chain's clock."""
        from scf.chain.readers import chain_now

        day = clock.today() + timedelta(days=1)
        while clock.start_of_day(day) <= chain_now() + 600:
            day += timedelta(days=1)
        return day

    def _vouchers(self) -> list[dict]:
        from receivables.models import Voucher
        from receivables.services import (
            invoice_create,
            trade_contract_create,
            voucher_accept,
            voucher_issue_propose,
        )
        from scf.approvals.services import approval_approve

        soonest = self._soonest_maturity()
        issued_on = clock.today()
        vouchers = []
        for n, (core, supplier, bank, face_yuan, days, plan) in enumerate(VOUCHERS, start=1):
            operator = self._user(core, Role.OPERATOR)
            face = face_yuan * YUAN
            contract = trade_contract_create(
                user=operator, supplier=self.orgs[supplier], number=f"HT-{issued_on.year}-{n:04d}",
                title="电子元器件采购合同" if core == "core1" else "工程材料采购合同",
                amount_fen=face + face // 4, signed_on=issued_on - timedelta(days=20 + n))
            invoices = [invoice_create(
                user=operator, trade_contract=contract,
                number=f"{issued_on.year % 100:02d}{44 if core == 'core1' else 51}"
                       f"{n:08d}{part:08d}",
                amount_fen=amount, issued_on=issued_on - timedelta(days=part))
                for part, amount in enumerate((face // 2, face - face // 2), start=1)]
            maturity = soonest if days == 0 else issued_on + timedelta(days=days)
            voucher = voucher_issue_propose(
                user=operator, trade_contract=contract, bank=self.orgs[bank],
                face_value_fen=face, maturity_date=maturity, invoices=invoices)
            approval = approval_approve(request=voucher.approval,
                                        user=self._user(core, Role.APPROVER))
            if approval.status != "executed":
                raise CommandError(f"issue {n} not executed: {approval.status} {approval.result}")
            self._settle()
            voucher = Voucher.objects.get(pk=voucher.pk)
            if plan != "pending":
                voucher_accept(user=self._user(supplier, Role.OPERATOR), voucher=voucher)
                self._settle()
            vouchers.append({"n": n, "voucher": voucher, "root": voucher.token_id, "core": core,
                             "tier1": supplier, "bank": bank, "face": face, "plan": plan,
                             "maturity": maturity, "invoice": invoices[0].number,
                             "contract": contract.number})
        self._line(f"{len(vouchers)} vouchers issued (maker-checker) and "
                   f"{sum(v['plan'] != 'pending' for v in vouchers)} accepted; "
                   f"{sum(v['maturity'] == soonest for v in vouchers)} mature on {soonest}, the "
                   f"others in 30–180 days; total "
                   f"{fmt_yuan(sum(v['face'] for v in vouchers))}")
        return vouchers

    # --- splits, transfers, financings ----------------------------------------------------------

    def _split(self, holder: str, token_id: int, amounts: list[int]) -> list[int]:
        from receivables.services import piece_split

        operation = piece_split(user=self._user(holder, Role.OPERATOR), token_id=token_id,
                                amounts_fen=amounts)
        self._settle()
        operation.refresh_from_db()
        self.counts["splits"] += 1
        return operation.new_token_ids

    def _transfer(self, holder: str, token_id: int, to: str, amount: int) -> int:
        from receivables.services import piece_transfer

        operation = piece_transfer(user=self._user(holder, Role.OPERATOR), token_id=token_id,
                                   to_organisation=self.orgs[to], amount_fen=amount)
        self._settle()
        operation.refresh_from_db()
        self.counts["transfers"] += 1
        return (operation.new_token_ids or [token_id])[0]

    def _finance(self, v: dict, holder: str, token_id: int, amount: int, bank: str,
                 stage: str = "disbursed", rate: str = "0.0385", fees_yuan: int = 200) -> None:
        from banking.models import FinancingApplication
        from banking.services import (
            financing_application_create,
            financing_application_disburse,
            financing_quote_approve,
            financing_quote_propose,
        )

        application = financing_application_create(
            user=self._user(holder, Role.OPERATOR), token_id=token_id, amount_fen=amount,
            banks=[self.orgs[bank]], invoice_numbers=[v["invoice"]],
            trade_reference=v["contract"])
        self._settle()
        self.counts["applications"] += 1
        if stage == "submitted":
            return
        application = FinancingApplication.objects.get(pk=application.pk)
        quote = financing_quote_propose(
            application=application, user=self._user(bank, Role.OPERATOR),
            annual_rate=Decimal(rate), fees_fen=fees_yuan * YUAN, value_date=self.today)
        self.counts["quotes"] += 1
        if stage == "quoted":
            return
        financing_quote_approve(quote=quote, user=self._user(bank, Role.APPROVER))
        self._settle()
        self.counts["financed"] += 1
        if stage == "approved":
            return
        application = FinancingApplication.objects.get(pk=application.pk)
        financing_application_disburse(
            application=application, user=self._user(bank, Role.OPERATOR),
            payment_reference=f"PAY-{self.today:%Y%m%d}-{application.pk:04d}",
            disbursed_on=self.today)
        self.counts["disbursed"] += 1

    def _movements(self, vouchers: list[dict]) -> None:
        for v in vouchers:
            plan, root, face, t1 = v["plan"], v["root"], v["face"], v["tier1"]
            t2a, t2b = TIER2[t1]
            bank, other = v["bank"], OTHER_BANK[v["bank"]]
            if plan in ("pending", "hold"):
                continue
            if plan == "two_tiers":
                self._transfer(t1, root, t2a, face * 2 // 5)
            elif plan in ("three_tiers", "three_tiers_financed", "tier3_financed"):
                a, b = self._split(t1, root, [face * 3 // 10, face // 5, face - face // 2])
                piece_a = self._transfer(t1, a, t2a, face * 3 // 10)  # whole piece, same id
                self._transfer(t1, b, t2b, face // 5)
                t3_piece = self._transfer(t2a, piece_a, TIER3[t2a], face // 10)
                if plan == "three_tiers_financed":
                    # tier 1 discounts a part of what it kept with the line bank, and tier 3
                    # its whole piece with the other bank
                    self._finance(v, t1, root, face // 4, bank)
                    self._finance(v, TIER3[t2a], t3_piece, face // 10, other, rate="0.0420")
                elif plan == "tier3_financed":
                    self._finance(v, TIER3[t2a], t3_piece, face // 10, bank, stage="approved",
                                  rate="0.0410")
            elif plan == "financing_quoted":
                self._finance(v, t1, root, face // 2, bank, stage="quoted", rate="0.0365")
            elif plan == "financing_submitted":
                self._finance(v, t1, root, face * 3 // 5, other, stage="submitted")
            elif plan == "financing_approved":
                self._finance(v, t1, root, face, bank, stage="approved", rate="0.0375")
        c = self.counts
        self._line(f"movements: {c['splits']} splits, {c['transfers']} transfers (debtor "
                   f"notices issued); financing: {c['applications']} applications, "
                   f"{c['quotes']} quoted, {c['financed']} approved (pieces passed to the "
                   f"bank), {c['disbursed']} disbursed")

    # --- maturity and clearing ------------------------------------------------------------------

    def _mature_and_clear(self, vouchers: list[dict]) -> None:
        from banking.models import ClearingBatch
        from banking.services import clearing_batch_confirm, clearing_run
        from scf.chain.indexer import index_until_head
        from scf.chain.node import chain_travel
        from scf.chain.readers import chain_now

        soonest = min(v["maturity"] for v in vouchers)
        due = [v for v in vouchers if v["maturity"] == soonest]
        maturity_at = due[0]["voucher"].maturity_at
        if not settings.SCF_CHAIN_EMBEDDED:
            self._line(f"not the embedded chain: {len(due)} vouchers mature on {soonest} and "
                       "will be cleared by the scheduled task; no settlement seeded")
            return
        # From chain time, not the wall clock alone: the chain may run ahead of it (an earlier
        # run moved it), and evm_increaseTime moves the node's clock from there.
        skew = max(0, maturity_at - chain_now()) + 60
        chain_travel(skew)
        self._line(f"chain clock moved forward {skew // 3600} h {skew % 3600 // 60} min "
                   f"({skew} s) past the maturity of {len(due)} vouchers ({soonest}); the "
                   "chain now runs ahead of the wall clock by that much")
        # The clearing list is read from the projection: bring it to the new chain head first.
        index_until_head()
        summary = clearing_run()
        if not summary["batches_created"]:
            self._line(f"warning: clearing found no due roots although {len(due)} vouchers "
                       f"matured on {soonest}; run `manage.py run_clearing` to retry")
        self._settle()
        batches = ClearingBatch.objects.filter(pk__in=summary["batches_created"]
                                               ).select_related("core_enterprise").order_by("pk")
        for batch in batches:
            key = next(k for k, o in self.orgs.items() if o.pk == batch.core_enterprise_id)
            clearing_batch_confirm(batch=batch, user=self._user(key, Role.APPROVER),
                                   payment_reference=f"CLR-{self.today:%Y%m%d}-{batch.pk:03d}",
                                   paid_on=self.today)
            self._settle()
            batch.refresh_from_db()
            self._line(f"clearing batch {batch.pk} of {batch.core_enterprise.name}: "
                       f"{fmt_yuan(batch.total_fen)} over {batch.items.count()} pieces, "
                       f"funding confirmed, {batch.status}")

    # --- the end --------------------------------------------------------------------------------

    def _summary(self) -> None:
        self.stdout.write("")
        self.stdout.write(f"Sign in with any of these users; the password of all is {PASSWORD}")
        width = max(len(name) for name in self.users)
        self.stdout.write(f"  {'username':<{width}}  {'roles':<9}  organisation")
        for username, user in self.users.items():
            role = username.rsplit("_", 1)[1]
            self.stdout.write(f"  {username:<{width}}  {role:<9}  {user.organisation.name} "
                              f"({user.organisation.get_kind_display()})")
