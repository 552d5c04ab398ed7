/** `public.hero` and `hero` are one table (PostgreSQL's default search_path); other schemas stay qualified. */
export function tableKey(name: string | null, schema?: string | null): string | null {
  if (name === null) return null;
  const full = schema ? `${schema}.${name}` : name;
  return full.startsWith('public.') ? full.slice('public.'.length) : full;
}

/** The schema part of a qualified key, or null. */
export function schemaOf(key: string | null): string | null {
  if (key === null) return null;
  const dot = key.lastIndexOf('.');
  return dot === -1 ? null : key.slice(0, dot);
}
