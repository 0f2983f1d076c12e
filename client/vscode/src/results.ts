// Pure helpers of the VS Code client (no vscode import, so they run under plain node too).

/** Params of the server's `awsconfig/mfaCode` request. */
export interface MfaCodeParams {
  profile: string;
  mfaSerial: string;
  attempt?: number;
}

export interface TestError {
  code?: string;
  message?: string;
  hint?: string;
}

export interface TestHop {
  profile?: string;
  action?: string;
  roleArn?: string;
  mfaSerial?: string;
  ok?: boolean;
  ms?: number;
  error?: TestError | string | null;
}

/** The result of `workspace/executeCommand` `awsconfig.testProfile`. */
export interface TestResult {
  profile: string;
  ok: boolean;
  identity?: { account?: string; arn?: string; userId?: string } | null;
  hops?: TestHop[] | null;
  error?: TestError | null;
}

export function isTestResult(value: unknown): value is TestResult {
  return typeof value === "object" && value !== null && typeof (value as TestResult).profile === "string" && typeof (value as TestResult).ok === "boolean";
}

/** The input box of the MFA prompt: password style, names the device, accepts exactly six digits. */
export function mfaPromptOptions(params: MfaCodeParams) {
  const again = params.attempt && params.attempt > 1 ? ` (attempt ${params.attempt})` : "";
  return {
    title: `MFA code for profile ${params.profile}${again}`,
    prompt: `Enter the 6-digit code your MFA device ${params.mfaSerial} shows (Escape cancels the test).`,
    placeHolder: `MFA code for ${params.mfaSerial}`,
    password: true,
    ignoreFocusOut: true,
    validateInput: validateMfaCode,
  };
}

export function validateMfaCode(value: string): string | undefined {
  return /^\d{6}$/.test(value.trim()) ? undefined : "An MFA code is 6 digits.";
}

function errorText(error: TestError | string | null | undefined): string {
  if (!error) return "";
  if (typeof error === "string") return error;
  return [error.code ? `${error.code}: ` : "", error.message ?? "", error.hint ? ` (${error.hint})` : ""].join("");
}

/** The one-line notification and the output channel's block for a test result. */
export function formatTestResult(result: TestResult, at: Date): { summary: string; details: string } {
  const identity = result.identity;
  const summary = result.ok
    ? `${result.profile}: you are ${identity?.arn ?? "?"}${identity?.account ? ` (account ${identity.account})` : ""}`
    : `${result.profile}: ${result.error?.message ?? "the test failed"}${result.error?.hint ? ` ${result.error.hint}` : ""}`;
  const lines = [`[${at.toISOString()}] Test profile ${result.profile}: ${result.ok ? "OK" : "FAILED"}`];
  for (const hop of result.hops ?? []) {
    const what = [hop.action ?? "", hop.roleArn ?? "", hop.mfaSerial ? `MFA ${hop.mfaSerial}` : ""].filter(Boolean).join(" ");
    const time = typeof hop.ms === "number" ? ` ${hop.ms} ms` : "";
    lines.push(`  ${hop.ok === false ? "FAIL" : "ok  "} ${hop.profile ?? ""}: ${what}${time}${hop.error ? ` - ${errorText(hop.error)}` : ""}`);
  }
  if (identity) {
    lines.push(`  identity: ${identity.arn ?? "?"} account ${identity.account ?? "?"} user id ${identity.userId ?? "?"}`);
  }
  if (result.error) lines.push(`  error: ${errorText(result.error)}`);
  return { summary, details: lines.join("\n") };
}
