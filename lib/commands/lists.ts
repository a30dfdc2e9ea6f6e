// Placeholder: the lists commands land here.
import type { Command } from "./types.ts";

export const listCommands: Command[] = [];
