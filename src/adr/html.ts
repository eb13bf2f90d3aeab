import { createHash } from 'node:crypto';
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import type { Decision } from '../domain/model.js';
import { count } from '../domain/plural.js';
import { adrId, patternName } from '../domain/presentation.js';
import type { Flow } from '../engine/flow.js';
import { oneLine, safeUrl } from './escape.js';
import { adrNumber } from './file-name.js';
import { supersedeEdges } from './log.js';
import { adrDate, adrStatus, renderAdr } from './markdown.js';
import { type TopologySvg, withTopologyFigure } from './topology.js';

/** Text as HTML: every character that could open a tag, an entity or end an attribute value is escaped. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The anchor of a record inside the page. */
const anchor = (n: number): string => `adr-${adrNumber(n)}`;

/** The record a link to `0002-title.md` names, as a link inside the page; other destinations stay as they are. */
const recordHref = (href: string): string => {
  const record = /^(\d{4,})-[^/]*\.md$/.exec(href)?.[1];
  return record ? `#${anchor(Number(record))}` : href;
};

/** Links the page may keep: another record of the page, or an http(s) URL. */
const allowedHref = (href: string): boolean => href.startsWith('#adr-') || safeUrl(href) !== undefined;

/**
 * GitHub's task lists: a list item starting `[ ]` or `[x]` becomes a disabled checkbox. Runs after inline parsing,
 * so the marker must open the item's first text; `\[x]` written for a user's text is text, not a task.
 */
function taskLists(md: MarkdownIt): void {
  md.core.ruler.after('inline', 'task-lists', (state) => {
    const tokens = state.tokens;
    for (let i = 2; i < tokens.length; i++) {
      const inline = tokens[i];
      const first = inline?.children?.[0];
      if (inline?.type !== 'inline' || tokens[i - 1]?.type !== 'paragraph_open') continue;
      if (tokens[i - 2]?.type !== 'list_item_open' || first?.type !== 'text') continue;
      const task = /^\[([ xX])\] /.exec(first.content);
      if (!task || !inline.content.startsWith(task[0])) continue;
      first.content = first.content.slice(task[0].length);
      const box = new state.Token('html_inline', '', 0);
      box.content = `<input type="checkbox" disabled${task[1] === ' ' ? '' : ' checked'}> `;
      inline.children?.unshift(box);
      tokens[i - 2]?.attrJoin('class', 'task-list-item');
    }
  });
}

/** Headings one level down, under the page's own; links to records point inside the page; images are their alt text. */
function pageRules(md: MarkdownIt, shift: number): void {
  md.core.ruler.push('mesh-help-page', (state) => {
    for (const t of state.tokens) {
      if (t.type === 'heading_open' || t.type === 'heading_close') {
        t.tag = `h${Math.min(6, Number(t.tag.slice(1)) + shift)}`;
      }
      for (const c of t.children ?? []) {
        if (c.type === 'link_open') c.attrSet('href', recordHref(c.attrGet('href') ?? ''));
      }
    }
  });
  md.renderer.rules.image = (tokens, i) => md.utils.escapeHtml(tokens[i]?.content ?? '');
}

/** What may reach the page from a record, whatever the Markdown said: these tags and attributes, nothing else. */
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    ...['h2', 'h3', 'h4', 'h5', 'h6', 'p', 'ul', 'ol', 'li', 'blockquote', 'hr', 'br', 'pre', 'code'],
    ...['strong', 'em', 's', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'input'],
  ],
  allowedAttributes: {
    a: ['href'],
    input: ['type', 'disabled', 'checked'],
    li: ['class'],
    th: ['style'],
    td: ['style'],
    ol: ['start'],
  },
  allowedClasses: { li: ['task-list-item'] },
  allowedStyles: { '*': { 'text-align': [/^(left|right|center)$/] } },
  allowedSchemes: ['http', 'https'],
  allowProtocolRelative: false,
  exclusiveFilter: (frame) =>
    (frame.tag === 'input' && frame.attribs.type !== 'checkbox') ||
    (frame.tag === 'a' && frame.attribs.href !== undefined && !allowedHref(frame.attribs.href)),
};

