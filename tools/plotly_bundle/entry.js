// The trace types Zichtop's charts and maps use (zichtop/web/figures.py): scatter is part of the
// core. Adding a figure of another type means adding its module here.
var Plotly = require('plotly.js/lib/core');

// scattergeo: the names written on the region and wijk maps
Plotly.register([require('plotly.js/lib/bar'), require('plotly.js/lib/choropleth'),
                 require('plotly.js/lib/scattergeo')]);

module.exports = Plotly;
