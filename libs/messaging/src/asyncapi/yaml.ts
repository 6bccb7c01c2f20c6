/**
 * YAML for a JSON value, block style, deterministic (key order kept): enough for the committed
 * AsyncAPI document, whose test parses it back with the AsyncAPI parser's own YAML reader.
 * Strings that could read as anything but themselves are double-quoted JSON strings (a subset
 * of YAML's double-quoted scalars); multi-line ones are literal blocks.
 */
export function toYaml(value: unknown): string {
  return `${block(value, 0).replace(/^\n/, '')}\n`;
}

const PLAIN = /^[A-Za-z_$][A-Za-z0-9_$ .,()/'+-]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|y|n|~)$/i;

function scalar(value: unknown): string {
  if (typeof value === 'string') {
    const plain =
      PLAIN.test(value) && !RESERVED.test(value) && !value.endsWith(' ') && !/ -|- /.test(value);
    return plain ? value : JSON.stringify(value);
  }
  return JSON.stringify(value);
}

const isMultiline = (value: unknown): value is string =>
  typeof value === 'string' && value.includes('\n') && !/^\s|\s$|\t|\r/.test(value);

/** The value after `key:` or `-`: a scalar on the same line, or an indented block. */
function block(value: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return ' []';
    return value
      .map((item) => {
        const inner = block(item, indent + 2);
        // A mapping starts on the dash's line: "- key: value".
        return item !== null && typeof item === 'object' && !Array.isArray(item)
          ? `\n${pad}- ${inner.trimStart()}`
          : `\n${pad}-${inner}`;
      })
      .join('');
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return ' {}';
    return entries
      .map(
        ([key, item]) =>
          `\n${pad}${PLAIN.test(key) && !RESERVED.test(key) && !key.includes(' ') ? key : JSON.stringify(key)}:${block(item, indent + 2)}`,
      )
      .join('');
  }
  if (isMultiline(value)) {
    return ` |-${value
      .split('\n')
      .map((line) => (line === '' ? '\n' : `\n${pad}${line}`))
      .join('')}`;
  }
  return ` ${scalar(value)}`;
}
