// POSIX shell quoting for printed commands (reproduce lines): a word of safe
// characters stays bare, anything else is single-quoted, so a pasted
// command never runs what a path or a value contains.
const safe = /^[A-Za-z0-9_\-.,/:=@%+]+$/;

export function shellWord(w: string): string {
  return safe.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`;
}

export function shellCommand(words: (string | number)[]): string {
  return words.map((w) => shellWord(String(w))).join(' ');
}
