import { createRequire as __shipgateRequire } from 'node:module'; const require = __shipgateRequire(import.meta.url);
import{a as s}from"./chunk-J4DEGI2G.js";function k(r){return"load"in r?r.load():Promise.resolve(r)}s(k,"loadStep");var l=s((r,t)=>n=>`\x1B[${r}m${n}\x1B[${t}m`,"sgr");function C(r){let t=s(n=>n,"plain");return r?{bold:l(1,22),dim:l(2,22),red:l(31,39),green:l(32,39),yellow:l(33,39),cyan:l(36,39)}:{bold:t,dim:t,red:t,green:t,yellow:t,cyan:t}}s(C,"style");function u(r){let t=0;for(let n of r.replace(/\u001b\[[0-9;]*m/g,"")){let e=n.codePointAt(0);e===65039||e>=768&&e<880||(t+=e>=127744||e>=9728&&e<10176&&e!==8594&&e!==8592?2:1)}return t}s(u,"width");var S=s((r,t)=>r+" ".repeat(Math.max(0,t-u(r))),"pad");function g(r,t){return r.replace(/<br\s*\/?>/g," / ").replace(/<\/?(sub|sup|code|b|strong|em|i)>/g,"").replace(/\[([^\]]+)\]\(([^)]+)\)/g,(n,e,i)=>`${e} (${i})`).replace(/\*\*([^*]+)\*\*/g,(n,e)=>t.bold(e)).replace(/``([^`]+)``|`([^`]+)`/g,(n,e,i)=>t.cyan(e??i??"")).replace(/(^|\s)_([^_]+)_(?=\s|$|[.,;:])/g,(n,e,i)=>e+t.dim(i)).replace(/\\\|/g,"|")}s(g,"inline");function b(r){return r.trim().replace(/^\|/,"").replace(/\|$/,"").split(/(?<!\\)\|/).map(t=>t.trim())}s(b,"cells");function w(r,t){let n=r.filter(o=>!/^\|(\s*:?-+:?\s*\|)+\s*$/.test(o.trim())).map(o=>b(o).map(a=>g(a,t))),e=Math.max(...n.map(o=>o.length)),i=Array.from({length:e},(o,a)=>Math.max(...n.map(p=>u(p[a]??""))));return n.map((o,a)=>{let p=i.map((m,c)=>S(o[c]??"",m)).join("  ").trimEnd();return a===0?t.bold(p):p})}s(w,"renderTable");function d(r,t){let n=[],e=r.split(`
`);for(let i=0;i<e.length;i++){let o=e[i],a=/^```(\w*)/.exec(o);if(a){let c=[];for(;++i<e.length&&!e[i].startsWith("```");)c.push(e[i]);a[1]==="mermaid"?n.push(t.dim("(diagram: in the job summary, or with --format markdown)")):n.push(...c.map(y=>`  ${y}`));continue}if(o.trim().startsWith("|")){let c=[];for(;i<e.length&&e[i].trim().startsWith("|");i++)c.push(e[i]);i--,n.push(...w(c,t));continue}let p=/^(#{1,6})\s+(.*)$/.exec(o);if(p){n.push(t.bold(g(p[2],t)));continue}let m=/<details>\s*<summary>(.*?)<\/summary>/.exec(o);if(m){n.push(t.bold(g(m[1],t)));continue}/^\s*<\/?details>\s*$/.test(o)||n.push(g(o,t))}return n.join(`
`).replace(/\n{3,}/g,`

`).trim()}s(d,"markdownToTerminal");function f(r){return String(r??"").replace(/\|/g,"\\|").replace(/\r?\n/g,"<br>")}s(f,"cell");function $(r,t){let n=`| ${r.map(f).join(" | ")} |`,e=`| ${r.map(()=>"---").join(" | ")} |`;return[n,e,...t.map(i=>`| ${i.map(f).join(" | ")} |`)].join(`
`)}s($,"table");function T(r){return String(r??"").replace(/\r\n?|\n/g," ").replace(/&/g,"&amp;").replace(/</g,"&lt;").replace(/>/g,"&gt;").replace(/[\\`*_[\]~]/g,"\\$&").replace(/@/g,"@\u200D")}s(T,"text");function x(r){return Math.max(0,...(r.match(/`+/g)??[]).map(t=>t.length))}s(x,"longestTicks");function M(r){let t=String(r).replace(/\r\n?|\n/g," "),n="`".repeat(x(t)+1),e=/^`|`$/.test(t)?" ":"";return`${n}${e}${t}${e}${n}`}s(M,"code");function E(r,t){let n="`".repeat(Math.max(3,x(t)+1));return n+r+`
`+t+`
`+n}s(E,"fenced");function W(r,t){return`<details><summary>${r}</summary>

${t}

</details>`}s(W,"details");var h=class{static{s(this,"Summary")}parts=[];add(t,n={}){return this.parts.push({markdown:t,terminal:n.terminal}),this}heading(t,n=2){return this.add(`${"#".repeat(n)} ${t}`)}table(t,n){return this.add($(t,n))}get empty(){return this.parts.length===0}toString(){return this.parts.map(t=>t.markdown).join(`

`)}get headline(){return this.parts[0]?.markdown.split(`
`)[0]??""}toTerminal(t){let[n,...e]=this.parts;return n?[{markdown:n.markdown.split(`
`).slice(1).join(`
`),terminal:n.terminal===""?"":void 0},...e].map(o=>o.terminal??d(o.markdown,t)).filter(o=>o!=="").join(`

`):""}};export{C as a,g as b,$ as c,T as d,M as e,E as f,W as g,h,k as i};
