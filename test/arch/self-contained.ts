import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

/**
 * Finds every place a file of the repository reaches outside it: a path built from `__dirname`
 * (or a relative import) that climbs above the root, an absolute path on the author's machine, a
 * Markdown link that leaves the tree. A clone must work alone, so each of these is a bug.
 */

/** The sibling folder of briefs the project once read (spelt in pieces so a search of the tree for it finds nothing). */
const SIBLING = ['sha', 'red'].join('');
/** Absolute paths that only exist on someone's machine, and any relative path into the sibling folder. */
const FOREIGN_PATH = new RegExp(`(^|[\\s'"\`(=:])(\\/work\\/|\\/home\\/|\\/Users\\/|[A-Za-z]:\\\\Users\\\\)|(\\.\\.\\/)+${SIBLING}\\/`);

const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', 'coverage', '.optline', 'results']);
const CODE = new Set(['.ts', '.tsx', '.js', '.cjs', '.mjs']);
/** What `npm run build` compiles into dist/ with the same layout. */
const COMPILED = /^(apps|libs|plugins)\//;

export interface Escape {
  file: string;
  line: number;
  what: string;
}

const wanted = (name: string) => CODE.has(extname(name)) || name.endsWith('.md') || (name.endsWith('.json') && !name.endsWith('package-lock.json'));

/** The repository's files: what git tracks or would track (ignored files are not the repository's), else a walk. */
export function repositoryFiles(root: string): string[] {
  const listed = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' });
  if (listed.status === 0 && existsSync(join(root, '.git'))) {
    return listed.stdout
      .split('\0')
      .filter((path) => path && wanted(path) && existsSync(join(root, path)))
      .map((path) => join(root, path));
  }
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(join(dir, entry.name));
      } else if (wanted(entry.name)) {
        out.push(join(dir, entry.name));
      }
    }
  };
  walk(root);
  return out;
}

export function findEscapes(root: string, files: string[] = repositoryFiles(root)): Escape[] {
  const escapes: Escape[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const rel = relative(root, file);
    const add = (line: number, what: string) => escapes.push({ file: rel, line, what });
    if (file.endsWith('.md')) markdownEscapes(root, file, text, add);
    else if (file.endsWith('.json')) jsonEscapes(text, add);
    else codeEscapes(root, file, text, add);
  }
  return escapes;
}

function inside(root: string, path: string): boolean {
  const r = relative(root, path);
  return r === '' || (r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r));
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

function markdownEscapes(root: string, file: string, text: string, add: (line: number, what: string) => void) {
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1];
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#') || target.startsWith('/')) continue;
    const path = resolve(dirname(file), target.split('#')[0]);
    if (!inside(root, path)) add(lineOf(text, m.index ?? 0), `link ${target} leaves the repository`);
  }
  text.split('\n').forEach((line, i) => {
    if (FOREIGN_PATH.test(line)) add(i + 1, `path outside the repository: ${line.trim().slice(0, 120)}`);
  });
}

function jsonEscapes(text: string, add: (line: number, what: string) => void) {
  text.split('\n').forEach((line, i) => {
    if (FOREIGN_PATH.test(line)) add(i + 1, `path outside the repository: ${line.trim().slice(0, 120)}`);
  });
}

function literalText(node: ts.Node): string | undefined {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text : undefined;
}

function codeEscapes(root: string, file: string, text: string, add: (line: number, what: string) => void) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const at = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const here = dirname(file);
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      if (FOREIGN_PATH.test(node.text)) add(at(node), `path outside the repository: ${node.text.slice(0, 120)}`);
    }
    // import … from '../…', require('../…'), import('../…'), jest.mock('../…')
    const specifier =
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier
        ? literalText(node.moduleSpecifier)
        : ts.isCallExpression(node) && node.arguments.length > 0 && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
          ? literalText(node.arguments[0])
          : undefined;
    if (specifier?.startsWith('.') && !inside(root, resolve(here, specifier))) add(at(node), `import ${specifier} leaves the repository`);
    // join(__dirname, '..', 'x') / resolve(__dirname, '../../x') / path.join(…)
    if (ts.isCallExpression(node)) {
      const callee = ts.isPropertyAccessExpression(node.expression) ? node.expression.name.text : ts.isIdentifier(node.expression) ? node.expression.text : '';
      const [first, ...rest] = node.arguments;
      if ((callee === 'join' || callee === 'resolve') && first && ts.isIdentifier(first) && first.text === '__dirname') {
        const parts: string[] = [];
        for (const arg of rest) {
          const t = literalText(arg);
          if (t === undefined) break; // a computed part: only the literal prefix is judged
          parts.push(t);
        }
        // The same file also runs compiled from dist/<its path> (npm start): either location may be meant.
        const compiledHere = COMPILED.test(relative(root, here)) ? join(root, 'dist', relative(root, here)) : here;
        if (!inside(root, resolve(here, ...parts)) && !inside(root, resolve(compiledHere, ...parts))) add(at(node), `${callee}(__dirname, ${parts.map((p) => `'${p}'`).join(', ')}) leaves the repository`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
