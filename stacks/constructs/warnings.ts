/** Warnings synth prints: what AWS accepts but a user should know (authorization NONE, an unbounded EXPRESS execution). */

/** Warnings already printed by this process. */
const warned = new Set<string>();

/** Prints a warning to stderr, once per process however many stacks repeat it. */
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.stderr.write(`Warning: ${message}\n`);
}
