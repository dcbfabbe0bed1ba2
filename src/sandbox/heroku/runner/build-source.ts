import { readTarGz, type TarFiles } from './tar.js';

/**
 * What the build system learns from a source tarball, read the way Heroku reads it: the app is at
 * the archive root, or inside its single top-level directory (GitHub archive tarballs). Process
 * types come from the `Procfile`; without one, a package.json `start` script gives `web: npm start`
 * as the Node.js buildpack does; otherwise there are none. The language is what the official
 * buildpacks would detect. Buildpacks are not run: the slug is the source as uploaded.
 */
export type SourceInspection =
  | {
      readonly ok: true;
      readonly processTypes: Record<string, string>;
      /** Where the process types came from, for the build output. */
      readonly origin: 'procfile' | 'default' | 'none';
      readonly language: string | null;
    }
  | { readonly ok: false; readonly reason: string };

const DETECTORS: readonly (readonly [language: string, buildpack: string, files: readonly string[]])[] = [
  ['Node.js', 'heroku/nodejs', ['package.json']],
  ['Ruby', 'heroku/ruby', ['Gemfile']],
  ['Python', 'heroku/python', ['requirements.txt', 'pyproject.toml', 'Pipfile', 'setup.py']],
  ['Go', 'heroku/go', ['go.mod']],
  ['Java', 'heroku/java', ['pom.xml']],
  ['Gradle', 'heroku/gradle', ['build.gradle', 'build.gradle.kts']],
  ['PHP', 'heroku/php', ['composer.json', 'index.php']],
  ['Scala', 'heroku/scala', ['build.sbt']],
  ['Clojure', 'heroku/clojure', ['project.clj']],
];

/** The language an official buildpack name stands for (`heroku/nodejs` → `Node.js`). */
export function languageOfBuildpack(name: string): string | undefined {
  return DETECTORS.find(([, buildpack]) => buildpack === name)?.[0];
}

/** The official buildpack that detects these files, if any. */
export function detectBuildpack(files: TarFiles): { language: string; buildpack: string } | undefined {
  const found = DETECTORS.find(([, , markers]) => markers.some((m) => files.has(m)));
  return found === undefined ? undefined : { language: found[0], buildpack: found[1] };
}

export function inspectSource(data: Buffer, buildpacks: readonly { name: string }[] | null): SourceInspection {
  let files: TarFiles;
  try {
    files = appRoot(readTarGz(data));
  } catch (e) {
    return { ok: false, reason: `The source is not a valid .tar.gz archive: ${(e as Error).message}.` };
  }
  const procfile = files.get('Procfile');
  const chosen = buildpacks?.map((b) => languageOfBuildpack(b.name)).find((l) => l !== undefined);
  const language = chosen ?? detectBuildpack(files)?.language ?? null;
  if (procfile !== undefined) {
    const processTypes = parseProcfile(procfile.toString('utf8'));
    return { ok: true, processTypes, origin: Object.keys(processTypes).length > 0 ? 'procfile' : 'none', language };
  }
  const manifest = files.get('package.json');
  if (manifest !== undefined) {
    let scripts: unknown;
    try {
      scripts = (JSON.parse(manifest.toString('utf8')) as { scripts?: unknown } | null)?.scripts;
    } catch (e) {
      return { ok: false, reason: `Unable to parse package.json: ${(e as Error).message}.` };
    }
    const start =
      typeof scripts === 'object' && scripts !== null ? (scripts as Record<string, unknown>)['start'] : undefined;
    if (typeof start === 'string') return { ok: true, processTypes: { web: 'npm start' }, origin: 'default', language };
  }
  return { ok: true, processTypes: {}, origin: 'none', language };
}

/** `type: command` lines; anything else (comments, blanks, malformed lines) is ignored, as by Heroku. */
export function parseProcfile(text: string): Record<string, string> {
  const types: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^([A-Za-z0-9_-]{1,128}):\s*(.*\S)\s*$/.exec(line);
    if (match !== null) types[match[1] as string] = match[2] as string;
  }
  return types;
}

/** The files relative to the app root: a single top-level directory holding everything is stripped. */
function appRoot(files: TarFiles): TarFiles {
  const prefix = appRootPrefix(files.keys());
  if (prefix === '') return files;
  return new Map([...files].map(([path, data]) => [path.slice(prefix.length), data]));
}

/**
 * What to strip from archive paths to reach the app root: `dir/` when a single top-level
 * directory holds everything (GitHub archive tarballs), else nothing.
 */
export function appRootPrefix(paths: Iterable<string>): string {
  const tops = new Set([...paths].map((p) => (p.includes('/') ? p.slice(0, p.indexOf('/')) : '')));
  if (tops.size !== 1 || tops.has('')) return '';
  const [top] = tops as Set<string>;
  return `${top as string}/`;
}
