import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { shellCommand, shellWord } from './shell.js';

describe('shell quoting', () => {
  it('keeps plain words bare and quotes the rest', () => {
    expect(shellCommand(['npx', 'accelforge', 'verify', 'ws', '--config', 'ws-4x4', '--seed', 7])).toBe(
      'npx accelforge verify ws --config ws-4x4 --seed 7',
    );
    expect(shellWord('pe[0][1]:bit2')).toBe("'pe[0][1]:bit2'");
    expect(shellWord('')).toBe("''");
  });

  it('a pasted command gives the shell back exactly the words, never a command', () => {
    const words = ['a;touch /tmp/pwned', "it's", '$(id)', '`id`', 'x y', 'back\\slash', '*', 'new\nline'];
    const out = execFileSync('sh', ['-c', `printf '%s\\0' ${shellCommand(words)}`]).toString('utf8');
    expect(out.split('\0').slice(0, -1)).toEqual(words);
  });
});
