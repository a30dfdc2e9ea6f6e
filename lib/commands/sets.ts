// Placeholder: the sets commands land here.
import type { Command } from "./types.ts";

export const setCommands: Command[] = [];
