import { createRequire as __shipgateRequire } from 'node:module'; const require = __shipgateRequire(import.meta.url);
import{a as m}from"./chunk-H5HZP6R2.js";import{f as a}from"./chunk-J4DEGI2G.js";var o=a(m(),1),e=o;export{e as yamlPackage};