/** A MADR body (front matter removed) as sanitised HTML; headings move down `shift` levels to sit under the page's own. */
export function markdownToHtml(markdown: string, shift = 1): string {
  return sanitizeHtml(renderer(shift).render(markdown), SANITIZE).trim();
}

const renderers = new Map<number, MarkdownIt>();

/** One configured markdown-it per heading shift, made on first use (a page renders hundreds of records). */
function renderer(shift: number): MarkdownIt {
  let md = renderers.get(shift);
  if (!md) {
    md = new MarkdownIt({ html: false, linkify: false, typographer: false });
    // Only http(s) and the page's own record files; markdown-it's default would also keep mailto:, ftp: and more.
    md.validateLink = (url) => allowedHref(recordHref(url));
    md.use(taskLists).use((m: MarkdownIt) => pageRules(m, shift));
    renderers.set(shift, md);
  }
  return md;
}

const STATUSES = ['proposed', 'accepted', 'rejected', 'deprecated', 'superseded'] as const;

const CSS = `
:root{--fg:#1d2330;--muted:#5b6475;--line:#d8dde6;--bg:#fff;--accent:#2357c6}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:#f6f7f9}
header,nav,section,main{max-width:1100px;margin:0 auto;padding:0 20px}
header{padding-top:24px}h1{margin:0 0 4px;font-size:26px}.sub{color:var(--muted);margin:0 0 16px}
nav{position:sticky;top:0;background:#f6f7f9;padding-top:10px;padding-bottom:10px;border-bottom:1px solid var(--line);display:flex;gap:16px;flex-wrap:wrap;align-items:end;z-index:1}
label{display:flex;flex-direction:column;font-size:12px;color:var(--muted);gap:2px}select,input{font:inherit;padding:4px 6px;border:1px solid var(--line);border-radius:4px;background:#fff}
#count{margin-left:auto;color:var(--muted);font-size:13px}
table{width:100%;border-collapse:collapse;background:var(--bg);margin:8px 0 16px}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}th{font-size:12px;color:var(--muted);font-weight:600}
a{color:var(--accent)}.status{display:inline-block;padding:0 8px;border-radius:10px;font-size:12px;font-weight:600;background:#e8ebf0}
.s-accepted{background:#dff3e4;color:#17612d}.s-proposed{background:#fff3d6;color:#7a5200}.s-rejected{background:#fde2e1;color:#8a1c17}.s-superseded{background:#e6e6f7;color:#3a3a8c}.s-deprecated{background:#eee;color:#555}
article{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:4px 20px 12px;margin:16px 0}article:target{outline:3px solid var(--accent)}
.meta{color:var(--muted);font-size:13px}pre{background:#f0f2f5;padding:8px;overflow:auto}.nw{white-space:nowrap}
summary{cursor:pointer;padding:8px 0}summary h2{margin:2px 0 0;font-size:20px}details[open] summary{border-bottom:1px solid var(--line);margin-bottom:8px}
li.task-list-item{list-style:none}li.task-list-item input{margin:0 6px 0 -22px;vertical-align:middle}
svg a:hover rect{fill:#dfe8fb}[hidden]{display:none!important}
`;

/**
 * Filters run in the page: status, pattern and text; the hash (`#status=accepted&pattern=service-mesh`) keeps them.
 * A record is folded in its <details> until linked: the address (#adr-0002) or a click on a link to it opens it.
 */
