// Placeholder: the bitmaps commands land here.
import type { Command } from "./types.ts";

export const bitmapCommands: Command[] = [];
