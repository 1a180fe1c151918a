import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

/** `B24_SCREENSHOTS` puts them elsewhere (outside the checkout). */
const SCREENSHOTS =
  process.env.B24_SCREENSHOTS ??
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results/screenshots');

/** Debian's Chromium, headless, with nothing that reaches the network on its own. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 667 };
/** A current phone (iPhone 12–15), the width the admin pages are checked at. */
export const PHONE_390 = { width: 390, height: 844 };

/** Saves `test-results/screenshots/<name>.png` (or under `B24_SCREENSHOTS`) for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** Signs in through the form of the sign-in page. */
export async function signIn(page: Page, login: string, password: string): Promise<void> {
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Runs in the page, as source text: tsx would wrap named functions in a helper that the page lacks. */
const CONTRAST_SCAN = `(() => {
  const rgb = (css) => (css.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const [R, G, B] = [r, g, b].map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const color = getComputedStyle(e).backgroundColor;
      const alpha = rgb(color)[3];
      if (color !== 'transparent' && (alpha === undefined || alpha >= 0.9)) return color;
    }
    return 'rgb(255, 255, 255)';
  };
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    const text = node.textContent.trim();
    // A logotype (the "b24" tile) is exempt, as WCAG has it.
    if (!element || !text || element.closest('[disabled], .visually-hidden, option, .logo')) continue;
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    if (!box.width || !box.height || style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
    const [hi, lo] = [luminance(rgb(style.color)), luminance(rgb(background(element)))].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    if (ratio < 4.5) found.push('"' + text.slice(0, 40) + '" ' + ratio.toFixed(2) + ':1 (' + style.color + ' on ' + background(element) + ')');
  }
  return found;
})()`;

/**
 * Visible text whose colour has less than 4.5:1 contrast (WCAG AA) with the first opaque background behind it,
 * as `"text" 3.90:1 (rgb(…) on rgb(…))`. Disabled controls, placeholders and logotypes are exempt, as WCAG has them.
 */
export function lowContrast(page: Page): Promise<string[]> {
  return page.evaluate(CONTRAST_SCAN);
}
