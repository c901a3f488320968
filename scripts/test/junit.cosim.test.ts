// vitest's JUnit report (what CI uploads) carries a failure's seed, config
// hash, failing cycle, artifact folder and trace findings as properties.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

describe('JUnit report of a failure', () => {
  it('has the facts as <property> entries and the report as the failure message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'af-junit-'));
    const cfg = join(dir, 'vitest.config.mjs');
    const xml = join(dir, 'junit.xml');
    writeFileSync(
      cfg,
      `export default { test: { include: ['testbenches/fixtures/junit-failure.fixture.ts'], reporters: [['junit', { outputFile: ${JSON.stringify(xml)} }]] } };\n`,
    );
    const r = await execa('npx', ['vitest', 'run', '--config', cfg, '--root', process.cwd()], { reject: false });
    expect(r.exitCode).toBe(1);
    const text = readFileSync(xml, 'utf8');
    expect(text).toContain('<property name="seed" value="1234">');
    expect(text).toContain('<property name="configHash" value="abcdef123456">');
    expect(text).toContain('<property name="failingCycle" value="99">');
    expect(text).toContain('<property name="artifacts" value="/tmp/af-junit-fixture">');
    expect(text).toContain('<property name="finding" value="trace: PE (1, 2)');
    expect(text).toMatch(/<failure message="FAIL fixture: c\[0\]\[0\] expected 1, got 2/);
  });
});
