// Placeholder: the hashes commands land here.
import type { Command } from "./types.ts";

export const hashCommands: Command[] = [];
