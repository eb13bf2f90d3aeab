import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type RenderedImage, Resvg, type ResvgRenderOptions, renderAsync } from '@resvg/resvg-js';
import { instance, type Viz } from '@viz-js/viz';
import type { Topology } from '../engine/topology.js';
import { DIAGRAM_FONT, topologyDot } from './dot.js';

/** How much larger than Graphviz's own size the PNG is drawn, so text stays sharp on high-density screens. */
export const PNG_SCALE = 2;
/** No wider than this (px): Slack shows less, and a wide picture at twice its size costs its pixels in CPU. */
export const MAX_PNG_WIDTH = 2400;

/** The zoom for an SVG whose width is `widthPt` points: PNG_SCALE, or less for a picture past MAX_PNG_WIDTH. */
export const pngZoom = (widthPt: number): number =>
  widthPt > 0 ? Math.min(PNG_SCALE, MAX_PNG_WIDTH / ((widthPt * 4) / 3)) : PNG_SCALE;

/** The width Graphviz gave the SVG, in points. */
const widthPtOf = (svg: string): number => Number(/<svg[^>]*\bwidth="([\d.]+)pt"/.exec(svg)?.[1] ?? 0);

/** The diagram's font as npm ships it (`dejavu-fonts-ttf`), so a machine without fonts still labels the picture. */
function bundledFont(): string | undefined {
  try {
    return join(
      dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')),
      'ttf',
      'DejaVuSans.ttf',
    );
  } catch {
    return undefined;
  }
}

/** The bundled font first, then where Debian (fonts-dejavu-core), Fedora and Alpine put it. */
const fontFiles = () => [
  bundledFont(),
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
];

let viz: Promise<Viz> | undefined;
let fontFile: string | null | undefined;

/** A rendered PNG and its size in pixels. */
export type Png = { png: Buffer; width: number; height: number };

/** Draws topologies once Graphviz (WebAssembly) is loaded: both calls are synchronous. */
export type DiagramRenderer = {
  svg(t: Topology): string;
  png(t: Topology): Png;
  /** The same PNG, drawn on libuv's thread pool: for the bot, whose event loop must stay free for acks. */
  pngAsync(t: Topology): Promise<Png>;
};

/** Graphviz is compiled once per process (tens of milliseconds), then every diagram reuses it. */
export async function diagramRenderer(): Promise<DiagramRenderer> {
  viz ??= instance();
  const v = await viz;
  const svg = (t: Topology) => svgOf(v, t);
  return {
    svg,
    png: (t) => pngOf(svg(t)),
    pngAsync: async (t) => {
      const drawn = svg(t);
      return pngFrom(await renderAsync(drawn, resvgOptions(pngZoom(widthPtOf(drawn)))));
    },
  };
}

function svgOf(v: Viz, t: Topology): string {
  const result = v.render(topologyDot(t), { format: 'svg', engine: 'dot' });
  if (result.status !== 'success') {
    throw new Error(`Graphviz could not lay out the topology: ${result.errors.map((e) => e.message).join('; ')}`);
  }
  // The alt text as the picture's accessible name, for the HTML export and anyone opening the file.
  return result.output.replace(/<svg /, `<svg role="img" aria-label="${attr(t.summary)}" `);
}

const attr = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The font file the PNGs are drawn with (null: none found, the system's fonts are searched). */
export function diagramFontFile(): string | null {
  fontFile ??= fontFiles().find((f): f is string => f !== undefined && existsSync(f)) ?? null;
  return fontFile;
}

/** resvg's options: the zoom, white, with the diagram's font (the system's when it is not at a known place). */
function resvgOptions(zoom: number): ResvgRenderOptions {
  diagramFontFile();
  return {
    fitTo: { mode: 'zoom', value: zoom },
    background: 'white',
    font: fontFile
      ? { fontFiles: [fontFile], loadSystemFonts: false, defaultFontFamily: DIAGRAM_FONT }
      : { loadSystemFonts: true, defaultFontFamily: DIAGRAM_FONT },
  };
}

const pngFrom = (image: RenderedImage): Png => ({ png: image.asPng(), width: image.width, height: image.height });

/** An SVG drawn as PNG by resvg. */
export function pngOf(svg: string): Png {
  return pngFrom(new Resvg(svg, resvgOptions(pngZoom(widthPtOf(svg)))).render());
}
