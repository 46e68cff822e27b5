import { defineConfig } from "vite";

// The app loads ui/dist from disk through Tauri's custom protocol: no dev
// server, relative asset paths, no inline scripts (the CSP forbids them).
export default defineConfig({
  base: "./",
  clearScreen: false,
  build: { target: "safari15", outDir: "dist", emptyOutDir: true, sourcemap: false },
});
