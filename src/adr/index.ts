export { inline, oneLine, safeUrl } from './escape.js';
export { exportFiles, INDEX_FILE, writeExport } from './export.js';
export { adrFileName, slugify } from './file-name.js';
export { renderIndex, supersedeEdges } from './log.js';
export {
  type AdrContext,
  type AdrFile,
  AdrFormat,
  adrDate,
  adrFileOf,
  adrLink,
  adrStatus,
  renderAdr,
} from './markdown.js';
export { topologySvgRenderer } from './topology.js';
