// The public API's report (docs/api.md): every name scripts/api/index.ts
// exports, with its kind and type, from the TypeScript checker (ts-morph).
// The API test compares it with the committed file, so an export added,
// removed or retyped fails until the report is rewritten on purpose:
//   npx tsx scripts/api-report.ts --write
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Node, Project, TypeFormatFlags, type ExportedDeclarations, type ts } from 'ts-morph';
import { repoPath, repoRoot } from '../golden/common/repo.js';

export const apiReportPath = repoPath('docs/api.md');
const flags =
  TypeFormatFlags.NoTruncation |
  TypeFormatFlags.UseAliasDefinedOutsideCurrentScope |
  TypeFormatFlags.WriteArrowStyleSignature;

/** Type text without file paths (stable across checkouts). */
function clean(s: string): string {
  return s
    .replace(/import\("[^"]*"\)\./g, '')
    .replaceAll(repoRoot, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function describe(name: string, d: ExportedDeclarations): string {
  if (Node.isFunctionDeclaration(d)) {
    return d
      .getType()
      .getCallSignatures()
      .map((s) => `function ${name}${clean(sigText(d, s.compilerSignature))}`)
      .join('\n');
  }
  if (Node.isClassDeclaration(d)) {
    const members = d
      .getMembers()
      .filter((m) => !/^(private|protected)\b/.test(m.getText()))
      .map((m) => `  ${clean(memberText(m))}`);
    const tps = d.getTypeParameters().map((t) => t.getText());
    return `class ${name}${tps.length ? `<${tps.join(', ')}>` : ''}${d.getExtends() ? ` extends ${clean(d.getExtends()!.getText())}` : ''} {\n${members.join('\n')}\n}`;
  }
  if (Node.isInterfaceDeclaration(d) || Node.isTypeAliasDeclaration(d)) {
    return clean(
      d
        .getText()
        .replace(/\/\*\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, ''),
    ).replace(/^export /, '');
  }
  return `const ${name}: ${clean(d.getType().getText(d, flags))}`;
}

function sigText(d: Node, sig: ts.Signature): string {
  const checker = d.getProject().getTypeChecker().compilerObject;
  return checker.signatureToString(sig, d.compilerNode, flags);
}

function memberText(m: Node): string {
  if (Node.isMethodDeclaration(m) || Node.isGetAccessorDeclaration(m))
    return `${m.getName()}${Node.isGetAccessorDeclaration(m) ? ' (get)' : ''}: ${m.getType().getText(m, flags)}`;
  if (Node.isPropertyDeclaration(m)) return `${m.getName()}: ${m.getType().getText(m, flags)}`;
  if (Node.isConstructorDeclaration(m))
    return `constructor(${m
      .getParameters()
      .filter((p) => !/\bprivate\b/.test(p.getText()))
      .map((p) => `${p.getName()}: ${p.getType().getText(p, flags)}`)
      .join(', ')})`;
  return m.getKindName();
}

/** The report's text: every export of the API, sorted by name. */
export function apiReport(): string {
  const project = new Project({ tsConfigFilePath: repoPath('tsconfig.json'), skipAddingFilesFromTsConfig: true });
  const file = project.addSourceFileAtPath(repoPath('scripts/api/index.ts'));
  project.resolveSourceFileDependencies();
  const entries = [...file.getExportedDeclarations()].sort(([a], [b]) => a.localeCompare(b));
  const blocks = entries.map(([name, decls]) => `### ${name}\n\n\`\`\`ts\n${describe(name, decls[0]!)}\n\`\`\``);
  return [
    '# accelforge API report',
    '',
    'Every name `import ... from "accelforge"` gives (`scripts/api/index.ts`), with its type, written by',
    '`npx tsx scripts/api-report.ts --write`. A test fails when the API and this file differ, so a change',
    'to the public surface is made on purpose: rewrite this file and say so in the change (semver: a',
    'removed or retyped name is a major change, an added one minor).',
    '',
    `${entries.length} exports.`,
    '',
    ...blocks.flatMap((b) => [b, '']),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = apiReport();
  if (process.argv.includes('--write')) {
    writeFileSync(apiReportPath, text);
    console.log(`api-report: wrote ${apiReportPath}`);
  } else {
    const same = readFileSync(apiReportPath, 'utf8') === text;
    console.log(same ? 'api-report: docs/api.md is current' : 'api-report: docs/api.md differs; --write rewrites it');
    process.exitCode = same ? 0 : 1;
  }
}
