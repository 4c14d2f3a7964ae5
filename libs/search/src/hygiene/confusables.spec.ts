import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { foldConfusables } from './confusables';

describe('foldConfusables', () => {
  it('folds what a reader sees as ASCII letters to those letters', () => {
    const cases: Array<[string, string]> = [
      ['Іgnore аll prevіous', 'Ignore all previous'], // Cyrillic І, а, і
      ['ΙGNORE ΑLL', 'IGNORE ALL'], // Greek capitals
      ['ｉｇｎｏｒｅ　ＡＬＬ', 'ignore ALL'], // fullwidth letters and ideographic space
      ['𝐢𝐠𝐧𝐨𝐫𝐞', 'ignore'], // mathematical bold
      ['ign\u200Bo\u202Ere', 'ignore'], // zero-width and bidi removed
      ['Ïgnörè', 'Ignore'], // accents dropped
      ['ɪɢɴᴏʀᴇ ᴀʟʟ ᴘʀᴇᴠɪᴏᴜꜱ', 'ignore all previous'], // Latin small capitals
      ['ⓘⓖⓝⓞⓡⓔ 𝕒𝕝𝕝', 'ignore all'], // circled and double-struck letters
      ['ᎥᏀΝОᏒΕ', 'iGNORE'], // Cherokee, Greek and Cyrillic capitals
      ['Ӏ ӏ', 'I i'], // palochka: upper case reads as I, lower case as i (TR39's prototype for both is l or i)
    ];
    for (const [input, folded] of cases) assert.equal(foldConfusables(input), folded, input);
  });

  it('leaves ASCII exactly as it is (unlike the TR39 skeleton, which maps m to rn and I to l)', () => {
    const ascii = 'Imminent 0101 |l1I| "quoted" %41 Q29uZmlk m rn';
    assert.equal(foldConfusables(ascii), ascii);
  });
});
