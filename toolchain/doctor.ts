// `longmode doctor`: which tools are present, their versions, and how to install what is missing.
import { execFile } from 'node:child_process';
import { TOOLS, aptInstallLine, installCommand, locateTool, type ToolName } from './tools';

export interface ToolStatus {
  tool: ToolName;
  found: boolean;
  path?: string;
  version?: string;
  neededFor: 'build' | 'boot' | 'tests';
  /** how to install it (set when missing) */
  install?: string;
}

export interface DoctorReport {
  /** every tool needed to build and boot (nasm, cargo, rustc, QEMU) is present */
  ok: boolean;
  tools: ToolStatus[];
  /** one apt-get line for the missing apt packages, when any */
  aptInstall?: string;
  /** the rustup line, when cargo or rustc is missing */
  rustInstall?: string;
}

export async function runDoctor(env: NodeJS.ProcessEnv = process.env): Promise<DoctorReport> {
  const tools = await Promise.all(TOOLS.map((info) => checkTool(info.name, env)));
  const missing = tools.filter((t) => !t.found);
  const ok = tools.every((t) => t.found || t.neededFor === 'tests');
  const report: DoctorReport = { ok, tools };
  const apt = aptInstallLine(missing.map((t) => t.tool));
  if (apt) report.aptInstall = apt;
  if (missing.some((t) => t.tool === 'cargo' || t.tool === 'rustc')) report.rustInstall = installCommand('cargo');
  return report;
}

export async function checkTool(tool: ToolName, env: NodeJS.ProcessEnv = process.env): Promise<ToolStatus> {
  const info = TOOLS.find((t) => t.name === tool)!;
  const path = await locateTool(tool, env);
  if (!path) return { tool, found: false, neededFor: info.neededFor, install: installCommand(tool) };
  const output = await versionOutput(path, info.versionArgs, env);
  const version = info.versionPattern.exec(output)?.[1];
  return { tool, found: true, path, neededFor: info.neededFor, ...(version ? { version } : {}) };
}

function versionOutput(path: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve) => {
    execFile(path, args, { env, timeout: 10_000, maxBuffer: 1 << 20 }, (_err, stdout, stderr) => {
      resolve(`${stdout ?? ''}\n${stderr ?? ''}`);
    });
  });
}
