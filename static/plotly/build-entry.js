// plotly.js with only the traces the dashboard draws: bar, heatmap (and scatter, in core), scattergeo, choropleth.
var Plotly = require('plotly.js/lib/core');
Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/heatmap'),
    require('plotly.js/lib/scattergeo'),
    require('plotly.js/lib/choropleth'),
]);
module.exports = Plotly;
