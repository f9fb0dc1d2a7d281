/**
 * Browser harness for the end-to-end page tests: Debian's Chromium driven by playwright-core, with
 * axe-core for accessibility checks. `npx playwright install` cannot fetch browsers on these
 * machines, so the harness uses the distribution's Chromium and installs it with apt when missing.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags measured to work headless on these machines (no sandbox as root, no network chatter). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The WCAG levels the pages must meet (GOV.UK services aim for WCAG 2.2 AA). */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Screenshots go here; the folder is git-ignored. Built from this file's location, not the working dir. */
export const SCREENSHOT_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'test-results',
  'screenshots',
);

/** Thrown when Chromium is missing and cannot be installed (not root, apt failed). */
export class BrowserSetupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BrowserSetupError';
  }
}

/** Test files run in parallel forks: one apt-get at a time, the others wait for it. */
const LOCK_DIR = join(tmpdir(), 'redress-chromium-install.lock');
/** A lock older than this was left by a killed run; apt itself finishes well within it. */
const STALE_LOCK_MS = 10 * 60_000;
const POLL_MS = 500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tryLock(): boolean {
  try {
    mkdirSync(LOCK_DIR); // atomic: exactly one process succeeds
    return true;
  } catch (error: unknown) {
    if (error instanceof Error && 'code' in error && error.code === 'EEXIST') {
      try {
        if (Date.now() - statSync(LOCK_DIR).mtimeMs > STALE_LOCK_MS)
          rmSync(LOCK_DIR, { recursive: true, force: true });
      } catch (statError: unknown) {
        // The holder released the lock between our mkdir and stat: try again on the next poll.
        if (!(statError instanceof Error)) throw statError;
      }
      return false;
    }
    throw error;
  }
}

