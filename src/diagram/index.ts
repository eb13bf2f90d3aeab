export { DIAGRAM_FONT, dotText, topologyDot } from './dot.js';
export { topologyMermaid } from './mermaid.js';
export {
  type DiagramRenderer,
  diagramFontFile,
  diagramRenderer,
  MAX_PNG_WIDTH,
  PNG_SCALE,
  type Png,
  pngOf,
  pngZoom,
} from './render.js';
