// Vite's `?raw` imports (the release public key, bundled into main.js by electron-vite).
declare module '*?raw' {
  const content: string;
  export default content;
}
