import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { isHiddenByInlineStyle } from './hidden-elements';

describe('isHiddenByInlineStyle', () => {
  it('recognizes each hiding technique in its common spellings', () => {
    const hidden = [
      'display:none', 'DISPLAY: NONE !important', 'color:red; display : none ;', 'display:/* x */none',
      'visibility:hidden', 'visibility: collapse',
      'opacity:0', 'opacity: .0', 'opacity: 0.01', 'opacity: 2%',
      'font-size:0', 'font-size: 0em', 'font-size: 1px', 'font-size: 0.5pt',
      'width:0;overflow:hidden', 'height:0px; overflow-y: hidden', 'max-height: 0; overflow: clip',
      'position:absolute; left:-9999px', 'text-indent: -10000px',
      'color: #ABC; background-color: #abc', 'color: rgb(1, 2, 3); background: rgb(1,2,3)', 'color: transparent',
    ];
    for (const style of hidden) assert.ok(isHiddenByInlineStyle(style), style);
  });

  it('leaves ordinary styles alone', () => {
    const visible = [
      '', 'display: block', 'visibility: visible', 'opacity: 0.5', 'opacity: 50%',
      'font-size: 12px', 'font-size: 0.9em', 'width: 0', 'overflow: hidden; width: 100px',
      'left: -20px', 'margin-left: -1em', 'color: #000; background-color: #fff', 'display', 'display:',
    ];
    for (const style of visible) assert.ok(!isHiddenByInlineStyle(style), style);
  });
});
