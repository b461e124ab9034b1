/**
 * Escapes a value for a filter option inside a filtergraph: first the option level (`\ ' :`),
 * then the graph level (`\ ' [ ] , ;`). Only generated paths go through this; user text never
 * enters a graph (it travels in files: drawtext textfiles, the text layer's ASS document).
 */
export function escapeFilterValue(value: string): string {
  const option = value.replace(/[\\':]/g, '\\$&');
  return option.replace(/[\\'[\],;]/g, '\\$&');
}
