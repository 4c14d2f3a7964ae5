import { removeInvisibleCharacters } from '@tessera/domain';

/**
 * One fold for everything that inspects text for a model's sake (instruction detection at ingestion,
 * the query exfiltration guard at search time): what a reader would see as "Ignore", "ｉｇｎｏｒｅ",
 * "Іgnore" (Cyrillic І) or "ign\u200Bore" becomes the same ASCII letters. The folded text is only ever
 * inspected, never stored or shown: documents keep their own script.
 *
 * The table is Unicode's own (UTS #39 confusables.txt, as packaged by `unhomoglyph`). Two deliberate
 * departures from the TR39 skeleton, because here the folded text is matched against English patterns
 * rather than compared with another skeleton: ASCII is left as it is (the skeleton turns "m" into "rn"
 * and "I" into "l", which would break every pattern and the encoding statistics), and an upper-case
 * source whose prototype is "l" (Cyrillic І, Ӏ …) folds to "I", the letter it is read as.
 */
let table: ReadonlyMap<string, string> | undefined;

/** LATIN LETTER SMALL CAPITAL A … Z (there is no small capital X), and the letters they are read as. */
const SMALL_CAPITALS = 'ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘꞯʀꜱᴛᴜᴠᴡʏᴢ';
const SMALL_CAPITAL_LETTERS = 'abcdefghijklmnopqrstuvwyz';

function confusablesTable(): ReadonlyMap<string, string> {
  if (table) return table;
  // The package's data file (single code points → prototype); its function would apply the ASCII entries too.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a JSON data file, loaded once on first use
  const data = require('unhomoglyph/data.json') as Record<string, string>;
  const map = new Map<string, string>();
  for (const [source, prototype] of Object.entries(data)) {
    if (source.codePointAt(0)! < 0x80) continue;
    map.set(source, prototype === 'l' && source !== source.toLowerCase() ? 'I' : prototype);
  }
  // Latin small capitals read as their letter ("ɪɢɴᴏʀᴇ"), but confusables.txt lists only some of them (they
  // are not confusable with the lower-case letter, which is its criterion); the rest, by their Unicode names.
  [...SMALL_CAPITALS].forEach((capital, i) => map.set(capital, SMALL_CAPITAL_LETTERS[i]!));
  return (table = map);
}

const COMBINING_MARKS = /\p{Mn}+/gu;
const folded = new Map<string, string>();

/**
 * One visible, non-ASCII code point as ASCII where it reads as ASCII: compatibility form decomposed (NFKD:
 * fullwidth, mathematical, ligatures, odd spaces), accents dropped, look-alike mapped; otherwise itself.
 */
export function foldCharacter(character: string): string {
  let result = folded.get(character);
  if (result === undefined) {
    const map = confusablesTable();
    result = '';
    for (const part of character.normalize('NFKD').replace(COMBINING_MARKS, '')) result += map.get(part) ?? part;
    if (folded.size < 65_536) folded.set(character, result);
  }
  return result;
}

const NON_ASCII = /[^\x00-\x7f]/gu; // eslint-disable-line no-control-regex -- the ASCII range

/** Invisible characters removed and every other character folded (see foldCharacter); ASCII unchanged. */
export function foldConfusables(text: string): string {
  return removeInvisibleCharacters(text).replace(NON_ASCII, foldCharacter);
}