async function aptInstallChromium(): Promise<void> {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new BrowserSetupError(
      `Chromium is missing at ${CHROMIUM_PATH} and installing it needs root: run "apt-get install -y chromium"`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await run('apt-get', ['update'], { env, maxBuffer: 64 * 1024 * 1024 });
    await run('apt-get', ['install', '-y', 'chromium'], {
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error: unknown) {
    throw new BrowserSetupError('Installing Chromium with apt-get failed', { cause: error });
  }
}

/**
 * Makes sure Debian's Chromium is installed, installing it with apt-get (once, under a lock) when
 * it is missing. Resolves with its path.
 */
export async function ensureChromium(): Promise<string> {
  const deadline = Date.now() + STALE_LOCK_MS;
  while (!existsSync(CHROMIUM_PATH)) {
    if (tryLock()) {
      try {
        // Another process may have finished installing while we waited for the lock.
        if (!existsSync(CHROMIUM_PATH)) await aptInstallChromium();
      } finally {
        rmSync(LOCK_DIR, { recursive: true, force: true });
      }
      break;
    }
    if (Date.now() > deadline) throw new BrowserSetupError('Timed out waiting for another Chromium install');
    await sleep(POLL_MS);
  }
  if (!existsSync(CHROMIUM_PATH))
    throw new BrowserSetupError(`Chromium is still missing at ${CHROMIUM_PATH}`);
  return CHROMIUM_PATH;
}

/** Launches headless Chromium (installing it first if needed). Close it in `afterAll`. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = await ensureChromium();
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** One axe-core finding, trimmed to what a failing test should print. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Findings that are GOV.UK Frontend's documented, deliberate choices rather than our defects:
 * its radios with conditional reveals carry `aria-expanded`, which ARIA does not allow on a radio
 * but screen readers announce (alphagov/govuk-frontend#979, listed as a known issue in #1280).
 * And its improved file upload names its button by the field's label and the button itself
 * (`aria-labelledby="file-label file-comma file"`, alphagov/govuk-frontend#5652, tested with NVDA,
 * JAWS and VoiceOver): axe does not follow the self-reference, so it finds the button's visible
 * text missing from its name; browsers do follow it (the evidence tests find the button by its full
 * name). Only those exact nodes are excused; any other finding of either rule still fails.
 */
export function isKnownGovukIssue(ruleId: string, nodeHtml: string): boolean {
  if (ruleId === 'label-content-name-mismatch') {
    const labelledBy =
      /^<button class="govuk-file-upload-button[^"]*"[^>]*\sid="([\w-]+)"[^>]*\saria-labelledby="([^"]+)"/.exec(
        nodeHtml,
      );
    return (
      labelledBy !== null &&
      labelledBy[2] === `${labelledBy[1]}-label ${labelledBy[1]}-comma ${labelledBy[1]}`
    );
  }
  return (
    ruleId === 'aria-allowed-attr' &&
    /^<input class="govuk-radios__input"/.test(nodeHtml) &&
    /\saria-expanded="(true|false)"/.test(nodeHtml) &&
    /\saria-controls="conditional-/.test(nodeHtml)
  );
}

/**
 * Runs axe-core in the page against WCAG 2.2 AA and returns the violations (empty when the page
 * passes). axe is injected from the installed package, never fetched.
 */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  const axePath = join(dirname(require.resolve('axe-core')), 'axe.min.js');
  try {
    await page.addScriptTag({ path: axePath });
  } catch (error: unknown) {
    // Our pages forbid inline scripts (CSP), which blocks the injected tag. Code evaluated through
    // the DevTools protocol is not subject to the page's CSP, so the test need not weaken it.
    if (!(error instanceof Error && error.message.includes('Content Security Policy'))) throw error;
    await page.evaluate(await readFile(axePath, 'utf8'));
  }
  return page
    .evaluate(async (tags) => {
      interface AxeResult {
        violations: { id: string; impact?: string | null; help: string; nodes: { html: string }[] }[];
      }
      const axe = (
        globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<AxeResult> } }
      ).axe;
      const result = await axe.run((globalThis as unknown as { document: unknown }).document, {
        runOnly: { type: 'tag', values: tags },
      });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact ?? null,
        help: v.help,
        nodes: v.nodes.map((n) => n.html),
      }));
    }, AXE_TAGS)
    .then((violations) =>
      violations
        .map((v) => ({ ...v, nodes: v.nodes.filter((html) => !isKnownGovukIssue(v.id, html)) }))
        .filter((v) => v.nodes.length > 0),
    );
}

/** Saves a full-page PNG under `test-results/screenshots/<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** What went wrong while a page loaded: console errors (CSP violations included) and failed requests. */
export interface PageProblems {
  console: string[];
  failed: string[];
}

/**
 * Opens `url` in a new page and records its problems. A document's own status is the page
 * under test (a 404 page, or a form shown again with a 400, is still a page); any other
 * response of 400 or more, or a request that failed outright, is a problem.
 */
export async function openWatched(
  browser: Browser,
  url: string,
  options: { viewport?: { width: number; height: number } } = {},
): Promise<{ page: Page; problems: PageProblems }> {
  const page = await browser.newPage(options.viewport ? { viewport: options.viewport } : {});
  const problems: PageProblems = { console: [], failed: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.console.push(msg.text());
  });
  page.on('pageerror', (error) => problems.console.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400 && !response.request().isNavigationRequest()) {
      problems.failed.push(new URL(response.url()).pathname);
    }
  });
  page.on('requestfailed', (request) => problems.failed.push(new URL(request.url()).pathname));
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems };
}

/** Console errors other than the browser's note about the document's own 4xx/5xx status. */
export function consoleErrors(problems: PageProblems): string[] {
  return problems.console.filter((m) => !m.startsWith('Failed to load resource'));
}

/** A node:http server on a free loopback port for pages under test; `close()` stops it. */
export async function serveOnLoopback(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Promise<{ base: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(error instanceof Error ? error.message : 'error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
