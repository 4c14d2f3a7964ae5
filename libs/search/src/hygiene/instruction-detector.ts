import { foldConfusables } from './confusables';

/**
 * Flags text that speaks to a language model rather than to a human reader: the visible half of prompt
 * injection (the hidden half is removed by htmlToText). A flag is a signal for the workspace's policy
 * (serve, annotate or quarantine), not a verdict; patterns favour precision over recall.
 */
export const INSTRUCTION_FLAGS = [
  'instruction:override',
  'instruction:role_play',
  'instruction:exfiltration',
  'instruction:tool_call',
  'instruction:prompt_markup',
] as const;
export type InstructionFlag = (typeof INSTRUCTION_FLAGS)[number];

const RULES: ReadonlyArray<readonly [InstructionFlag, RegExp]> = [
  [
    'instruction:override',
    /\b(?:ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,40}\b(?:previous|prior|above|earlier|preceding|all|any|your|the system'?s?)\b[^.!?\n]{0,30}\b(?:instructions?|prompts?|rules|guidelines|directives|context)\b/i,
  ],
  ['instruction:override', /\b(?:new|updated|real|actual)\s+(?:system\s+)?instructions?\s*(?:for|to)\s+(?:the\s+)?(?:ai|assistant|model|agent|llm|chatgpt)\b/i],
  ['instruction:role_play', /\b(?:you are now|from now on,? you (?:are|will)|act as (?:an?|the) (?:unrestricted|jailbroken|developer mode))\b/i],
  ['instruction:role_play', /\b(?:as an ai(?: language model)?|dear (?:ai|assistant|chatgpt|model)|attention,? (?:ai|assistant|llm|language model))\b/i],
  [
    'instruction:exfiltration',
    /\b(?:send|post|forward|upload|exfiltrate|transmit|leak|include|append|encode)\b[^.!?\n]{0,60}\b(?:to|into|in)\b[^.!?\n]{0,40}(?:https?:\/\/|\bwww\.|[\w.+-]+@[\w-]+\.[\w.]+|\b(?:the\s+)?(?:search\s+)?query\b|\burl\b)/i,
  ],
  ['instruction:exfiltration', /\bdo not (?:tell|inform|mention (?:this )?to|reveal (?:this )?to) the user\b/i],
  ['instruction:tool_call', /\b(?:call|invoke|use|run)\s+the\s+[`"']?(?:search|fetch|browser|python|web)[`"']?\s+tool\b/i],
  ['instruction:tool_call', /"(?:name|tool|function)"\s*:\s*"(?:search|fetch|[a-z_]+)"\s*,\s*"(?:arguments|parameters|args)"\s*:/i],
  ['instruction:tool_call', /<\/?(?:tool_call|function_call|tool_use|invoke)\b/i],
  ['instruction:prompt_markup', /<\|(?:im_start|im_end|system|user|assistant|endoftext)\|>|\[\/?INST\]|<<\/?SYS>>|^\s*(?:system|assistant)\s*:/im],
];

/**
 * Distinct flags, in rule order. Scans at most the first and last 200 KB of very long texts, folded as a
 * reader sees them (look-alike letters, accents and invisible characters do not hide a phrase).
 */
export function detectInstructions(text: string): InstructionFlag[] {
  const sample = foldConfusables(text.length > 400_000 ? `${text.slice(0, 200_000)}\n${text.slice(-200_000)}` : text);
  const flags = new Set<InstructionFlag>();
  for (const [flag, pattern] of RULES) if (!flags.has(flag) && pattern.test(sample)) flags.add(flag);
  return [...flags];
}
