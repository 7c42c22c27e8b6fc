const { latencyChart } = require('./chart');
latencyChart(require(process.argv[2])).then((svg) =>
  require('fs').writeFileSync(process.argv[3], svg),
);
