// The storefront's build: `npm run build` writes hashed assets to web/dist, which the edge serves;
// `npm run dev:web` serves the sources on :5173 and proxies API calls to a running stack (EDGE_URL).
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const edge = process.env.EDGE_URL ?? "http://localhost:8080";
const apiPaths = ["/ticketing.", "/auth/", "/healthz"];

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: true,
    // The figure the issue sets is gzip size of what the home page loads, checked by the build script.
    chunkSizeWarningLimit: 400,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: Object.fromEntries(apiPaths.map((path) => [path, { target: edge, changeOrigin: true }])),
  },
});
