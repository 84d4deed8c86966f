import { describe, expect, it } from 'vitest';
import { chooseRenderer } from './renderer';

describe('chooseRenderer', () => {
  it('draws with WebGL on a GPU', () => {
    for (const gpu of [
      'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)',
      'ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)',
      'Apple GPU',
      'AMD Radeon Pro 5500M OpenGL Engine',
    ])
      expect(chooseRenderer({ webgl2: true, gpu })).toEqual({ renderer: 'webgl' });
    // a browser that hides the renderer string is given the benefit of the doubt
    expect(chooseRenderer({ webgl2: true, gpu: null })).toEqual({ renderer: 'webgl' });
  });

  it("uses the DOM renderer without WebGL2, and where WebGL is the CPU's (SwiftShader, llvmpipe, WARP)", () => {
    expect(chooseRenderer({ webgl2: false, gpu: null })).toEqual({ renderer: 'dom', reason: 'no-webgl2' });
    for (const gpu of [
      'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
      'llvmpipe (LLVM 15.0.6, 256 bits)',
      'ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0, D3D11)',
      'Google SwiftShader',
    ])
      expect(chooseRenderer({ webgl2: true, gpu })).toEqual({ renderer: 'dom', reason: 'software-gl' });
  });
});
