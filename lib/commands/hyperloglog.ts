// Placeholder: the hyperloglog commands land here.
import type { Command } from "./types.ts";

export const hyperloglogCommands: Command[] = [];
