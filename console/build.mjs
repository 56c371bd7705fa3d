// Bundles the console into OUT (default ../target/console): index.html and assets/ with content-hashed names, so
// the service can let browsers cache assets for good. Run by the Maven build (scripts/build-console.sh).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(process.argv[2] ?? path.join(here, '..', 'target', 'console'));

await rm(out, { recursive: true, force: true });
await mkdir(path.join(out, 'assets'), { recursive: true });
const result = await build({
  entryPoints: { console: path.join(here, 'src', 'main.js'), style: path.join(here, 'src', 'console.css') },
  outdir: path.join(out, 'assets'),
  entryNames: '[name]-[hash]',
  bundle: true,
  format: 'esm',
  minify: true,
  target: ['es2022'],
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
});

const outputs = Object.entries(result.metafile.outputs);
const named = (ext) => {
  const found = outputs.find(([file, meta]) => meta.entryPoint && file.endsWith(ext));
  if (!found) throw new Error(`build: no ${ext} bundle`);
  return path.basename(found[0]);
};
const icon = await readFile(path.join(here, 'src', 'favicon.svg'));
const iconName = `favicon-${createHash('sha256').update(icon).digest('hex').slice(0, 8)}.svg`;
await writeFile(path.join(out, 'assets', iconName), icon);
const html = (await readFile(path.join(here, 'src', 'index.html'), 'utf8'))
  .replace('%CONSOLE_JS%', named('.js'))
  .replace('%CONSOLE_CSS%', named('.css'))
  .replace('%CONSOLE_ICON%', iconName);
await writeFile(path.join(out, 'index.html'), html);
console.log(`console: built ${outputs.length} files into ${out}`);
