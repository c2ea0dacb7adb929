// Seeds a realistic scenario through the public API only, as a client would: the platform
// admits a core enterprise, suppliers, banks and a regulator (KYC approved on chain); banks grant
// credit lines; the core enterprise issues vouchers (maker, then checker); a supplier accepts one
// and moves part of it. Returns the names and ids the scenarios need.
import { Session, pdfBytes } from './api.mjs';

export const PASSWORD = 'scf-demo-2026';
// What an administrator gives a new user; the user's first sign-in replaces it with PASSWORD
// (the server refuses everything else until then).
const INITIAL_PASSWORD = 'scf-initial-2026';
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function creditCode(n, area = '320500') {
  let body = '';
  let rest = n;
  for (let i = 0; i < 9; i += 1) {
    body = CHARSET[rest % 31] + body;
    rest = Math.floor(rest / 31);
  }
  const first17 = `91${area}${body}`;
  const total = [...first17].reduce((sum, ch, i) => sum + CHARSET.indexOf(ch) * WEIGHTS[i], 0);
  return first17 + CHARSET[(31 - (total % 31)) % 31];
}

const isoDate = (days) => {
  const d = new Date(Date.now() + days * 86_400_000);
  return d.toISOString().slice(0, 10);
};

export const ORGS = {
  core: { kind: 'core_enterprise', name: '华东重工集团有限公司', prefix: 'core', n: 101 },
  sup1: { kind: 'supplier', name: '苏州精密零部件有限公司', prefix: 'sup1', n: 201 },
  sup2: { kind: 'supplier', name: '无锡恒达电子有限公司', prefix: 'sup2', n: 202 },
  sup3: { kind: 'supplier', name: '常州新材料科技有限公司', prefix: 'sup3', n: 203, pendingKyc: true },
  bank1: { kind: 'bank', name: '贵阳银行股份有限公司', prefix: 'bank1', n: 301 },
  bank2: { kind: 'bank', name: '江苏银行股份有限公司', prefix: 'bank2', n: 302 },
  // The regulator does no business but onboards like the others: its users, its KYC.
  reg: { kind: 'regulator', name: '地方金融监督管理局', prefix: 'reg', n: 401 },
};

const USERS = {
  core: [['maker', ['operator'], '王经办'], ['checker', ['approver'], '李复核']],
  sup1: [['op', ['operator'], '陈会计'], ['checker', ['approver'], '周财务']],
  sup2: [['op', ['operator'], '赵出纳']],
  sup3: [],
  bank1: [['maker', ['operator'], '孙信贷'], ['checker', ['approver'], '吴审批']],
  bank2: [['maker', ['operator'], '郑信贷'], ['checker', ['approver'], '冯审批']],
  reg: [['officer', ['operator'], '钱监管']],
};

const DOC_KINDS = ['business_licence', 'legal_representative_id', 'authorisation_letter', 'bank_account_proof'];

