import { type ApiErrorEntry, badBody } from './errors.js';

/**
 * Looks at a response before the SDK does, reading its whole body here, inside the SDK's timeout
 * (which otherwise ends when the headers arrive: a body trickled a byte at a time would never
 * end). The SDK never reads `success`, so a body saying `success: false` would resolve to null (or
 * an empty page); and a 2xx body that is no envelope at all — empty, a 204, not JSON (an HTML page
 * from a proxy), cut short, not an object — would resolve to null or a string or throw a bare
 * SyntaxError. Returns the response to hand the SDK (the same bytes; for a body that is no
 * envelope, an empty envelope so the SDK does not stumble on it), the envelope as parsed, and,
 * when something is wrong, the `errors[]` to raise instead of the result. Error answers pass to
 * the SDK with their bytes unchanged.
 */
export async function inspectEnvelope(
  response: Response,
): Promise<{ response: Response; body?: unknown; errors?: readonly ApiErrorEntry[] }> {
  const text = await response.text();
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  const init = { status: response.status, statusText: response.statusText, headers };
  // Statuses that carry no body (304 among the error answers) must be rebuilt without one.
  if (!response.ok) return { response: new Response(text === '' ? null : text, init) };
  const type = response.headers.get('content-type') ?? '';
  const body = parseJson(text);
  const problem =
    response.status === 204
      ? 'no body at all (HTTP 204 No Content)'
      : text.trim() === ''
        ? 'the body is empty'
        : !type.includes('json')
          ? `the body is ${/^\s*</.test(text) ? 'an HTML page' : `of type ${type || 'unknown'}`}, not the API's JSON`
          : body === undefined
            ? 'the body is not valid JSON (cut short?)'
            : typeof body !== 'object' || body === null || Array.isArray(body)
              ? 'the body is not a Cloudflare envelope object'
              : undefined;
  if (problem !== undefined) {
    headers.set('content-type', 'application/json');
    const stand = { ...init, status: response.status === 204 || response.status === 205 ? 200 : response.status };
    return { response: new Response('{"success":true,"result":null}', stand), errors: [badBody(problem)] };
  }
  const copy = new Response(text, init);
  if ((body as { success?: unknown }).success !== false) return { response: copy, body };
  const errors = (body as { errors?: unknown }).errors;
  return { response: copy, body, errors: Array.isArray(errors) ? (errors as ApiErrorEntry[]) : [] };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
