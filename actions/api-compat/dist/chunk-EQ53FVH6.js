import { createRequire as __shipgateRequire } from 'node:module'; const require = __shipgateRequire(import.meta.url);
import{a as m}from"./chunk-ZX6XXJY5.js";import{e as a}from"./chunk-Q6Z7ZRNH.js";var o=a(m(),1),e=o;export{e as yamlPackage};
