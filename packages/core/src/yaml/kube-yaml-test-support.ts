import fc from 'fast-check';

/**
 * Strings a plain YAML scalar would not carry as strings, each quoted by formatKubeYaml:
 * the ones issue 17 names, and the ones the `yaml` package's own version '1.1' output
 * left plain although kubectl's reader (go-yaml v2) reads them as numbers.
 */
export const LISTED_SPECIAL_STRINGS = [
  ...['Y', 'y', 'n', 'N', 'yes', 'no', 'on', 'off', 'Off', 'true', 'False', '~', 'null', 'NULL', ''],
  ...['0755', '012', '1_000', '0x1F', '0b101', '1:30', '190:20:30.15', '.inf', '-.Inf', '.NaN', '1e3', '.5'],
  ...['2001-12-14', '2001-12-14t21:59:43.10-05:00', '<<', '='],
  // go-yaml v2 only: Go's strconv takes 0o, 0X and 0B prefixes and a sign before underscores.
  ...['0o17', '0O17', '-0o17', '0X1F', '0B101', '-_1', '+_1', '08', '1_0e3'],
];

/** Strings that are strings to every reader: written plain, as before. */
export const PLAIN_STRINGS = [
  'server',
  'qed-django',
  '10.0.0.1',
  '1.2.3',
  'v1',
  '-v',
  'nginx:1.25',
  '0x',
  '_1',
  '1e',
  '1:60',
];

/** Characters a YAML 1.1 reader takes as line breaks or refuses, and blank lines block scalars lose. */
export const ESCAPED_STRINGS = [
  'a\u0085b',
  'a\u2028b',
  'a\u2029b',
  'x\u007fy',
  'x\u0080y',
  '\ufeffx',
  'x\ufffe',
  ' \n',
  '\t\n',
  '\n\tx\ny',
];

/** Every string in the tables above. */
export const TABLED_STRINGS = [...LISTED_SPECIAL_STRINGS, ...ESCAPED_STRINGS, ...PLAIN_STRINGS];

/**
 * A grammar of the shapes YAML 1.1 types implicitly (booleans in any letter case, null,
 * integers with signs, underscores, leading zeros and 0x/0o/0b prefixes, floats,
 * sexagesimal numbers, timestamps, merge and value keys), including near misses that
 * are strings after all: every one must read back as itself.
 */
export const yaml11SpecialString: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(
    /^(?:[yY](?:[eE][sS])?|[nN][oO]?|[tT][rR][uU][eE]|[fF][aA][lL][sS][eE]|[oO](?:[nN]|[fF][fF]))$/,
  ),
  fc.stringMatching(/^(?:~|[nN][uU][lL][lL])?$/),
  fc.stringMatching(/^[-+]?(?:0[xXoObB])?[0-9a-fA-F_]+$/),
  fc.stringMatching(/^[-+]?[0-9_]*\.?[0-9_]*(?:[eE][-+]?[0-9]+)?$/),
  fc.stringMatching(/^[-+]?\.(?:[iI][nN][fF]|[nN][aA][nN])$/),
  fc.stringMatching(/^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,3}(?:\.[0-9_]*)?$/),
  fc.stringMatching(
    /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ][0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?: ?(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$/,
  ),
  fc.constantFrom('<<', '=', '-', '+', '.'),
);

/** Any string: every code point, and the characters YAML gives meaning to, in runs. */
export const anyString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({ unit: 'grapheme', maxLength: 24 }),
  fc
    .array(
      fc.constantFrom(
        ...'\n\r\t :-#"\'|>?[]{},&*!%@`\\~'.split(''),
        'a',
        '0',
        '---',
        '\u0085',
        '\u2028',
        '\ufeff',
      ),
      {
        maxLength: 16,
      },
    )
    .map((parts) => parts.join('')),
);
