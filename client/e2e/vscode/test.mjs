// VS Code end-to-end test: drives a real VS Code (code-server, started by run.sh with our .vsix installed) in Debian's
// Chromium through playwright-core, and checks what a user sees on the S3 fixture: the language of ~/.aws/config,
// the loop diagnostic, completion of credential_source values, the hover with the resolved chain, go to definition into
// the credentials file, and (when the server has the lens and the loopback STS runs) the "Test this profile" lens with
// the MFA input box, down to the identity in the notification.
// Environment: CODE_SERVER_URL, AWSCONFIG_E2E_HOME (the HOME whose .aws folder is open), AWSCONFIG_E2E_SHOTS (folder for
// screenshots), AWSCONFIG_E2E_FAKE_STS (optional). Prints "ok N - ..." lines and "vscode e2e: N passed, N failed".
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";

const url = required("CODE_SERVER_URL");
const home = required("AWSCONFIG_E2E_HOME");
const shots = required("AWSCONFIG_E2E_SHOTS");
const failures_dir = required("AWSCONFIG_E2E_FAILURES");
const fakeSts = process.env.AWSCONFIG_E2E_FAKE_STS;
const timeout = Number(process.env.AWSCONFIG_E2E_TIMEOUT_MS ?? 30000);

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

let count = 0;
let failures = 0;
function check(name, ok, detail) {
  count++;
  if (ok) {
    console.log(`ok ${count} - ${name}`);
  } else {
    failures++;
    console.log(`not ok ${count} - ${name}`);
    if (detail !== undefined) console.log(`  # ${String(detail).replaceAll("\n", "\n  # ")}`);
  }
}

/** Waits for fn() to be truthy; returns its last value (falsy on timeout). */
async function until(fn, ms = timeout) {
  const end = Date.now() + ms;
  let value;
  while (Date.now() < end) {
    try {
      value = await fn();
    } catch {
      value = undefined;
    }
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return value;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    // Keep Chromium off the network: everything but the loopback code-server fails to resolve.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--disable-domain-reliability",
    "--disable-breakpad",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
    "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,CertificateTransparencyComponentUpdater",
  ],
});
const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
const page = await context.newPage();
const consoleErrors = [];
page.on("console", (message) => {
  if (message.type() === "error") consoleErrors.push(message.text());
});

const editorText = async () => (await page.locator(".monaco-editor .view-lines").first().innerText()).replaceAll("\u00a0", " ");
const modifier = "Control";

async function quickOpen(name) {
  await page.keyboard.press(`${modifier}+P`);
  await page.locator(".quick-input-widget input").waitFor({ state: "visible", timeout });
  await page.keyboard.type(name);
  // Enter only once the list is filtered: the first row is the file asked for, not a recently opened one.
  await until(async () => {
    const label = await page.locator(".quick-input-list .monaco-list-row .label-name").first().innerText();
    return label.trim() === name;
  });
  await page.keyboard.press("Enter");
  await until(async () => (await page.locator(".tab.active").first().innerText()).trim().startsWith(name));
}

async function goToLine(line, column) {
  await page.keyboard.press(`${modifier}+G`);
  await page.locator(".quick-input-widget input").waitFor({ state: "visible", timeout });
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press("Enter");
  await page.waitForTimeout(300);
}

async function runCommand(title) {
  await page.keyboard.press(`${modifier}+Shift+P`);
  await page.locator(".quick-input-widget input").waitFor({ state: "visible", timeout });
  await page.keyboard.type(title);
  await until(async () => (await page.locator(".quick-input-list .monaco-list-row").count()) > 0);
  await page.keyboard.press("Enter");
}

async function screenshot(name, folder = shots) {
  fs.mkdirSync(folder, { recursive: true });
  await page.screenshot({ path: path.join(folder, name) });
  console.log(`# screenshot ${path.join(folder, name)}`);
}

