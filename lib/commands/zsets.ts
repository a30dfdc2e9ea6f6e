// Placeholder: the zsets commands land here.
import type { Command } from "./types.ts";

export const zsetCommands: Command[] = [];
