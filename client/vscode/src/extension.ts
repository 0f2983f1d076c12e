// The VS Code client of awsconfig-lsp. All intelligence is in the server; this file starts it, answers its MFA prompt,
// shows the results of "Test this profile", and offers a few commands that reuse what the server already answers
// (code lenses, document symbols, hover).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
} from "vscode-languageclient/node";
import { formatTestResult, isTestResult, mfaPromptOptions, MfaCodeParams, TestResult } from "./results";

export const TEST_PROFILE_COMMAND = "awsconfig.testProfile";
const CLEAR_SESSION_COMMAND = "awsconfig.clearCachedSession";
const LANGUAGES = ["awsconfig", "awscredentials"];

let client: LanguageClient | undefined;
let starting: Promise<LanguageClient | undefined> | undefined;
let testOutput: vscode.OutputChannel | undefined;

export function activate(context: vscode.ExtensionContext): void {
  testOutput = vscode.window.createOutputChannel("AWS Config: Profile Tests");
  context.subscriptions.push(testOutput);

  // AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE may name files anywhere: give them our languages when opened.
  const adopt = (document: vscode.TextDocument) => {
    const language = languageForEnvironmentFile(document);
    if (language && document.languageId !== language) {
      void vscode.languages.setTextDocumentLanguage(document, language);
    }
    if (LANGUAGES.includes(document.languageId)) void ensureStarted(context);
  };
  vscode.workspace.textDocuments.forEach(adopt);
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(adopt));

  const register = (id: string, fn: (...args: unknown[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  register("awsconfig.testProfileAtCursor", () => runLensAtCursor(context, (title, command) => command === TEST_PROFILE_COMMAND));
  register("awsconfig.clearCachedSessionAtCursor", () => runLensAtCursor(context, (title, command) => command === CLEAR_SESSION_COMMAND));
  register("awsconfig.showResolvedChain", () => showResolvedChain(context));
  register("awsconfig.restartServer", async () => {
    if (client) {
      await client.restart();
    } else {
      await ensureStarted(context);
    }
  });
  register("awsconfig.openConfigFile", () => openAwsFile("config"));
  register("awsconfig.openCredentialsFile", () => openAwsFile("credentials"));
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
}

function languageForEnvironmentFile(document: vscode.TextDocument): string | undefined {
  if (document.uri.scheme !== "file") return undefined;
  const file = path.resolve(document.uri.fsPath);
  if (process.env.AWS_CONFIG_FILE && file === path.resolve(expandHome(process.env.AWS_CONFIG_FILE))) return "awsconfig";
  if (process.env.AWS_SHARED_CREDENTIALS_FILE && file === path.resolve(expandHome(process.env.AWS_SHARED_CREDENTIALS_FILE))) return "awscredentials";
  return undefined;
}

function expandHome(file: string): string {
  return file.startsWith("~/") ? path.join(os.homedir(), file.slice(2)) : file;
}

/** The file the AWS CLI reads, as the CLI finds it: the environment variable, else ~/.aws/NAME. */
function awsFilePath(kind: "config" | "credentials"): string {
  const variable = kind === "config" ? process.env.AWS_CONFIG_FILE : process.env.AWS_SHARED_CREDENTIALS_FILE;
  return variable ? path.resolve(expandHome(variable)) : path.join(os.homedir(), ".aws", kind);
}

async function openAwsFile(kind: "config" | "credentials"): Promise<void> {
  const file = awsFilePath(kind);
  // A missing file opens as a new, unsaved one at that path: saving creates it.
  const uri = fs.existsSync(file) ? vscode.Uri.file(file) : vscode.Uri.file(file).with({ scheme: "untitled" });
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  if (!LANGUAGES.includes(document.languageId)) {
    await vscode.languages.setTextDocumentLanguage(document, kind === "config" ? "awsconfig" : "awscredentials");
  }
}

/** The server to run: the setting, else the bundled native binary for this platform, else the bundled dll with dotnet. */
export function resolveServer(extensionPath: string, configured: string): { command: string; args: string[] } | string {
  const asCommand = (file: string) =>
    file.toLowerCase().endsWith(".dll") ? { command: "dotnet", args: [file] } : { command: file, args: [] };
  if (configured.trim()) {
    const file = path.resolve(expandHome(configured.trim()));
    if (!fs.existsSync(file)) return `awsconfig.server.path is ${file}, which does not exist.`;
    return asCommand(file);
  }
  const rid = runtimeIdentifier();
  const exe = process.platform === "win32" ? "awsconfig-lsp.exe" : "awsconfig-lsp";
  const candidates = [
    path.join(extensionPath, "dist", "server", rid, exe),
    path.join(extensionPath, "dist", "server", "any", "awsconfig-lsp.dll"),
    // Running the extension from a clone of the repository (F5 / --extensionDevelopmentPath).
    path.join(extensionPath, "server", "AwsConfigLsp.Server", "bin", "Release", "net10.0", "awsconfig-lsp.dll"),
    path.join(extensionPath, "server", "AwsConfigLsp.Server", "bin", "Debug", "net10.0", "awsconfig-lsp.dll"),
  ];
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) {
    return `No awsconfig-lsp server for ${rid} in this extension, and no awsconfig-lsp.dll. Set awsconfig.server.path to a server you built (see the README).`;
  }
  return asCommand(found);
}

function runtimeIdentifier(): string {
  const osName = process.platform === "win32" ? "win" : process.platform === "darwin" ? "osx" : process.platform;
  return `${osName}-${process.arch}`;
}

function ensureStarted(context: vscode.ExtensionContext): Promise<LanguageClient | undefined> {
  starting ??= start(context).catch((error: unknown) => {
    starting = undefined;
    void vscode.window.showErrorMessage(`AWS Config: the language server did not start: ${messageOf(error)}`);
    return undefined;
  });
  return starting;
}

async function start(context: vscode.ExtensionContext): Promise<LanguageClient | undefined> {
  const settings = vscode.workspace.getConfiguration("awsconfig");
  const server = resolveServer(context.extensionPath, settings.get<string>("server.path", ""));
  if (typeof server === "string") {
    starting = undefined;
    void vscode.window.showErrorMessage(`AWS Config: ${server}`);
    return undefined;
  }
  const serverOptions: ServerOptions = {
    run: { command: server.command, args: [...server.args, "--stdio"] },
    debug: { command: server.command, args: [...server.args, "--stdio"] },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => [
      { scheme: "file", language },
      { scheme: "untitled", language },
    ]),
    synchronize: { configurationSection: "awsconfig" },
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    middleware: {
      executeCommand: async (command, args, next) => {
        const result = await next(command, args);
        if (command === TEST_PROFILE_COMMAND) showTestResult(result);
        return result;
      },
    },
  };
  client = new LanguageClient("awsconfig", "AWS Config Language Server", serverOptions, clientOptions);
  client.onRequest("awsconfig/mfaCode", (params: MfaCodeParams) => askMfaCode(params));
  context.subscriptions.push(client);
  await client.start();
  return client;
}

