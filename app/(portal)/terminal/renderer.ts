import type { WebglAddon } from '@xterm/addon-webgl';
import type { Terminal } from '@xterm/xterm';

export type TerminalRenderer = 'webgl' | 'dom';

/** Why a pane draws with xterm's DOM renderer instead of WebGL. */
export type DomReason = 'no-webgl2' | 'software-gl' | 'webgl-failed' | 'context-lost';

export type RendererChoice = { renderer: 'webgl' } | { renderer: 'dom'; reason: DomReason };

/** What the browser's WebGL2 is: absent, or the renderer (GPU) string it reports. */
export interface WebglProbe {
  webgl2: boolean;
  /** UNMASKED_RENDERER_WEBGL where the browser tells it, else RENDERER; null without WebGL2. */
  gpu: string | null;
}

/**
 * WebGL drawn by a CPU rasteriser (Chromium's SwiftShader without a GPU, Mesa's llvmpipe, Windows'
 * WARP): every frame is rasterised on the CPU, and in headless Chromium on SwiftShader a flood drew
 * about a sixth as fast as with the DOM renderer (1.8 against 11.6 MB/s; bench/browser.ts).
 */
const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software|basic render driver|\bwarp\b/i;

/** WebGL where the browser has it on a GPU; xterm's DOM renderer otherwise. Pure. */
export function chooseRenderer(probe: WebglProbe): RendererChoice {
  if (!probe.webgl2) return { renderer: 'dom', reason: 'no-webgl2' };
  if (probe.gpu && SOFTWARE_GL.test(probe.gpu)) return { renderer: 'dom', reason: 'software-gl' };
  return { renderer: 'webgl' };
}

let probed: WebglProbe | null = null;

/** Asked once per page (every pane gets the same answer); the probe's context is released at once. */
export function probeWebgl(): WebglProbe {
  if (probed) return probed;
  let gl: WebGL2RenderingContext | null = null;
  try {
    gl = document.createElement('canvas').getContext('webgl2');
  } catch {
    // a browser that throws instead of answering null
  }
  if (!gl) return (probed = { webgl2: false, gpu: null });
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const gpu = gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER);
  gl.getExtension('WEBGL_lose_context')?.loseContext(); // browsers allow only a few live contexts
  return (probed = { webgl2: true, gpu: typeof gpu === 'string' ? gpu : null });
}

/**
 * The pane's host element. Automation (the e2e specs, bench/browser.ts) reads the terminal's buffer
 * through `terminal`: a terminal drawn with WebGL has no text in the DOM to read.
 */
export type TerminalHostElement = HTMLElement & { terminal?: Terminal };

/**
 * Draw with WebGL when chooseRenderer says so. If the addon throws while it activates, or the context
 * is lost for good later (a GPU reset, the browser reclaiming the oldest of too many contexts; xterm
 * first waits a few seconds for it to come back), the addon goes and xterm draws with its DOM
 * renderer again, buffer and session untouched. `onChange` gets every choice, the first at once.
 */
export function loadBestRenderer(
  t: Terminal,
  Addon: typeof WebglAddon,
  onChange: (choice: RendererChoice) => void,
  probe: () => WebglProbe = probeWebgl,
): void {
  const choice = chooseRenderer(probe());
  if (choice.renderer === 'dom') return onChange(choice);
  let addon: WebglAddon | null = null;
  try {
    addon = new Addon();
    const loaded = addon;
    loaded.onContextLoss(() => {
      loaded.dispose();
      onChange({ renderer: 'dom', reason: 'context-lost' });
    });
    t.loadAddon(loaded);
    onChange(choice);
  } catch {
    // half-activated: take it off the terminal's addon list (nothing of it draws yet)
    try {
      addon?.dispose();
    } catch {
      // nothing was set up
    }
    onChange({ renderer: 'dom', reason: 'webgl-failed' });
  }
}
