export { inline, oneLine, safeUrl } from './escape.js';
export { exportFiles, INDEX_FILE, writeExport } from './export.js';
export { adrFileName, slugify } from './file-name.js';
export { escapeHtml, renderHtml } from './html.js';
export { renderIndex, supersedeEdges } from './log.js';
export { type AdrContext, type AdrFile, adrDate, adrFileOf, adrLink, adrStatus, renderAdr } from './markdown.js';
export { topologySvgRenderer } from './topology.js';
