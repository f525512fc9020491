import { z } from 'zod';
import type { OpenFilesOptions } from '../preload/api';

/** The renderer's request, checked in main: it crosses a trust boundary. */
const openFilesOptionsSchema = z
  .object({
    title: z.string().max(200).optional(),
    filters: z
      .array(
        z
          .object({
            name: z.string().min(1).max(100),
            // Bare extensions as the native dialogs want them ("pdf"), or "*" for all files.
            extensions: z.array(z.string().regex(/^(\*|[A-Za-z0-9_-]{1,16})$/, 'an extension without the dot, or *')).min(1).max(50),
          })
          .strict(),
      )
      .max(20)
      .optional(),
    multiple: z.boolean().optional(),
  })
  .strict();

/** What dialog.showOpenDialog takes, without importing electron here. */
export interface OpenDialogRequest {
  title?: string;
  filters?: Array<{ name: string; extensions: string[] }>;
  properties: Array<'openFile' | 'multiSelections'>;
}

/** Throws a readable error when the renderer sent something else. */
export function toOpenDialogRequest(raw: unknown): OpenDialogRequest {
  const parsed = openFilesOptionsSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new Error(`Invalid openFiles options: ${z.prettifyError(parsed.error)}`);
  }
  const options: OpenFilesOptions = parsed.data;
  return {
    ...(options.title === undefined ? {} : { title: options.title }),
    ...(options.filters === undefined ? {} : { filters: options.filters }),
    properties: options.multiple ? ['openFile', 'multiSelections'] : ['openFile'],
  };
}
