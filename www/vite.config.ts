import { defineConfig } from "vite";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

// A static site: relative asset paths so that it works from any folder of any static server,
// every dependency bundled, nothing fetched from elsewhere.
export default defineConfig({
  base: "./",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // The wasm module must stay a file of its own (fetched once, compiled while streaming).
    assetsInlineLimit: 0,
    sourcemap: false,
    chunkSizeWarningLimit: 2048,
  },
  worker: { format: "es" },
  // The example tenant is read from ../fixtures at build time.
  server: { fs: { allow: [root] } },
});