async function run() {
  await page.goto(`${url}/?folder=${encodeURIComponent(path.join(home, ".aws"))}`);
  const workbench = await until(() => page.locator(".monaco-workbench").isVisible(), 60000);
  check("code-server shows the VS Code workbench", workbench);
  if (!workbench) return;
  await page.waitForTimeout(2000);

  // 1. Open ~/.aws/config: our language, and the server's diagnostics.
  await quickOpen("config");
  const opened = await until(async () => (await editorText()).includes("[profile role-a]"));
  check("~/.aws/config opens in the editor", opened);
  const language = await until(async () => {
    const text = await page.locator(".statusbar").innerText();
    return text.includes("AWS Config") ? text : undefined;
  });
  check("the status bar shows the language AWS Config", language, await page.locator(".statusbar").innerText().catch(() => ""));
  const squiggles = await until(async () => (await page.locator(".monaco-editor .squiggly-error").count()) >= 3);
  check("error squiggles appear in the config (the loop)", squiggles, `${await page.locator(".monaco-editor .squiggly-error").count()} error squiggles`);
  await runCommand("View: Focus Problems");
  const problems = await until(async () => {
    const text = await page.locator(".markers-panel").innerText();
    return text.includes("Infinite loop in credential configuration detected") ? text : undefined;
  });
  check("the Problems panel lists the source_profile loop with the AWS CLI's error", problems,
    await page.locator(".markers-panel").innerText().catch(() => "no Problems panel"));
  await page.keyboard.press(`${modifier}+J`); // hide the panel again
  await page.locator(".monaco-editor textarea").first().focus();

  // 2. Hover on [profile role-b] (line 7): the resolved chain.
  await goToLine(7, 12);
  await page.keyboard.press(`${modifier}+K`);
  await page.keyboard.press(`${modifier}+I`);
  const hover = await until(async () => {
    const text = await page.locator(".monaco-hover:visible").first().innerText();
    return text.includes("role-b <- role-a") ? text : undefined;
  });
  check("hover on [profile role-b] shows role-b <- role-a (MFA User1) <- default (static keys)",
    hover && hover.includes("arn:aws:iam::222222222222:mfa/User1") && hover.includes("default (static keys"), hover);
  if (hover) await screenshot("hover.png");
  await page.keyboard.press("Escape");

  // 3. Go to definition from `source_profile = default` (line 5) into the credentials file.
  await goToLine(5, 19);
  await page.keyboard.press("F12");
  const jumped = await until(async () => {
    const tab = await page.locator(".tab.active").first().innerText();
    return tab.includes("credentials") && (await editorText()).includes("[default]") ? tab : undefined;
  });
  check("F12 on source_profile = default opens [default] in the credentials file", jumped,
    await page.locator(".tab.active").first().innerText().catch(() => ""));
  await quickOpen("config");
  await until(async () => (await editorText()).includes("[profile role-a]"));

  // 4. The "Test this profile" lens with the MFA prompt.
  if (fakeSts) {
    await testLens();
  } else {
    console.log("# lens steps not run: AWSCONFIG_E2E_FAKE_STS is not set");
  }

  // 5. Completion of credential_source values, in a new profile at the end of the file.
  // The header goes in as one insertion, not keystrokes. Typed, it came out differently from run to run (the LSP trace
  // of the client shows both): its "[" was auto-closed in some runs and not in others (the header then stayed
  // unclosed: "[profile dst-role"), and the "[" opens the server's list of
  // headers, snippets included, which an Enter accepts when it is still open. The key line then was not where the
  // test meant it, the server rightly offered no values there, and VS Code showed its word list instead.
  await page.locator(".monaco-editor textarea").first().focus();
  await page.keyboard.press(`${modifier}+End`);
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await page.keyboard.insertText("[profile dst-role]");
  await page.keyboard.press("Escape");
  await until(async () => (await page.locator(".suggest-widget:visible").count()) === 0, 5000);
  await page.keyboard.press("End");
  await page.keyboard.press("Enter");
  // The key line is typed: the server's trigger characters "=" and " " are part of what this checks.
  await page.keyboard.type("credential_source = ");
  const lines = await until(async () => {
    const text = await editorText();
    return /^\[profile dst-role\]$/m.test(text) && /^credential_source =\s*$/m.test(text) ? text : undefined;
  }, 10000);
  await page.keyboard.press("Escape");
  await until(async () => (await page.locator(".suggest-widget:visible").count()) === 0, 5000);
  await page.keyboard.press(`${modifier}+Space`);
  const suggestions = lines && await until(async () => {
    const text = await page.locator(".suggest-widget:visible").first().innerText();
    return ["Environment", "Ec2InstanceMetadata", "EcsContainer"].every((value) => text.includes(value)) ? text : undefined;
  });
  check("completion after credential_source = offers Environment, Ec2InstanceMetadata and EcsContainer", suggestions,
    (lines ? "" : "the new profile did not read [profile dst-role] / credential_source = \n")
      + "--- suggest widget: " + (await page.locator(".suggest-widget:visible").first().innerText({ timeout: 1000 }).catch(() => "none visible"))
      + "\n--- active tab: " + (await page.locator(".tab.active").first().innerText().catch(() => "?"))
      + "\n--- editor (visible lines, last 8):\n" + (await editorText().catch(() => "?")).split("\n").slice(-8).join("\n"));
  await page.keyboard.press("Escape");
}

