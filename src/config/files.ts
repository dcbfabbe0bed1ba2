/**
 * Finding and reading the config file: the only config code that touches the file system (through
 * `ConfigFiles`, node:fs by default). Refuses files over `MAX_CONFIG_BYTES` and non-UTF-8 text.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Diagnostic } from '../runtime/diagnostics.js';
import { decodeUtf8, MAX_CONFIG_BYTES } from './text.js';
import type { Position } from './tree.js';

/** Files tried, in order, when no `--config PATH` is given (relative to the working directory). */
export const CONFIG_LOOKUP: readonly string[] = ['app.yaml', 'config/app.yaml'];

/** The file-system access the config module needs; tests inject an in-memory one. */
export interface ConfigFiles {
  /** True when `absolutePath` names an existing regular file. */
  isFile(absolutePath: string): boolean;
  /** At most `maxBytes` bytes of the file; throws a Node-style error (with `code`) on failure. */
  read(absolutePath: string, maxBytes: number): Uint8Array;
}

export const nodeFiles: ConfigFiles = {
  isFile(absolutePath) {
    try {
      return statSync(absolutePath).isFile();
    } catch {
      return false;
    }
  },
  read(absolutePath, maxBytes) {
    // Read at most maxBytes so that an enormous file is refused without loading it.
    const fd = openSync(absolutePath, 'r');
    try {
      const buffer = Buffer.alloc(maxBytes);
      let filled = 0;
      while (filled < maxBytes) {
        const n = readSync(fd, buffer, filled, maxBytes - filled, null);
        if (n === 0) break;
        filled += n;
      }
      return buffer.subarray(0, filled);
    } finally {
      closeSync(fd);
    }
  },
};

export interface LocatedFile {
  /** As the user gave it, or the lookup name: what diagnostics and `Config.file` show. */
  readonly display: string;
  readonly absolute: string;
}

export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly diagnostics: Diagnostic[] };

/** `--config PATH` when given (not checked here: reading reports a missing file), else the lookup. */
export function locateConfigFile(options: { path?: string; cwd: string; files: ConfigFiles }): Outcome<LocatedFile> {
  if (options.path !== undefined) {
    return { ok: true, value: { display: options.path, absolute: resolve(options.cwd, options.path) } };
  }
  for (const candidate of CONFIG_LOOKUP) {
    const absolute = resolve(options.cwd, candidate);
    if (options.files.isFile(absolute)) return { ok: true, value: { display: candidate, absolute } };
  }
  return {
    ok: false,
    diagnostics: [
      {
        severity: 'error',
        message: `no configuration found: looked for ${CONFIG_LOOKUP.join(' and ')} in ${options.cwd}`,
        hint: 'create app.yaml (see config/app.yaml in the daffeinated repository) or pass --config PATH',
      },
    ],
  };
}

/** Reads the file as strict UTF-8 text, refusing files over `MAX_CONFIG_BYTES`. */
export function readConfigText(file: LocatedFile, files: ConfigFiles): Outcome<string> {
  const fail = (message: string, hint?: string, position?: Position): Outcome<string> => ({
    ok: false,
    diagnostics: [
      { severity: 'error', message, file: file.display, ...position, ...(hint === undefined ? {} : { hint }) },
    ],
  });
  let bytes: Uint8Array;
  try {
    bytes = files.read(file.absolute, MAX_CONFIG_BYTES + 1);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') return fail(`config file not found: ${file.display}`, 'check the --config path');
    if (code === 'EISDIR')
      return fail(`${file.display} is a directory, not a config file`, 'pass the YAML file itself');
    return fail(`cannot read ${file.display}: ${(error as Error).message}`);
  }
  if (bytes.length > MAX_CONFIG_BYTES) {
    return fail(`${file.display} is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MiB`, 'is this really app.yaml?');
  }
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) {
    return fail(`${file.display} is not valid UTF-8`, 'save the file as UTF-8', {
      line: decoded.line,
      col: decoded.col,
    });
  }
  return { ok: true, value: decoded.text };
}
