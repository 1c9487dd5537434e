// The README's screenshots of the console (docs/console/<name>.png), written by the browser tests. What changes from
// run to run is first written as fixed text, so the same page gives the same image; the same image is not rewritten.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** Where the README's screenshots are written (a fixed name per page). */
export const SHOTS = join(__dirname, '..', '..', 'docs', 'console');

/**
 * Saves a PNG of the page: e-mail addresses of test users, ISO and local times, UUIDs, epoch milliseconds and the random suffixes of test
 * organisations' names are replaced (the page at 1000×640) by fixed text first, and focus is dropped (no focus ring).
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1000, height: 640 });
  await page.evaluate(`(() => {
    const email = /[\\w.+-]+@cert\\.example/g;
    const time = /\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z/g;
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
    const localTime = /\\d{1,2}\\/\\d{1,2}\\/\\d{4}, \\d{1,2}:\\d\\d:\\d\\d [AP]M/g;
    const hourMinute = /(?<![\\d:])\\d\\d:\\d\\d [AP]M\\b/g;
    const epochMs = /\\b1\\d{12}\\b/g;
    const shortId = /\\b(user|key) [0-9a-f]{8}\\b/g;
    const org = /\\b(CERT \\d+) [a-z0-9]{6}\\b/g;
    const fix = (s) =>
      s
        .replace(email, 'duty.officer@cert.example')
        .replace(time, '2026-12-04T09:00:00.000Z')
        .replace(localTime, '12/4/2026, 9:00:00 AM')
        .replace(hourMinute, '09:00 AM')
        .replace(uuid, '00000000-0000-4000-8000-000000000000')
        .replace(epochMs, '1764838800000')
        .replace(shortId, '$1 00000000')
        .replace(org, '$1 member');
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const fixed = fix(n.textContent);
      if (fixed !== n.textContent) n.textContent = fixed;
    }
    for (const el of document.querySelectorAll('input, textarea')) {
      if (el.type !== 'checkbox' && el.type !== 'radio' && el.type !== 'file') el.value = fix(el.value);
    }
    document.activeElement?.blur();
  })()`);
  await mkdir(SHOTS, { recursive: true });
  const png = await page.screenshot({ animations: 'disabled', caret: 'hide' });
  const file = join(SHOTS, `${name}.png`);
  const old = await readFile(file).catch(() => null);
  if (old === null || !old.equals(png)) {
    await writeFile(file, png);
  }
}
