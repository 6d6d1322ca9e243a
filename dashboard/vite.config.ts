import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Served by the PaperGao server at /_/ (embedded into PaperGao.Api at build time).
export default defineConfig({
  base: '/_/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
});