export async function seed(baseUrl, { log = () => {} } = {}) {
  const out = { orgs: {}, users: {}, vouchers: {}, contracts: {}, invoices: {} };
  const initial = new Set(); // users still on the password an administrator chose
  const issued = (username) => { initial.add(username); return INITIAL_PASSWORD; };
  const login = async (username) => {
    const session = new Session(baseUrl);
    if (initial.delete(username)) {
      await session.login(username, INITIAL_PASSWORD);
      session.me = await session.post('/api/auth/password', { old_password: INITIAL_PASSWORD, password: PASSWORD });
    } else {
      await session.login(username, PASSWORD);
    }
    return session;
  };

  // Every user is a distinct natural person (person_id: a mobile number, stored only hashed).
  let persons = 0;
  const personId = () => `1370000${String(++persons).padStart(4, '0')}`;
  const platform = await login('platform-admin');
  // The platform's only administrator grants at once; an organisation admin's approver or
  // admin grant waits for the platform admin's approval (scf/accounts/grants.py).
  await platform.post('/api/users/create', { username: 'platform-reviewer', password: issued('platform-reviewer'), roles: ['approver', 'operator'], display_name: '平台审核员', person_id: personId() });
  const reviewer = await login('platform-reviewer');

  // organisations, their users and KYC
  const cases = {};
  for (const [key, org] of Object.entries(ORGS)) {
    const created = await platform.post('/api/organisations/create', {
      kind: org.kind, name: org.name, credit_code: creditCode(org.n), legal_representative: '张伟',
      registered_address: '江苏省苏州市工业园区星湖街 328 号', bank_account_name: org.name,
      bank_name: '中国工商银行苏州分行', bank_account_number: `110202000000${org.n}`,
      admin_username: `${org.prefix}-admin`, admin_password: issued(`${org.prefix}-admin`), admin_person_id: personId(),
    });
    out.orgs[key] = created;
    const admin = await login(`${org.prefix}-admin`);
    for (const [suffix, roles, display] of USERS[key]) {
      const user = await admin.post('/api/users/create', { username: `${org.prefix}-${suffix}`, password: issued(`${org.prefix}-${suffix}`), roles, display_name: display, person_id: personId() });
      if (user.pending_grant) await platform.post(`/api/users/grants/${user.pending_grant.id}/approve`);
    }
    const kycCase = await admin.post('/api/kyc/cases/create');
    for (const kind of DOC_KINDS) {
      await admin.upload(`/api/kyc/cases/${kycCase.id}/documents`, {
        kind, file: { bytes: pdfBytes(`${kind} ${org.prefix}`), type: 'application/pdf', name: `${kind}.pdf` },
      });
    }
    await admin.post(`/api/kyc/cases/${kycCase.id}/submit`);
    cases[key] = kycCase.id;
    log(`organisation ${org.name}`);
  }
  for (const [key, org] of Object.entries(ORGS)) {
    if (org.pendingKyc) continue;
    await reviewer.post(`/api/kyc/cases/${cases[key]}/approve`, { expires_on: isoDate(365) });
  }
  log('KYC approved, members on chain');

  // credit lines
  for (const [bankKey, limit] of [['bank1', 50_000_000_00], ['bank2', 20_000_000_00]]) {
    const maker = await login(`${ORGS[bankKey].prefix}-maker`);
    const checker = await login(`${ORGS[bankKey].prefix}-checker`);
    const change = await maker.post('/api/credit-line-changes/create', { core_enterprise: out.orgs.core.id, limit_fen: limit, expires_on: isoDate(365) });
    await checker.post(`/api/credit-line-changes/${change.id}/approve`);
  }
  log('credit lines granted');

  // trade background and vouchers
  const coreMaker = await login('core-maker');
  const coreChecker = await login('core-checker');
  let invoiceSeq = 1;
  const yearPrefix = String(new Date().getFullYear() % 100);
  const trade = async (supplierKey, number, amountFen) => {
    const contract = await coreMaker.upload('/api/trade-contracts/create', {
      supplier: out.orgs[supplierKey].id, number, title: `精密零部件采购合同 ${number}`, amount_fen: amountFen,
      signed_on: isoDate(-30), file: { bytes: pdfBytes(`contract ${number}`), type: 'application/pdf', name: `${number}.pdf` },
    });
    const invoice = await coreMaker.upload('/api/invoices/create', {
      trade_contract: contract.id, number: `${yearPrefix}32${String(500000000000000 + invoiceSeq).padStart(16, '0')}`,
      amount_fen: amountFen, issued_on: isoDate(-20), file: { bytes: pdfBytes(`invoice ${invoiceSeq}`), type: 'application/pdf', name: `invoice-${invoiceSeq}.pdf` },
    });
    invoiceSeq += 1;
    return { contract, invoice };
  };
  const issue = async (supplierKey, number, amountFen, days, bankKey = 'bank1') => {
    const { contract, invoice } = await trade(supplierKey, number, amountFen);
    const voucher = await coreMaker.post('/api/vouchers/issue', {
      trade_contract: contract.id, bank: out.orgs[bankKey].id, face_value_fen: amountFen, maturity_date: isoDate(days), invoices: [invoice.id],
    });
    await coreChecker.post(`/api/approvals/${voucher.approval_id}/approve`);
    return coreMaker.get(`/api/vouchers/${voucher.id}`);
  };

  out.vouchers.accepted = await issue('sup1', 'HT-2026-0001', 1_000_000_00, 120);
  out.vouchers.toAccept = await issue('sup1', 'HT-2026-0002', 500_000_00, 90);
  out.vouchers.sup2 = await issue('sup2', 'HT-2026-0003', 300_000_00, 60, 'bank2');
  // a trade with an unused invoice, for issuing through the web page
  const forUi = await trade('sup1', 'HT-2026-0100', 800_000_00);
  out.contracts.forUi = forUi.contract;
  out.invoices.forUi = forUi.invoice;
  log('vouchers issued');

  const sup1 = await login('sup1-op');
  await sup1.post(`/api/vouchers/${out.vouchers.accepted.id}/accept`);
  const sup2 = await login('sup2-op');
  await sup2.post(`/api/vouchers/${out.vouchers.sup2.id}/accept`);
  out.vouchers.accepted = await sup1.get(`/api/vouchers/${out.vouchers.accepted.id}`);
  // history: part of supplier 1's piece paid on to supplier 2
  await sup1.post(`/api/pieces/${out.vouchers.accepted.token_id}/transfer`, { to_organisation: out.orgs.sup2.id, amount_fen: 100_000_00 });
  log('vouchers accepted, one transfer');
  return out;
}
