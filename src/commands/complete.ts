import { loadConfig } from '../config/index.js';
import type { Io } from '../runtime/io.js';
import { prepareEnvironments } from '../workflows/prepare.js';

/** What app.yaml offers to complete: environment names, and the addresses `--allow-destroy` takes. */
export interface Completable {
  readonly environments: readonly string[];
  readonly protectedAddresses: readonly string[];
}

/** An option as completion sees it (cli.ts describes commander's). */
export interface OptionSpec {
  readonly long?: string;
  readonly short?: string;
  /** Whether a value must follow it (`--format <format>`). */
  readonly takesValue: boolean;
  /** Whether it takes every word up to the next option (`--allow-destroy <address...>`). */
  readonly variadic: boolean;
  readonly choices?: readonly string[];
}

/** The visible commands and their options, and the global options. */
export interface ProgramSpec {
  readonly options: readonly OptionSpec[];
  readonly commands: readonly { readonly name: string; readonly options: readonly OptionSpec[] }[];
}

/** The shells `completion` writes scripts for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;

/** Option values completed from app.yaml, by long flag; other value options get the shell's file names. */
const ENVIRONMENT_OPTIONS = new Set(['--from', '--to']);
const ADDRESS_OPTIONS = new Set(['--allow-destroy']);
/** Commands whose positional arguments are environment names. */
const ENVIRONMENT_ARGUMENTS = new Set(['plan', 'apply', 'deploy', 'drift', 'diff']);

/**
 * The candidates for the last of `words` (the command line after `daffeinated`, the word being
 * completed last, possibly empty), one per line, read from the program's own commands and options
 * so they never fall behind it. Pure: `app` is read by the caller. An empty answer lets the
 * shell complete file names.
 */
export function candidates(program: ProgramSpec, words: readonly string[], app: () => Completable): string[] {
  const current = words.at(-1) ?? '';
  let command: ProgramSpec['commands'][number] | undefined;
  let pending: OptionSpec | undefined;
  const optionsNow = () => (command === undefined ? program.options : [...command.options, ...program.options]);
  for (const word of words.slice(0, -1)) {
    if (pending !== undefined && !word.startsWith('-')) {
      // A variadic option (`--allow-destroy A B`) takes words until the next option.
      if (!pending.variadic) pending = undefined;
      continue;
    }
    pending = undefined;
    if (word.startsWith('-')) {
      const option = optionsNow().find((o) => o.long === word || o.short === word);
      if (option?.takesValue) pending = option;
      continue;
    }
    command ??= program.commands.find((c) => c.name === word);
  }
  const matching = (list: readonly string[]) => list.filter((c) => c.startsWith(current));
  if (pending !== undefined && !current.startsWith('-')) return matching(optionValues(pending, app));
  if (current.startsWith('-')) return matching([...optionsNow().flatMap((o) => (o.long === undefined ? [] : [o.long])), '--help']);
  if (command === undefined) return matching(program.commands.map((c) => c.name));
  if (command.name === 'completion') return matching([...SHELLS]);
  if (ENVIRONMENT_ARGUMENTS.has(command.name)) return matching([...app().environments]);
  return [];
}

function optionValues(option: OptionSpec, app: () => Completable): readonly string[] {
  if (option.choices !== undefined) return option.choices;
  if (option.long !== undefined && ENVIRONMENT_OPTIONS.has(option.long)) return app().environments;
  if (option.long !== undefined && ADDRESS_OPTIONS.has(option.long)) return app().protectedAddresses;
  return [];
}

/**
 * The environments and protected addresses of app.yaml (`--config` among `words`, else the usual
 * places), or none when it cannot be read or is invalid: completion never fails.
 */
export function completableFrom(io: Io, words: readonly string[]): Completable {
  const at = words.findIndex((w) => w === '--config' || w === '-c');
  const path = at >= 0 ? words[at + 1] : undefined;
  try {
    const config = loadConfig({ ...(path === undefined ? {} : { path }), cwd: io.cwd, env: io.env });
    const environments = Object.keys(config.environments).sort();
    let protectedAddresses: string[] = [];
    try {
      const prepared = prepareEnvironments(config, { names: [], all: true, defaultAll: true }, io.env);
      protectedAddresses = prepared.desired.resources.filter((r) => r.protect === true).map((r) => r.address).sort();
    } catch {
      // A variable app.yaml reads is unset: the environments are still known.
    }
    return { environments, protectedAddresses };
  } catch {
    return { environments: [], protectedAddresses: [] };
  }
}
