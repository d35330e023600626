/** Remembers what a slow check accepted, across runs, so that synth does not check it again. */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { TEMPLATES_DIR } from "./template-files";

/** One empty file per accepted text, named by its hash (under .build/, which git ignores). */
const ACCEPTED_DIR = path.join(TEMPLATES_DIR, "..", ".build", "accepted");
const acceptedHere = new Set<string>();

/**
 * Runs `check` on `text` unless a check of the same `kind` (which names the checker and its
 * version) accepted the same text before, here or in an earlier run. `check` throws to reject;
 * only acceptance is remembered, so a rejected text is checked, and reported, every time.
 */
export function checkOnce(kind: string, text: string, check: () => void): void {
  const key = crypto.createHash("sha1").update(`${kind}\n${text}`).digest("hex");
  const marker = path.join(ACCEPTED_DIR, key);
  if (acceptedHere.has(key) || fs.existsSync(marker)) return;
  check();
  acceptedHere.add(key);
  try {
    fs.mkdirSync(ACCEPTED_DIR, { recursive: true });
    fs.writeFileSync(marker, "");
  } catch {
    // a read-only checkout: checked again next time
  }
}
