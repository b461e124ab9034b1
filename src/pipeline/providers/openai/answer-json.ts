/**
 * The JSON object in a model's answer. OpenAI itself returns bare JSON under structured outputs,
 * but OpenAI-compatible servers (Ollama, llama.cpp, some vLLM templates) often wrap it in a
 * ```json fence or put a sentence before it; parsing that strictly would cost a paid repair round
 * for an answer that was right. Only the outermost object is taken; anything else is a parse error.
 */
export function answerJson(content: string): unknown {
  const text = content.trim();
  const fenced = /```[a-zA-Z]*\s*\n?([\s\S]*?)```/.exec(text);
  const body = fenced ? fenced[1]!.trim() : text;
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  if (start < 0 || end < start) return JSON.parse(body);
  return JSON.parse(body.slice(start, end + 1));
}