async function testLens() {
  const lens = page.locator(".codelens-decoration a", { hasText: "Test this profile" });
  const lenses = await until(async () => (await lens.count()) > 0 && (await lens.count()));
  check("\"Test this profile\" lenses appear above the profiles", lenses, `${await lens.count()} lenses`);
  if (!lenses) return;
  // The lens above [profile role-b]: the view line before the one that holds the header.
  const roleB = page.locator(".view-line", { hasText: /\[profile\s+role-b\]/ });
  const headerBox = await roleB.boundingBox();
  let target = lens.first();
  for (let index = 0; index < (await lens.count()); index++) {
    const box = await lens.nth(index).boundingBox();
    if (headerBox && box && box.y < headerBox.y && headerBox.y - box.y < 40) target = lens.nth(index);
  }
  await target.click();
  const input = page.locator(".quick-input-widget input");
  const prompted = await until(() => input.isVisible());
  const placeholder = prompted ? await input.getAttribute("placeholder") : null;
  check("the MFA input box names the device of role-a", placeholder?.includes("arn:aws:iam::222222222222:mfa/User1"), placeholder);
  check("the MFA input box hides what is typed", (await input.getAttribute("type")) === "password", await input.getAttribute("type"));
  if (!prompted) return;
  await page.keyboard.type("12a");
  const refused = await until(async () => (await page.locator(".quick-input-widget").innerText()).includes("An MFA code is 6 digits."));
  check("the MFA input box refuses what is not 6 digits", refused, await page.locator(".quick-input-widget").innerText());
  await input.fill("");
  const serial = "arn:aws:iam::222222222222:mfa/User1";
  const code = (await (await fetch(`${fakeSts}/_fake/totp?serial=${encodeURIComponent(serial)}`)).text()).trim();
  await page.keyboard.type(code);
  await page.keyboard.press("Enter");
  const toast = await until(async () => {
    const text = await page.locator(".notifications-toasts").innerText();
    return text.includes("role-b: you are arn:aws:sts::111111111111:assumed-role/RoleB/") ? text : undefined;
  }, 60000);
  check("the notification shows who role-b becomes", toast, await page.locator(".notifications-toasts").innerText().catch(() => ""));
  if (toast) await screenshot("lens-result.png");
}

try {
  await run();
} catch (error) {
  check("the test script ran without an exception", false, error?.stack ?? error);
  await screenshot("failure.png", failures_dir).catch(() => {});
} finally {
  if (failures > 0 && consoleErrors.length > 0) console.log(`# browser console errors:\n# ${consoleErrors.slice(-10).join("\n# ")}`);
  if (failures > 0) await screenshot("failure.png", failures_dir).catch(() => {});
  await browser.close();
}
console.log(`vscode e2e: ${count - failures} passed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
