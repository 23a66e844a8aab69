/**
 * A small PromQL reader for tests: enough of the language to find the metric names an
 * expression selects, without mistaking functions, aggregation operators, keywords, label names
 * (in `{...}` matchers and in `by`/`without`/`on`/`ignoring`/`group_left`/`group_right` lists),
 * strings, numbers or durations for metrics.
 */

type Token =
  | { kind: 'identifier'; text: string }
  | { kind: 'string'; text: string }
  | { kind: 'number'; text: string }
  | { kind: 'duration'; text: string }
  | { kind: 'punctuation'; text: string }
  | { kind: 'operator'; text: string };

const AGGREGATIONS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
  'limitk',
  'limit_ratio',
]);
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'atan2', 'inf', 'nan']);
/** Keywords followed by a parenthesised list of label names. */
const LABEL_LIST_KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
]);

export function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const at = (offset = 0) => expression[i + offset] ?? '';
  while (i < expression.length) {
    const c = at();
    if (/\s/.test(c)) {
      i++;
    } else if (c === '#') {
      while (i < expression.length && at() !== '\n') i++;
    } else if (c === '"' || c === "'" || c === '`') {
      const start = i++;
      while (i < expression.length && at() !== c) i += at() === '\\' && c !== '`' ? 2 : 1;
      if (i >= expression.length) throw new SyntaxError(`unterminated string in ${expression}`);
      i++;
      tokens.push({ kind: 'string', text: expression.slice(start, i) });
    } else if (c === '[') {
      // A range or subquery: `[5m]`, `[1h:30s]`.
      const end = expression.indexOf(']', i);
      if (end < 0) throw new SyntaxError(`unterminated range in ${expression}`);
      tokens.push({ kind: 'duration', text: expression.slice(i, end + 1) });
      i = end + 1;
    } else if (/[0-9.]/.test(c) && /[0-9]/.test(c === '.' ? at(1) : c)) {
      const match = /^(0x[0-9a-f]+|[0-9]*\.?[0-9]+(e[+-]?[0-9]+)?([smhdwy]|ms)*)/i.exec(
        expression.slice(i),
      )!;
      tokens.push({ kind: 'number', text: match[0] });
      i += match[0].length;
    } else if (/[a-zA-Z_:]/.test(c)) {
      const match = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(expression.slice(i))!;
      tokens.push({ kind: 'identifier', text: match[0] });
      i += match[0].length;
    } else if ('(){},'.includes(c)) {
      tokens.push({ kind: 'punctuation', text: c });
      i++;
    } else {
      const match = /^(==|!=|>=|<=|=~|!~|[-+*/%^=<>@])/.exec(expression.slice(i));
      if (!match) throw new SyntaxError(`unexpected '${c}' in ${expression}`);
      tokens.push({ kind: 'operator', text: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}

/** The metric names an expression selects, in order of first appearance. */
export function metricNames(expression: string): string[] {
  const tokens = tokenize(expression);
  const names: string[] = [];
  let braceDepth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'punctuation' && token.text === '{') braceDepth++;
    if (token.kind === 'punctuation' && token.text === '}') braceDepth--;
    if (token.kind !== 'identifier' || braceDepth > 0) continue;
    const name = token.text;
    const next = tokens[i + 1];
    if (LABEL_LIST_KEYWORDS.has(name)) {
      // Skip the label list that follows, when there is one (group_left may have none).
      if (next?.text === '(') {
        while (i < tokens.length && tokens[i]!.text !== ')') i++;
      }
      continue;
    }
    if (KEYWORDS.has(name.toLowerCase()) || AGGREGATIONS.has(name)) continue;
    if (next?.text === '(') continue; // a function call
    if (!names.includes(name)) names.push(name);
  }
  if (braceDepth !== 0) throw new SyntaxError(`unbalanced braces in ${expression}`);
  return names;
}
