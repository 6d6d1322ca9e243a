import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Served by the PaperGao server at /_/graphiql/ (embedded into PaperGao.Api at build time by GraphiQL.targets).
export default defineConfig({
  base: '/_/graphiql/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
});
