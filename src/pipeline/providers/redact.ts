/**
 * Error text from an API can echo credentials (OpenAI's 401 quotes part of the key). Every
 * message built from a provider's answer passes through here before it is thrown or logged.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]');
  // Key-shaped tokens even when they are not ours (or only partly quoted).
  out = out.replace(/\b(sk-[A-Za-z0-9_*-]{6,}|r8_[A-Za-z0-9*]{6,})/g, '[redacted]');
  out = out.replace(/(Bearer\s+)\S+/gi, '$1[redacted]');
  return out.length > 500 ? `${out.slice(0, 500)}…` : out;
}
