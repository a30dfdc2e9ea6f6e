// placeholder
import type { Command } from "./types.ts";

export const introspectionCommands: Command[] = [];
