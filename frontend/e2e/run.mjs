#!/usr/bin/env node
// End-to-end: the real server (manage.py serve: SQLite, eager Celery, anvil) on seeded data,
// driven through Debian's Chromium by playwright-core. Each persona signs in and does its main
// task; a screenshot of each main page goes to test-output/screenshots/.
//   node e2e/run.mjs            (from frontend/, after `npm run build`)
//   SCF_E2E_KEEP=1              keep the server's temporary directory
//   SCF_CHROMIUM=/path          another Chromium
import { existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { Session } from './lib/api.mjs';
import { ORGS, PASSWORD, creditCode, seed } from './lib/seed.mjs';
import { startServer } from './lib/server.mjs';
import { Ui } from './lib/ui.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const python = process.env.SCF_PYTHON ?? join(root, '.venv', 'bin', 'python');
const chromiumPath = process.env.SCF_CHROMIUM ?? '/usr/bin/chromium';
const shotsDir = join(root, 'test-output', 'screenshots');
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const log = (message) => console.log(`e2e [${elapsed()}] ${message}`);

if (!existsSync(join(root, 'frontend', 'dist', 'index.html'))) {
  console.error('e2e: frontend/dist is missing: run `npm run build` in frontend/ first');
  process.exit(2);
}
if (!existsSync(chromiumPath)) {
  console.error(`e2e: no Chromium at ${chromiumPath}`);
  process.exit(3);
}

const results = [];
async function scenario(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    log(`✓ ${name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  } catch (error) {
    results.push({ name, ok: false, error });
    log(`✗ ${name}: ${error.stack ?? error}`);
  }
}

rmSync(shotsDir, { recursive: true, force: true });
log('starting the platform (migrate, anvil, deploy, serve)…');
const server = await startServer({ root, python });
log(`server at ${server.baseUrl}, var ${server.varDir}`);
let browser;
try {
  await server.manage(['bootstrap_platform', '--name', '链融科技平台运营有限公司', '--credit-code', creditCode(1),
    '--legal-representative', '张三', '--registered-address', '江苏省苏州市工业园区', '--username', 'platform-admin',
    '--person-id', '13700000000'],
  { SCF_BOOTSTRAP_PASSWORD: PASSWORD });
  const data = await seed(server.baseUrl, {
    log: (m) => log(`seed: ${m}`),
  });

  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // Playwright gives every launch a fresh temporary --user-data-dir of its own.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const persona = async (username, fn, { locale = 'zh-CN' } = {}) => {
    const context = await browser.newContext({ locale, viewport: { width: 1440, height: 900 }, timezoneId: 'Asia/Shanghai' });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const consoleErrors = [];
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    const ui = new Ui(page, { baseUrl: server.baseUrl, shotsDir, password: PASSWORD });
    try {
      if (username) await ui.signIn(username);
      await fn(ui, page);
      if (consoleErrors.length) throw new Error(`uncaught errors in the page: ${consoleErrors.join(' | ')}`);
    } finally {
      await context.close();
    }
  };
  const expectText = async (page, text) => page.getByText(text, { exact: false }).first().waitFor();

  await scenario('sign-in: the server\'s message next to the form, then the workbench', () => persona(null, async (ui, page) => {
    await ui.goto('/login');
    await ui.shot('01-login');
    await page.locator('#username').fill('core-maker');
    await page.locator('#password').fill('wrong-password');
    await page.getByTestId('sign-in').click();
    await expectText(page, '用户名或密码错误');
    await ui.shot('02-login-error');
    await ui.signIn('core-maker');
    await ui.assertNoRawText();
    await ui.shot('03-workbench-core-maker');
  }));

  await scenario('a new user signs in with the password an administrator chose and must replace it first', () => persona(null, async (ui, page) => {
    const admin = new Session(server.baseUrl);
    await admin.login('sup2-admin', PASSWORD);
    await admin.post('/api/users/create', { username: 'sup2-new-clerk', password: 'Chosen-by-admin-2026', roles: ['viewer'], display_name: '新员工', person_id: '13600000042' });
    await ui.goto('/login');
    await page.locator('#username').fill('sup2-new-clerk');
    await page.locator('#password').fill('Chosen-by-admin-2026');
    await page.getByTestId('sign-in').click();
    await page.getByTestId('password-change').waitFor();
    await ui.shot('04-password-change');
    await page.locator('#old_password').fill('Chosen-by-admin-2026');
    await page.locator('#new_password').fill('12345678');
    await page.locator('#confirm_password').fill('12345678');
    await page.getByTestId('password-submit').click();
    await expectText(page, '密码太短'); // the server's own message next to the field
    await ui.shot('04b-password-too-weak');
    await page.locator('#new_password').fill('Only-I-know-this-2026');
    await page.locator('#confirm_password').fill('Only-I-know-this-2026');
    await page.getByTestId('password-submit').click();
    await page.getByTestId('password-change').waitFor({ state: 'detached' });
    await ui.assertNoRawText();
    await ui.shot('05-workbench-after-password-change');
  }));

  await scenario('platform operator: reviews KYC with the documents in the page and admits a supplier on chain', () => persona('platform-reviewer', async (ui, page) => {
    await ui.goto('/kyc/review');
    await page.getByText(ORGS.sup3.name).first().click();
    await page.getByTestId('document-preview').first().waitFor();
    await ui.shot('10-platform-kyc-review');
    await page.getByTestId('kyc-approve').click();
    await page.locator('.scf-kyc-confirm').click();
    const { hash } = await ui.operationResult();
    log(`  KYC approval registered the member on chain: ${hash}`);
    await ui.shot('11-platform-kyc-approved');
    await ui.closeOperation();
    await ui.goto('/members');
    await expectText(page, ORGS.sup3.name);
    await ui.assertNoRawText();
    await ui.shot('12-platform-members');
    await ui.goto('/health');
    await page.getByTestId('health-status').waitFor();
    await ui.shot('13-platform-health');
  }));

  await scenario('core enterprise: finds a supplier in the member directory and registers a trade contract with it', () => persona('core-maker', async (ui, page) => {
    await ui.goto('/directory');
    await page.getByTestId('directory-search').fill('无锡');
    await page.locator('.ant-pro-query-filter .ant-btn-primary').click();
    await page.locator('.ant-table-row').filter({ hasText: ORGS.sup2.name }).waitFor();
    await expectText(page, creditCode(ORGS.sup2.n));
    await ui.assertNoRawText();
    await ui.shot('14-core-directory');
    await ui.goto('/vouchers/issue');
    await page.getByTestId('new-contract').click();
    const modal = page.locator('.ant-modal-content');
    const field = (label) => modal.locator('.ant-form-item').filter({ has: page.locator('label', { hasText: label }) }).first();
    await field('供应商').locator('.ant-select-selector').click();
    await page.keyboard.type('无锡');
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: creditCode(ORGS.sup2.n) }).first().click();
    await field('合同编号').locator('input').fill('HT-2026-0200');
    await field('合同名称').locator('input').fill('电子元器件采购合同');
    await field('金额').locator('input').fill('260,000.00');
    await field('签订日期').locator('input').click();
    await page.locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden) .ant-picker-cell-today').click();
    await ui.shot('15-core-contract-form');
    await modal.locator('.ant-modal-footer .ant-btn-primary').click();
    await modal.waitFor({ state: 'detached' });
    await ui.choose('贸易合同', 'HT-2026-0200');
    await ui.formItem('贸易合同').locator('.ant-select-selection-item').filter({ hasText: ORGS.sup2.name }).waitFor();
  }));

  await scenario('core enterprise: the maker proposes a voucher against a trade and its invoice', () => persona('core-maker', async (ui, page) => {
    await ui.goto('/vouchers/issue');
    await ui.choose('贸易合同', data.contracts.forUi.number);
    await ui.choose('发票', data.invoices.forUi.number);
    await ui.choose('授信银行', ORGS.bank1.name);
    await page.getByTestId('issue-amount').fill('800,000.00');
    await page.getByTestId('issue-submit').click();
    const confirmation = await ui.confirmation();
    for (const text of [ORGS.sup1.name, creditCode(ORGS.sup1.n), '¥800,000.00', '人民币捌拾万元整']) {
      if (!confirmation.includes(text)) throw new Error(`the confirmation lacks ${text}: ${confirmation}`);
    }
    await ui.shot('19-core-issue-confirm');
    await ui.confirm();
    await page.getByTestId('issue-proposed').waitFor();
    await ui.shot('20-core-issue-proposed');
    await ui.goto('/credit-lines');
    await expectText(page, ORGS.bank1.name);
    await ui.shot('21-core-credit-lines');
  }));

  await scenario('core enterprise: a different user, the checker, approves and the voucher is issued on chain', () => persona('core-checker', async (ui, page) => {
    await ui.goto('/vouchers/issue');
    const approve = page.locator('[data-testid^="issue-approve-"]').first();
    await approve.waitFor();
    await approve.click();
    await ui.confirmation();
    await ui.confirm();
    const { hash } = await ui.operationResult();
    log(`  voucher issued: ${hash}`);
    await ui.shot('22-core-issue-approved');
    await ui.closeOperation();
    await ui.goto('/vouchers/issued');
    await expectText(page, '¥800,000.00');
    await ui.assertNoRawText();
    await ui.shot('23-core-vouchers-issued');
    await ui.goto('/debtor-notices');
    await ui.shot('24-core-debtor-notices');
    await ui.goto('/maturity');
    await ui.shot('25-core-maturity');
  }));

  await scenario('supplier: accepts an incoming voucher', () => persona('sup1-op', async (ui, page) => {
    await ui.goto('/vouchers/incoming');
    await page.getByTestId(`incoming-${data.vouchers.toAccept.id}`).waitFor();
    await ui.shot('30-supplier-incoming');
    await page.getByTestId(`accept-${data.vouchers.toAccept.id}`).click();
    const { hash } = await ui.operationResult();
    log(`  accepted: ${hash}`);
    await ui.closeOperation();
  }));

  await scenario('supplier: splits a piece and transfers part of it, the remainder shown as they type', () => persona('sup1-op', async (ui, page) => {
    const token = data.vouchers.accepted.token_id;
    await ui.goto('/holdings');
    await ui.shot('31-supplier-holdings');
    await page.getByTestId(`transfer-${token}`).click();
    await ui.pickMember('受让方', creditCode(ORGS.sup3.n).slice(-8), ORGS.sup3.name);
    await page.getByTestId('move-amount').fill('150,000');
    await expectText(page, '¥750,000.00'); // ¥900,000 − ¥150,000 remains
    await ui.shot('32-supplier-transfer-form');
    await page.getByTestId('move-submit').click();
    // before anything moves: who receives, how much in figures and in capitals, what remains
    const confirmation = await ui.confirmation();
    for (const text of [ORGS.sup3.name, creditCode(ORGS.sup3.n), '¥150,000.00', '人民币壹拾伍万元整', '¥750,000.00', '人民币柒拾伍万元整']) {
      if (!confirmation.includes(text)) throw new Error(`the confirmation lacks ${text}: ${confirmation}`);
    }
    await ui.shot('32b-supplier-transfer-confirm');
    await ui.confirm();
    let result = await ui.operationResult();
    log(`  transferred: ${result.hash}`);
    await ui.closeOperation();
    await page.getByTestId(`split-${token}`).click();
    await page.getByTestId('split-part-0').fill('250000');
    await expectText(page, '¥500,000.00'); // ¥750,000 − ¥250,000 stays on the piece
    await ui.shot('33-supplier-split-form');
    await page.getByTestId('move-submit').click();
    await ui.confirmation();
    await ui.confirm();
    result = await ui.operationResult();
    log(`  split: ${result.hash}`);
    await ui.closeOperation();
    await ui.goto(`/lineage/${token}`);
    await page.getByTestId('lineage-tree').waitFor();
    await ui.shot('34-supplier-lineage');
  }));

  // The SPA reloads a page's lists once the operation is projected (hooks run, indexer at its
  // block), not on a bare CONFIRMED: the holdings shown next never carry the old balance.
  await scenario('supplier: after a transfer completes, the holdings page shows the new balance, never the old one', () => persona('sup1-op', async (ui, page) => {
    const token = data.vouchers.accepted.token_id;
    await ui.goto('/holdings');
    const row = page.locator(`tr[data-row-key="${token}"]`);
    await row.getByText('¥500,000.00').waitFor(); // left by the split above
    await page.getByTestId(`transfer-${token}`).click();
    await ui.pickMember('受让方', '常州', creditCode(ORGS.sup3.n));
    await page.getByTestId('move-amount').fill('100,000');
    await page.getByTestId('move-submit').click();
    await ui.confirmation();
    await ui.confirm();
    const { hash } = await ui.operationResult();
    log(`  transferred: ${hash}`);
    // No navigation and no manual reload: what the page reloaded on completion must be fresh.
    await row.getByText('¥400,000.00').waitFor({ timeout: 5_000 });
    await page.waitForTimeout(1_000);
    const text = await row.innerText();
    if (text.includes('¥500,000.00')) throw new Error(`the holdings still show the old balance: ${text}`);
    await ui.shot('34b-supplier-holdings-after-transfer');
    await ui.closeOperation();
  }));

  await scenario('supplier: applies for financing with one bank (the part is locked on chain)', () => persona('sup1-op', async (ui, page) => {
    await ui.goto(`/financing?token=${data.vouchers.toAccept.token_id}`);
    await page.getByTestId('apply-amount').fill('400,000');
    await expectText(page, '¥100,000.00'); // kept
    await ui.formItem('申请银行').getByText(ORGS.bank1.name).waitFor(); // the voucher's bank, from the directory
    await page.getByTestId('apply-submit').click();
    const confirmation = await ui.confirmation();
    for (const text of [ORGS.bank1.name, creditCode(ORGS.bank1.n), '¥400,000.00', '人民币肆拾万元整', '¥100,000.00']) {
      if (!confirmation.includes(text)) throw new Error(`the confirmation lacks ${text}: ${confirmation}`);
    }
    await ui.shot('35a-supplier-financing-confirm');
    await ui.confirm();
    const { hash } = await ui.operationResult();
    log(`  locked for financing: ${hash}`);
    await ui.closeOperation();
    await ui.shot('35-supplier-financing');
  }));

  await scenario('supplier: the pieces the application holds say so on the holdings page, their actions disabled with the reason', () => persona('sup1-op', async (ui, page) => {
    await ui.goto('/holdings');
    const tag = page.locator('[data-testid^="reserved-financing_application-"]').first();
    await tag.waitFor();
    const token = data.vouchers.toAccept.token_id;
    const row = page.locator(`tr[data-row-key="${token}"]`);
    await row.locator('[data-status="reserved"]').waitFor();
    if (!(await row.innerText()).includes('已被融资申请')) throw new Error(`no reservation tag: ${await row.innerText()}`);
    if (!(await page.getByTestId(`transfer-${token}`).isDisabled())) throw new Error('a reserved piece can still be transferred');
    await ui.assertNoRawText();
    await ui.shot('36-supplier-holdings-reserved');
    await page.getByTestId('switch-lang').click();
    await expectText(page, 'Reserved by financing application');
    await ui.assertNoRawText();
    await ui.shot('37-supplier-holdings-reserved-en');
  }));

  await scenario('supplier: the transfer confirmation in English', () => persona('sup2-op', async (ui, page) => {
    await ui.goto('/holdings');
    await page.getByTestId('switch-lang').click();
    const token = data.vouchers.sup2.token_id;
    await page.getByTestId(`transfer-${token}`).click();
    await ui.pickMember('Receiver', ORGS.sup1.name.slice(0, 2), creditCode(ORGS.sup1.n));
    await page.getByTestId('move-amount').fill('50,000');
    await page.getByTestId('move-submit').click();
    const confirmation = await ui.confirmation();
    for (const text of [ORGS.sup1.name, creditCode(ORGS.sup1.n), '¥50,000.00', 'RMB in words: 伍万元整', '¥250,000.00']) {
      if (!confirmation.includes(text)) throw new Error(`the confirmation lacks ${text}: ${confirmation}`);
    }
    await ui.assertNoRawText();
    await ui.shot('38-supplier-transfer-confirm-en');
    await page.getByTestId('confirm-cancel').click(); // nothing moves
    await page.getByTestId('movement-confirm').waitFor({ state: 'detached' });
    await ui.goto('/directory');
    await page.locator('.ant-table-row').first().waitFor();
    await ui.assertNoRawText();
    await ui.shot('39-supplier-directory-en');
  }));

  let applicationId;
  await scenario('bank: the officer prices the application, the formula term by term', () => persona('bank1-maker', async (ui, page) => {
    await ui.goto('/bank/applications');
    const review = page.locator('[data-testid^="review-"]').first();
    await review.waitFor();
    applicationId = (await review.getAttribute('data-testid')).replace('review-', '');
    await ui.shot('40-bank-queue');
    await review.click();
    await page.getByTestId('pricing-panel').waitFor();
    await page.getByTestId('pricing-rate').fill('3.85');
    await page.getByTestId('pricing-net').waitFor();
    const formula = await page.getByTestId('pricing-formula').innerText();
    if (!formula.includes('¥400,000.00') || !formula.includes('360')) throw new Error(`formula lacks its terms: ${formula}`);
    await ui.shot('41-bank-pricing');
    await page.getByTestId('pricing-submit').click();
    await page.getByTestId('pricing-saved').waitFor();
    await ui.shot('42-bank-quote-saved');
  }));

  await scenario('bank: a different user, the approver, approves and the piece passes to the bank on chain', () => persona('bank1-checker', async (ui, page) => {
    await ui.goto(`/bank/applications/${applicationId}`);
    const approve = page.locator('[data-testid^="approve-quote-"]').first();
    await approve.waitFor();
    await approve.click();
    const { hash } = await ui.operationResult();
    log(`  financing approved: ${hash}`);
    await ui.closeOperation();
    await expectText(page, '已融资');
    await ui.shot('43-bank-approved');
    await ui.goto('/bank/portfolio');
    await ui.shot('44-bank-portfolio');
    await ui.goto('/bank/credit-lines');
    await ui.shot('45-bank-credit-lines');
  }));

  await scenario('bank review in English', () => persona('bank1-checker', async (ui, page) => {
    await ui.goto(`/bank/applications/${applicationId}`);
    await page.getByTestId('switch-lang').click();
    await expectText(page, 'Financing review');
    await ui.assertNoRawText();
    await ui.shot('46-bank-review-en');
  }));

  await scenario('regulator: dashboard, trace to the root and every holder, freeze with a reason, audit log', () => persona('reg-admin', async (ui, page) => {
    await ui.goto('/dashboard');
    await page.getByTestId('dashboard-chart').waitFor();
    await ui.shot('50-regulator-dashboard');
    await ui.goto('/trace');
    await ui.shot('51-regulator-trace');
    await ui.goto(`/lineage/${data.vouchers.accepted.token_id}`);
    await page.getByTestId('lineage-tree').waitFor();
    await expectText(page, ORGS.sup3.name);
    await ui.shot('52-regulator-lineage');
    await ui.goto('/freeze');
    const freeze = page.getByTestId(`freeze-${data.vouchers.sup2.token_id}`);
    await freeze.waitFor();
    await freeze.click();
    await page.getByTestId('freeze-reason').fill('（2026）苏05执保123号 民事裁定书');
    await page.locator('.scf-freeze-confirm').click();
    const { hash } = await ui.operationResult();
    log(`  frozen: ${hash}`);
    await ui.closeOperation();
    await page.getByTestId(`unfreeze-${data.vouchers.sup2.token_id}`).waitFor();
    await ui.shot('53-regulator-freeze');
    await ui.goto('/audit');
    await page.getByTestId('audit-verify').click();
    await expectText(page, '哈希链完整');
    await expectText(page, '与链上锚定的哈希链头一致'); // the seed passed 100 entries: one anchor
    await ui.shot('54-regulator-audit');
    // It administers its own organisation as every organisation does: its administrator adds a
    // user; the approver role waits for a second administrator, here the platform's.
    await ui.goto('/organisation');
    await page.getByTestId('add-user').click();
    await ui.fill('用户名', 'reg-checker');
    await ui.choose('角色', '复核');
    await ui.fill('初始密码', 'scf-initial-2026');
    await ui.fill('手机号或身份证号', '13799990001');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await expectText(page, '待另一位管理员或平台管理员批准');
    await expectText(page, 'reg-checker');
    await ui.shot('55-regulator-add-user');
  }));

  await scenario('platform: the administrator approves the regulator\'s role grant', () => persona('platform-admin', async (ui, page) => {
    await ui.goto('/organisation');
    const approve = page.locator('[data-testid^="approve-grant-"]').first();
    await approve.waitFor();
    await expectText(page, 'reg-checker');
    await ui.shot('56-platform-pending-grants');
    await approve.click();
    await expectText(page, '已复核通过');
    await page.locator('[data-testid^="approve-grant-"]').waitFor({ state: 'detached' });
  }));

  await scenario('everyone: notifications and chain operations', () => persona('sup1-op', async (ui, page) => {
    await ui.goto('/operations');
    await expectText(page, '已确认');
    await ui.shot('60-operations');
    await ui.goto('/notifications');
    await ui.shot('61-notifications');
    await ui.goto('/organisation');
    await page.getByTestId('organisation-profile').waitFor();
    await ui.shot('62-organisation');
  }));

  await scenario('anyone: the certificate\'s link opens the verification page without a session; the file is genuine, a changed byte is not', async () => {
    const holder = new Session(server.baseUrl);
    await holder.login('sup1-op', PASSWORD);
    let document = await holder.post('/api/documents/generate', { kind: 'certificate', subject_id: data.vouchers.accepted.token_id });
    for (let i = 0; i < 40 && document.status !== 'anchored'; i += 1) {
      if (document.status === 'failed') throw new Error(`the certificate failed: ${document.error}`);
      await new Promise((done) => setTimeout(done, 500));
      document = await holder.get(`/api/documents/${document.id}`);
    }
    if (document.status !== 'anchored') throw new Error(`the certificate is not anchored: ${document.status}`);
    // the printed link is the address the document was asked for on, not a fixed port
    if (!document.verify_url.startsWith(`${server.baseUrl}/verify?doc=`)) throw new Error(`unexpected link: ${document.verify_url}`);
    const pdf = await holder.bytes(document.download_url);
    const changed = Buffer.from(pdf);
    changed[changed.length - 100] ^= 1;
    await persona(null, async (ui, page) => {
      const asked = [];
      page.on('request', (request) => asked.push(new URL(request.url()).pathname));
      await page.goto(document.verify_url);
      await ui.settle();
      if (new URL(page.url()).pathname !== '/verify') throw new Error(`redirected to ${page.url()}`);
      await page.getByTestId('verify-number').getByText(document.number).waitFor();
      if (asked.includes('/api/auth/me')) throw new Error('the public page asked who is signed in (a 401 in the console)');
      await expectText(page, '已登记，链上存证一致');
      await expectText(page, ORGS.sup1.name);
      await expectText(page, document.sha256);
      const input = page.locator('[data-testid="verify-drop"] input[type="file"], .ant-upload input[type="file"]').first();
      await input.setInputFiles({ name: `${document.number}.pdf`, mimeType: 'application/pdf', buffer: pdf });
      await page.locator('[data-testid="verify-result"][data-genuine="true"]').getByText('真实有效').waitFor();
      await ui.shot('70-verify-genuine');
      await input.setInputFiles({ name: 'changed.pdf', mimeType: 'application/pdf', buffer: changed });
      await page.locator('[data-testid="verify-result"][data-genuine="false"]').getByText('无法验证').waitFor();
      await ui.shot('71-verify-not-genuine');
      await page.getByTestId('switch-lang').click();
      await expectText(page, 'Registered, anchored on chain');
      await page.locator('[data-testid="verify-result"]').getByText('Not genuine', { exact: true }).waitFor();
      await ui.assertNoRawText();
      await ui.shot('72-verify-en');
    });
  });

  // the API answers a frozen piece's move with a 409 and the server's message
  await scenario('a frozen piece cannot move (the chain says so)', async () => {
    const sup2 = new Session(server.baseUrl);
    await sup2.login('sup2-op', PASSWORD);
    const error = await sup2.post(`/api/pieces/${data.vouchers.sup2.token_id}/transfer`, { to_organisation: data.orgs.sup1.id, amount_fen: 100 }).catch((e) => e);
    if (error?.status !== 409) throw new Error(`a frozen piece moved, or the wrong refusal: ${error}`);
    if (!/冻结|frozen/i.test(error.body?.message ?? '')) throw new Error(`unexpected message: ${error.body?.message}`);
  });
} catch (error) {
  results.push({ name: 'setup', ok: false, error });
  log(`✗ setup: ${error.stack ?? error}`);
} finally {
  if (browser) await browser.close();
  await server.stop();
  if (!process.env.SCF_E2E_KEEP && results.every((r) => r.ok)) rmSync(server.varDir, { recursive: true, force: true });
  else log(`server log and state kept in ${server.varDir}`);
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
log(`screenshots in ${shotsDir}`);
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
