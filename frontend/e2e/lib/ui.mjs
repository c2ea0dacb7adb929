// Helpers for driving the antd pages the way a person does: by labels and visible text.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export class Ui {
  constructor(page, { baseUrl, shotsDir, password }) {
    this.page = page;
    this.baseUrl = baseUrl;
    this.shotsDir = shotsDir;
    this.password = password;
    mkdirSync(shotsDir, { recursive: true });
  }

  async goto(path) {
    await this.page.goto(this.baseUrl + path);
    await this.settle();
  }

  /** Wait until the page has no spinner and no pending skeleton. */
  async settle() {
    await this.page.waitForLoadState('networkidle');
    await this.page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => {});
  }

  async signIn(username) {
    await this.goto('/login');
    await this.page.locator('#username').fill(username);
    await this.page.locator('#password').fill(this.password);
    await this.page.getByTestId('sign-in').click();
    await this.page.getByTestId('org-name').waitFor();
    await this.settle();
  }

  async signOut() {
    await this.page.getByTestId('user-menu').hover();
    await this.page.getByTestId('sign-out').click();
    await this.page.locator('#username').waitFor();
  }

  async shot(name) {
    await this.settle();
    await this.page.waitForTimeout(300); // let animations finish
    await this.page.screenshot({ path: join(this.shotsDir, `${name}.png`), fullPage: true });
  }

  formItem(label) {
    return this.page.locator('.ant-form-item').filter({ has: this.page.locator('label', { hasText: label }) }).first();
  }

  async fill(label, value) {
    await this.formItem(label).locator('input, textarea').first().fill(value);
  }

  /** Choose option(s) of the antd Select under a form label (by visible text). */
  async choose(label, ...optionTexts) {
    for (const text of optionTexts) {
      await this.formItem(label).locator('.ant-select-selector').click();
      const option = this.page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: text }).first();
      await option.waitFor();
      await option.click();
    }
    await this.page.keyboard.press('Escape');
  }

  /** Pick a member from the directory in the picker under a form label: type part of its name
   * or credit code, then choose the option showing `optionText` (its credit code, say). */
  async pickMember(label, typed, optionText = typed) {
    await this.formItem(label).locator('.ant-select-selector').click();
    await this.page.keyboard.type(typed);
    const option = this.page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: optionText }).first();
    await option.waitFor();
    await option.click();
    // No Escape here: in a drawer or a modal it would close the form itself.
    await this.page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').waitFor({ state: 'hidden' }).catch(() => {});
  }

  /** The confirmation before a movement: wait for it (with its capitals), return its text. */
  async confirmation() {
    const dialog = this.page.getByTestId('movement-confirm');
    await dialog.waitFor();
    await dialog.getByTestId('amount-capitals').filter({ hasText: /人民币|RMB/ }).first().waitFor();
    return dialog.innerText();
  }

  async confirm() {
    await this.page.getByTestId('confirm-ok').waitFor();
    await this.page.waitForTimeout(300); // the modal's opening animation
    await this.page.getByTestId('confirm-ok').click();
    await this.page.getByTestId('movement-confirm').waitFor({ state: 'detached' });
  }

  /** The chain operation modal: wait for the final result, return its tx hash. */
  async operationResult() {
    const modal = this.page.locator('.scf-operation-modal');
    await modal.waitFor();
    const result = modal.locator('.scf-op-confirmed, .scf-op-failed').first();
    await result.waitFor({ timeout: 60_000 });
    const failed = await modal.locator('.scf-op-failed').count();
    const hash = await modal.locator('[data-hash]').first().getAttribute('data-hash').catch(() => null);
    if (failed) {
      const text = await modal.innerText();
      throw new Error(`chain operation failed: ${text}`);
    }
    if (!hash || !/^0x[0-9a-f]{64}$/i.test(hash)) throw new Error(`no transaction hash shown (${hash})`);
    return { modal, hash };
  }

  async closeOperation() {
    await this.page.locator('.scf-operation-modal .ant-modal-footer button').click();
    await this.page.locator('.scf-operation-modal').waitFor({ state: 'hidden' });
  }

  /** Text a person would see that should never be on a page: raw catalogue keys or fen. */
  async assertNoRawText() {
    const text = await this.page.locator('body').innerText();
    const rawKey = text.match(/\b(?:common|menu|status|kyc|ops|org|piece|voucher|pricing|review|financing|move|quote|credit|issue|dash|lineage|freeze)\.[a-zA-Z.]+\b/);
    if (rawKey) throw new Error(`untranslated key on the page: ${rawKey[0]}`);
  }
}
