import BuildE2E from '@builde2e/sdk';

BuildE2E.setApiKey('uc-YOUR-API-KEY');

// Python
const pyResult = await BuildE2E.executeCode({
  code: 'import numpy as np; print(np.array([1, 2, 3]))',
  language: 'python'
});

// JavaScript
const jsResult = await BuildE2E.executeCode({
  code: 'const _ = require("lodash"); console.log(_.chunk([1,2,3,4], 2));',
  language: 'javascript'
});

console.log(pyResult.stdout);          // "[1 2 3]\n"
console.log(jsResult.stdout);          // "[ [ 1, 2 ], [ 3, 4 ] ]\n"
console.log(pyResult.memoryUsageMb);   // 30.5
