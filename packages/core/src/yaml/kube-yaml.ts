import { Scalar, type ScalarTag, stringify, type Tags } from 'yaml';
import { stringTag } from 'yaml/util';

/*
 * kubectl and the API server read YAML 1.1: sigs.k8s.io/yaml's YAMLToJSON over go-yaml v2.
 * There a plain `Y`, `off`, `~`, `0755` or `1_000` is a boolean, a null or a number, and
 * a Deployment whose env value came out as `true` is rejected. The `yaml` package's
 * version '1.1' output quotes what the YAML 1.1 spec types, but go-yaml v2 resolves
 * more than that: it hands anything that starts with a digit or a sign, underscores
 * removed, to Go's strconv (so 0o17, 0X1F, 0B101 and -_1 are numbers), and it reads
 * U+0085, U+2028 and U+2029 as line breaks and refuses DEL, the C1 controls, U+FFFE and
 * U+FFFF anywhere in a stream. Every YAML file the tool writes for Kubernetes goes
 * through formatKubeYaml, which quotes and escapes those strings too.
 */

/** go-yaml v2's resolve table (resolve.go): these exact words are never strings. */
const GO_YAML_V2_WORDS = new Set([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'],
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'],
  ...['', '~', 'null', 'Null', 'NULL'],
  ...['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF'],
  '<<',
]);
/** strconv.ParseInt(s, 0, 64) syntax (sign, 0x/0o/0b prefix in either case, leading-zero octal), or ParseFloat of a decimal. */
const GO_INTEGER = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)$/;
/** go-yaml v2's yamlStyleFloat. */
const GO_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** strconv.ParseFloat of a scalar that starts with a dot. */
const GO_DOT_FLOAT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;

/**
 * Whether a plain scalar with this text is anything but this string to some reader:
 * go-yaml v2 (by its own rules, above), or YAML 1.1's `<<` (merge) and `=` (value)
 * types. The YAML 1.1 spec's other types (sexagesimal, timestamps, ...) and YAML 1.2's
 * are left to the `yaml` package's own check, which formatKubeYaml keeps.
 */
export function readsAsNonString(text: string): boolean {
  if (GO_YAML_V2_WORDS.has(text) || text === '=') return true;
  const first = text[0] ?? '';
  if (first === '.') return GO_DOT_FLOAT.test(text);
  if (!/[-+0-9]/.test(first)) return false;
  const digits = text.replaceAll('_', '');
  return GO_INTEGER.test(digits) || GO_FLOAT.test(digits);
}

/**
 * Characters the `yaml` package writes as they are, even inside double quotes, but that
 * a YAML 1.1 reader does not read back as themselves: NEL, LS and PS are line breaks
 * there, and go-yaml v2 refuses DEL, the C1 controls, U+FFFE and U+FFFF in a stream. A
 * byte-order mark at the start of a line is skipped. Each is written as a \u escape.
 */
const UNSAFE_AS_IS = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/;

function escapeUnsafe(quoted: string): string {
  return Array.from(quoted, (char) =>
    UNSAFE_AS_IS.test(char) ? `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}` : char,
  ).join('');
}

/**
 * A multi-line string the `yaml` package would write as a block scalar (`|`) without an
 * indentation indicator, whose first line go-yaml v2 cannot place: one starting with a
 * tab (an error there) or holding only blanks (taken as indentation, so the blanks are lost).
 */
const BLOCK_INDENT_UNCLEAR = /^\n*(?:[ \t]*\t|[ \t]+(?:\n|$))/;

function mustQuote(text: string): boolean {
  return (
    readsAsNonString(text) ||
    UNSAFE_AS_IS.test(text) ||
    (text.includes('\n') && BLOCK_INDENT_UNCLEAR.test(text))
  );
}

/** The `yaml` package's string writer (plain, block or quoted as its YAML 1.1 schema needs), forced to double quotes where mustQuote says so. */
const kubeSafeString: ScalarTag = {
  ...stringTag,
  stringify(item, ctx, onComment, onChompKeep) {
    const text = String(item.value);
    if (!mustQuote(text))
      return stringTag.stringify?.(item, ctx, onComment, onChompKeep) ?? JSON.stringify(text);
    const quoted = Object.assign(new Scalar(text), { type: Scalar.QUOTE_DOUBLE });
    return escapeUnsafe(stringTag.stringify?.(quoted, ctx) ?? JSON.stringify(text));
  },
};

const STRING_TAG = 'tag:yaml.org,2002:str';
const MERGE_TAG = 'tag:yaml.org,2002:merge';

/** The YAML 1.1 schema, with strings written by kubeSafeString and `<<` a string (quoted) rather than a merge key. */
function kubeTags(tags: Tags): Tags {
  return tags
    .filter((tag) => typeof tag === 'string' || tag.tag !== MERGE_TAG)
    .map((tag) => (typeof tag !== 'string' && tag.tag === STRING_TAG ? kubeSafeString : tag));
}

/**
 * One YAML document (no `---`) for a Kubernetes object, in the tool's usual style: block
 * style, two-space indentation, no line folding (so the text is the same on every
 * machine) and no anchors for repeated objects. Strings that kubectl (YAML 1.1) or a
 * YAML 1.2 reader would not read back as the same string are double-quoted, map keys
 * included.
 */
export function formatKubeYaml(object: unknown): string {
  return stringify(object, {
    version: '1.1',
    customTags: kubeTags,
    lineWidth: 0,
    minContentWidth: 0,
    aliasDuplicateObjects: false,
  });
}