const SCRIPT = `
(function(){
  var status=document.getElementById('f-status'),pattern=document.getElementById('f-pattern'),text=document.getElementById('f-text');
  var rows=[].slice.call(document.querySelectorAll('[data-record]'));
  function apply(){
    var s=status.value,p=pattern.value,q=text.value.trim().toLowerCase(),shown=0;
    rows.forEach(function(el){
      var ok=(!s||el.getAttribute('data-status')===s)&&(!p||(' '+el.getAttribute('data-patterns')+' ').indexOf(' '+p+' ')>=0)&&(!q||el.getAttribute('data-text').indexOf(q)>=0);
      el.hidden=!ok;if(ok&&el.tagName==='TR')shown++;
    });
    document.getElementById('count').textContent=shown+' of '+document.querySelectorAll('tr[data-record]').length+' records shown';
    document.getElementById('none').hidden=shown>0;
  }
  function fromHash(){
    var h=location.hash.slice(1);if(h.indexOf('=')<0)return;
    h.split('&').forEach(function(kv){var i=kv.indexOf('='),k=kv.slice(0,i),v=decodeURIComponent(kv.slice(i+1));
      if(k==='status')status.value=v;if(k==='pattern')pattern.value=v;if(k==='q')text.value=v;});
  }
  function expand(hash){
    var m=/^#(adr-[0-9]+)$/.exec(hash),el=m&&document.getElementById(m[1]),d=el&&el.querySelector('details');
    if(d)d.open=true;
  }
  [status,pattern].forEach(function(el){el.addEventListener('change',apply)});text.addEventListener('input',apply);
  window.addEventListener('hashchange',function(){expand(location.hash);fromHash();apply()});
  document.addEventListener('click',function(e){var a=e.target.closest&&e.target.closest('a[href^="#adr-"]');if(a)expand(a.getAttribute('href'))});
  expand(location.hash);fromHash();apply();
})();
`;
/** The page's one script, allowed by its hash: no other inline script can run, even one a stored value smuggled in. */
const SCRIPT_HASH = `sha256-${createHash('sha256').update(SCRIPT).digest('base64')}`;

