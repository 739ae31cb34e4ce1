/** Text drawn with the browser's own fonts: no glyph server, so nothing is fetched from outside. */
export const LABEL_FONT = ['sans-serif'];
