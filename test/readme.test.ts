/**
 * Keeps the README and the pages in docs/ true to the tree.
 *
 * Conventions the pages follow (so a test can read them):
 * - docs/architecture.md `## Layout`: a fenced code block; each non-empty line starts with a path from the
 *   repository root (a folder ends in `/`), then a description. Every such path must exist.
 * - docs/architecture.md: text in backticks that starts with `src/`, `test/`, `cards/` or
 *   `scripts/` is a path from the repository root (the hop maps name files this way), and must
 *   exist unless it holds a placeholder (`<`, `*`, `{`).
 * - Links: every Markdown link or image whose target has no scheme is relative to the page, and
 *   must point to a file; a `#fragment` must match a heading of the target page.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = join(__dirname, '..');
const read = (rel: string) => readFileSync(join(root, rel), 'utf8');

const MAX_README_LINES = 200;
const START_COMMANDS_WITHIN = 40;

/** The pages whose links are checked, relative to the repository root. */
function pages(): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`);
  return ['README.md', 'bench/README.md', ...docs];
}

/** The lines after a `## title` heading, up to the next `## ` heading. */
function section(md: string, title: string): string[] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.trim() === `## ${title}`);
  assert.ok(start >= 0, `no "## ${title}" section`);
  const end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The lines inside fenced code blocks (fences excluded). */
function codeLines(lines: string[]): string[] {
  let inside = false;
  const out: string[] = [];
  for (const l of lines) {
    if (/^\s*```/.test(l)) inside = !inside;
    else if (inside) out.push(l);
  }
  return out;
}

/** The text without fenced code blocks and inline code spans, where brackets are not links. */
function prose(md: string): string {
  return md.replace(/^\s*```[\s\S]*?^\s*```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/`/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

/** Every heading anchor of a page, with GitHub's -1, -2 suffixes for repeated headings. */
function anchors(md: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of prose(md).matchAll(/^#{1,6} (.+)$/gm)) {
    const base = slug(m[1]!.trim());
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

/** Whether `rel` exists as a folder (when it ends in `/`) or as a file. */
function exists(rel: string): boolean {
  const full = join(root, rel);
  if (!existsSync(full)) return false;
  return rel.endsWith('/') ? statSync(full).isDirectory() : statSync(full).isFile();
}

describe('README and docs/ stay true to the tree', () => {
  const readme = read('README.md');

  it(`the README is at most ${MAX_README_LINES} lines`, () => {
    const lines = readme.replace(/\n$/, '').split('\n').length;
    assert.ok(lines <= MAX_README_LINES, `README.md has ${lines} lines`);
  });

  it(`the README shows npm install, npm start and npm test in its first ${START_COMMANDS_WITHIN} lines`, () => {
    const commands = codeLines(readme.split('\n').slice(0, START_COMMANDS_WITHIN)).map((l) => l.trim());
    for (const c of ['npm install', 'npm start', 'npm test'])
      assert.ok(
        commands.some((l) => l === c || l.startsWith(`${c} `)),
        `"${c}" is not in a code block within the first ${START_COMMANDS_WITHIN} lines`,
      );
  });

  it('every path in the Layout section of docs/architecture.md exists', () => {
    const entries = codeLines(section(read('docs/architecture.md'), 'Layout')).filter((l) => l.trim());
    assert.ok(entries.length >= 10, 'the Layout section lists too few paths');
    const missing: string[] = [];
    for (const line of entries) {
      const path = line.trim().split(/\s+/)[0]!;
      assert.ok(/[./]/.test(path), `Layout line does not start with a path: "${line}"`);
      assert.ok(!path.startsWith('/') && !path.split('/').includes('..'), `not a path in the repository: ${path}`);
      if (!exists(path)) missing.push(path);
    }
    assert.deepEqual(missing, [], `Layout names paths that do not exist: ${missing.join(', ')}`);
  });

  it('every file path named in docs/architecture.md exists', () => {
    const page = read('docs/architecture.md');
    const paths = [...page.matchAll(/`((?:src|test|cards|scripts)\/[^`\s]*)`/g)]
      .map((m) => m[1]!)
      .filter((p) => !/[<*{]/.test(p));
    assert.ok(paths.length >= 10, 'docs/architecture.md names too few paths');
    const missing = [...new Set(paths.filter((p) => !exists(p)))];
    assert.deepEqual(missing, [], `docs/architecture.md names paths that do not exist: ${missing.join(', ')}`);
  });

  it('every relative link in the README and docs/ points to a file (and heading) that exists', () => {
    const broken: string[] = [];
    for (const page of pages()) {
      const md = read(page);
      for (const m of prose(md).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        const target = m[1]!;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
        const [file, fragment] = target.split('#') as [string, string | undefined];
        const full = file ? resolve(root, dirname(page), decodeURIComponent(file)) : join(root, page);
        const rel = relative(root, full);
        if (rel.startsWith('..') || !existsSync(full) || !statSync(full).isFile()) {
          broken.push(`${page}: ${target} (no such file)`);
          continue;
        }
        if (fragment && rel.endsWith('.md') && !anchors(readFileSync(full, 'utf8')).has(fragment))
          broken.push(`${page}: ${target} (no such heading)`);
      }
    }
    assert.deepEqual(broken, []);
  });

  it('the README links to every page in docs/', () => {
    const linked = new Set([...readme.matchAll(/\]\((docs\/[^)#\s]+\.md)/g)].map((m) => m[1]));
    const unlinked = pages().filter((p) => p.startsWith('docs/') && !linked.has(p));
    assert.deepEqual(unlinked, [], `docs pages the README does not link: ${unlinked.join(', ')}`);
  });
});