/** The supersede graph as inline SVG: records in number order, an arrow from each successor to what it replaced. */
function graphSvg(decisions: readonly Decision[]): string {
  const edges = supersedeEdges(decisions);
  if (!edges.length) return '<p>No record supersedes another yet.</p>';
  const involved = [...new Set(edges.flatMap((e) => [e.from, e.to]))].sort((a, b) => a - b);
  const x = (n: number) => 20 + involved.indexOf(n) * 130;
  const width = 40 + involved.length * 130;
  const nodes = involved.map(
    (n) =>
      `<a href="#${anchor(n)}"><rect x="${x(n)}" y="60" width="110" height="30" rx="6" fill="#fff" stroke="#2357c6"/><text x="${x(n) + 55}" y="80" text-anchor="middle" font-size="13">${adrId(n)}</text></a>`,
  );
  const arcs = edges.map((e) => {
    const a = x(e.from) + 55;
    const b = x(e.to) + 55;
    const h = 14 + Math.abs(involved.indexOf(e.from) - involved.indexOf(e.to)) * 10;
    return `<path d="M${a} 60 C${a} ${60 - h * 2} ${b} ${60 - h * 2} ${b} 58" fill="none" stroke="#5b6475" marker-end="url(#arrow)"><title>${adrId(e.from)} supersedes ${adrId(e.to)}</title></path>`;
  });
  return [
    `<svg role="img" aria-label="Which record supersedes which" width="${width}" height="100" viewBox="0 0 ${width} 100">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0 0L10 5L0 10z" fill="#5b6475"/></marker></defs>',
    ...arcs,
    ...nodes,
    '</svg>',
    '<ul>',
    ...edges.map(
      (e) =>
        `<li><a href="#${anchor(e.from)}">${adrId(e.from)}</a> supersedes <a href="#${anchor(e.to)}">${adrId(e.to)}</a></li>`,
    ),
    '</ul>',
  ].join('\n');
}

/**
 * The team's whole log as one self-contained HTML page: index, supersede
 * graph, filters (status, pattern, text) and every record. No request leaves
 * the page: styles and script are inline, and its Content-Security-Policy
 * forbids loading anything else. Deterministic, like the Markdown export.
 */
export function renderHtml(
  flow: Flow,
  teamId: string,
  decisions: readonly Decision[],
  drawings: { topologySvg?: TopologySvg } = {},
): string {
  const sorted = [...decisions].sort((a, b) => a.number - b.number);
  const nameOf = (id: string) => patternName(flow, id);
  const used = [...new Set(sorted.flatMap((d) => d.chosen))].sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
  // Every value is escaped, whatever its type: a stored field is data, never markup (the date included).
  const date = (d: Decision) => escapeHtml(adrDate(d));
  const statusBadge = (d: Decision) =>
    `<span class="status s-${escapeHtml(d.status)}">${escapeHtml(adrStatus(d))}</span>`;
  const attrs = (d: Decision) =>
    `data-record="${escapeHtml(String(d.number))}" data-status="${escapeHtml(d.status)}" data-patterns="${escapeHtml(d.chosen.join(' '))}" data-text="${escapeHtml(oneLine(`${adrId(d.number)} ${d.title}`).toLowerCase())}"`;
  const rows = sorted.map(
    (d) =>
      `<tr ${attrs(d)}><td class="nw"><a href="#${anchor(d.number)}">${adrId(d.number)}</a></td><td>${escapeHtml(oneLine(d.title) || 'Untitled decision')}</td><td class="nw">${statusBadge(d)}</td><td>${escapeHtml(d.chosen.map(nameOf).join(', '))}</td><td class="nw">${date(d)}</td></tr>`,
  );
  const articles = sorted.map((d) => {
    // The title goes into the summary; the body starts at the first section.
    const md = renderAdr(d, { flow, decisions: sorted })
      .content.replace(/^---\n[\s\S]*?\n---\n/, '')
      .replace(/^# .*\n/, '');
    return [
      `<article id="${anchor(d.number)}" ${attrs(d)}>`,
      '<details>',
      `<summary><span class="meta">${adrId(d.number)} · ${statusBadge(d)} · ${date(d)} · ${escapeHtml(d.chosen.map(nameOf).join(' with '))}</span>`,
      `<h2>${escapeHtml(oneLine(d.title) || 'Untitled decision')}</h2></summary>`,
      withTopologyFigure(md, d, markdownToHtml, drawings.topologySvg),
      '<p class="meta"><a href="#index">back to the index</a></p>',
      '</details>',
      '</article>',
    ].join('\n');
  });
  const option = (value: string, label: string) => `<option value="${escapeHtml(value)}">${escapeHtml(label)}</option>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src '${SCRIPT_HASH}'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Decision records of team ${escapeHtml(teamId)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>Architecture decision records</h1>
<p class="sub">Team <code>${escapeHtml(teamId)}</code> · ${count(sorted.length, 'record')} in the MADR 4 format, exported by mesh-help.</p>
</header>
<nav aria-label="Filters">
<label>Status<select id="f-status">${option('', 'All statuses')}${STATUSES.map((s) => option(s, s)).join('')}</select></label>
<label>Pattern<select id="f-pattern">${option('', 'All patterns')}${used.map((p) => option(p, nameOf(p))).join('')}</select></label>
<label>Search<input id="f-text" type="search" placeholder="number or title"></label>
<span id="count">${sorted.length} of ${sorted.length} records shown</span>
</nav>
<section id="index">
<h2>Index</h2>
<table>
<thead><tr><th>Number</th><th>Title</th><th>Status</th><th>Chosen</th><th>Date</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<p id="none" hidden>No record matches these filters.</p>
</section>
<section id="graph">
<h2>Supersedes</h2>
${graphSvg(sorted)}
</section>
<main id="records">
${articles.join('\n')}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
