// Builds the partial Plotly bundle with the options of Plotly's own build (esbuild-config.js in
// the plotly.js package), minified. Usage: NODE_PATH=<node_modules> node build.js OUT.js
// (`make install` installs the packages beside the virtualenv, not in the repository).
const esbuild = require('esbuild');

esbuild.build({
    entryPoints: [require('path').join(__dirname, 'entry.js')],
    outfile: process.argv[2],
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    legalComments: 'none',
    target: 'es2016',
    define: { global: 'window', 'define.amd': 'false' },
    loader: { '.css': 'empty' }, // only map tiles (not used) bring a stylesheet
    nodePaths: (process.env.NODE_PATH || '').split(require('path').delimiter).filter(Boolean),
    logLevel: 'warning'
}).catch(() => process.exit(1));
