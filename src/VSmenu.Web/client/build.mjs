// Bundles the app for the browser into ../wwwroot/app: everything is served from here, no CDN (the machines have no
// internet, and a kitchen's should not depend on it).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/main.js'],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  outfile: '../wwwroot/app/app.js',
  logLevel: 'warning',
});
