// Placeholder: the sort commands land here.
import type { Command } from "./types.ts";

export const sortCommands: Command[] = [];
