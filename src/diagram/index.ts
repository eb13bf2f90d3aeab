export { DIAGRAM_FONT, dotText, topologyDot } from './dot.js';
export { topologyMermaid } from './mermaid.js';
export { type DiagramRenderer, diagramRenderer, PNG_SCALE, type Png, pngOf } from './render.js';
