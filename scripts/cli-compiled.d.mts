/** The compiled CLI's index.js for the sources under root as they are now (built when missing), or null. */
export function compiledCli(root: string): Promise<string | null>;
