// ASCII codes the decimal parsers compare against (as u32, the width of a loaded byte).
export const CHAR_0: u32 = 0x30;
export const CHAR_PLUS: u32 = 0x2b;
export const CHAR_MINUS: u32 = 0x2d;
export const CHAR_POINT: u32 = 0x2e;
export const CHAR_E: u32 = 0x45;
export const CHAR_LOWER_E: u32 = 0x65;