/** Answers the server's MFA prompt: `{code}`, or null when the user presses Escape. */
async function askMfaCode(params: MfaCodeParams): Promise<{ code: string } | null> {
  const code = await vscode.window.showInputBox(mfaPromptOptions(params));
  return code === undefined ? null : { code: code.trim() };
}

/** The server shows the one-line outcome itself (window/showMessage); the output channel gets every hop. */
function showTestResult(result: unknown): void {
  if (!isTestResult(result)) return;
  testOutput?.appendLine(formatTestResult(result, new Date()).details);
}

/** Runs the server's code lens that `wanted` picks for the profile around the cursor (or one the user picks). */
async function runLensAtCursor(context: vscode.ExtensionContext, wanted: (title: string, command: string) => boolean): Promise<unknown> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !LANGUAGES.includes(editor.document.languageId)) {
    void vscode.window.showWarningMessage("AWS Config: open an AWS config or credentials file first.");
    return undefined;
  }
  const running = await ensureStarted(context);
  if (!running || running.state !== State.Running) return undefined;
  const lenses = ((await vscode.commands.executeCommand<vscode.CodeLens[]>("vscode.executeCodeLensProvider", editor.document.uri)) ?? [])
    .filter((lens) => lens.command && wanted(lens.command.title, lens.command.command))
    .sort((a, b) => a.range.start.line - b.range.start.line);
  if (lenses.length === 0) {
    void vscode.window.showInformationMessage("AWS Config: the server offers nothing to run here (no profile with a credential chain, or no cached session).");
    return undefined;
  }
  const line = editor.selection.active.line;
  let lens = [...lenses].reverse().find((candidate) => candidate.range.start.line <= line);
  if (!lens || lenses.length > 1 && !sectionContains(editor.document, lens.range.start.line, line)) {
    const picked = await vscode.window.showQuickPick(
      lenses.map((candidate) => ({ label: editor.document.lineAt(candidate.range.start.line).text.trim(), description: candidate.command!.title, lens: candidate })),
      { placeHolder: "Which profile?" });
    lens = picked?.lens;
  }
  if (!lens?.command) return undefined;
  return vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
}

/** True when no section header lies between the lens line and the cursor line. */
function sectionContains(document: vscode.TextDocument, lensLine: number, line: number): boolean {
  for (let index = lensLine + 1; index <= line; index++) {
    if (/^\s*\[/.test(document.lineAt(index).text)) return false;
  }
  return true;
}

/** Shows the server's hover for the profile around the cursor: it holds the resolved chain. */
async function showResolvedChain(context: vscode.ExtensionContext): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !LANGUAGES.includes(editor.document.languageId)) return;
  await ensureStarted(context);
  const symbols = (await vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[]>(
    "vscode.executeDocumentSymbolProvider", editor.document.uri)) ?? [];
  const position = editor.selection.active;
  const section = symbols
    .map((symbol) => ("selectionRange" in symbol ? { range: symbol.range, at: symbol.selectionRange.start } : { range: symbol.location.range, at: symbol.location.range.start }))
    .find((symbol) => symbol.range.contains(position));
  if (!section) {
    void vscode.window.showInformationMessage("AWS Config: put the cursor in a profile to see its chain.");
    return;
  }
  editor.selection = new vscode.Selection(section.at, section.at);
  editor.revealRange(new vscode.Range(section.at, section.at));
  await vscode.commands.executeCommand("editor.action.showHover");
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export type { TestResult };
