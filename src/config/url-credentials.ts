// Credentials written into a URL (KEY:SECRET@host, ?token=…, a presigned X-Amz-Signature) are refused
// wherever they are in the config: URLs end up in reports, logs and process lists. Problems name the
// key and the kind of credential, never the credential itself.
import type { ConfigProblem } from '../errors.js';
import { type Message, msg } from '../messages/index.js';
import { jsonPath } from './json-path.js';
import { configProblem } from './problem.js';

// A scheme, "://", then up to the next blank or quote: a URL inside any string.
const URL_IN_TEXT = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s"'<>]+/g;
const USERINFO = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)@/;
const SECRET_PARAMETER =
  /token|secret|passw(or)?d|^pwd$|signature|^sig$|credential|api[-_]?key|access[-_]?key|^key$|^auth(orization)?$/i;

function parameterName(pair: string): string {
  const name = pair.split('=')[0] ?? '';
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** What credentials one URL carries ("a user name and password before "@"", "the query parameter "token""). */
function credentialsOf(url: string): Message[] {
  const found: Message[] = [];
  const userinfo = USERINFO.exec(url)?.[2];
  if (userinfo !== undefined)
    found.push(msg(userinfo.includes(':') ? 'config.credential.user-password' : 'config.credential.user'));
  const query = url.split('#')[0]?.split('?').slice(1).join('?') ?? '';
  for (const pair of query.split(/[&;]/)) {
    const name = parameterName(pair);
    if (pair.includes('=') && SECRET_PARAMETER.test(name)) found.push(msg('config.credential.query', { name }));
  }
  return found;
}

/** Each kind of credential once, in the order found. */
function distinct(found: Message[]): Message[] {
  const seen = new Set<string>();
  return found.filter((message) => {
    const key = JSON.stringify(message);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The text with every credential in its URLs replaced by "***", for messages that show a value. */
export function maskUrlCredentials(text: string): string {
  return text.replace(URL_IN_TEXT, (url) =>
    url
      .replace(USERINFO, '$1***@')
      .replace(/([?&;])([^=&;#]+)=([^&;#]*)/g, (pair, separator: string, name: string) =>
        SECRET_PARAMETER.test(parameterName(name)) ? `${separator}${name}=***` : pair,
      ),
  );
}

/** Every string of the document that holds a URL with credentials, as a problem at its JSON path. */
export function findUrlCredentials(document: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const visit = (value: unknown, path: Array<string | number>) => {
    if (typeof value === 'string') {
      const found = (value.match(URL_IN_TEXT) ?? []).flatMap(credentialsOf);
      if (found.length > 0)
        problems.push(configProblem(jsonPath(path), 'config.url-credential', { found: distinct(found) }));
    } else if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) visit(item, [...path, index]);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
    }
  };
  visit(document, []);
  return problems;
}
